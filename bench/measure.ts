/**
 * Runs one command and measures it: wall time, CPU of the whole process tree and peak memory.
 *
 * - CPU: the command runs in its own cpuacct cgroup (cgroup v1, /sys/fs/cgroup/cpuacct/lgbench-*), so every
 *   descendant counts, daemonized ones included (ssh ControlPersist masters that testinfra and ansible leave
 *   behind). Without a writable cpuacct hierarchy we fall back to GNU time's user+sys (reaped children only).
 * - Memory: GNU time's %M (max RSS of the largest single process) and the peak of the summed RSS of every
 *   process in the cgroup, sampled every 100 ms (shared pages counted once per process: an over-estimate
 *   for many identical processes, e.g. ansible forks).
 * - Node side: CPU the lab's sshd listeners and their reaped sessions used meanwhile (podman, bash, rpm ...),
 *   from /proc/<listener>/stat (utime+stime+cutime+cstime). It is not part of the grader's CPU.
 * After the command exits, whatever it left in its cgroup (ControlPersist masters) is killed, so every run
 * starts cold.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Measurement {
  name: string;
  argv: string[];
  code: number | null;
  wallS: number;
  /** user+sys of the process tree, seconds */
  cpuS: number;
  userS: number;
  sysS: number;
  /** 'cgroup' (whole tree) or 'time' (GNU time: reaped children only) */
  cpuSource: 'cgroup' | 'time';
  /** largest single process (GNU time %M), MB */
  maxRssMB: number;
  /** peak of summed RSS of the tree (sampled), MB */
  treeRssMB: number;
  peakProcesses: number;
  /** CPU the nodes' sshd sessions used meanwhile, seconds */
  nodeCpuS: number;
  stdoutFile: string;
  stderrFile: string;
  stderrTail: string;
}

const CG_ROOT = '/sys/fs/cgroup/cpuacct';
const TICK = 100; // USER_HZ
const PAGE = 4096;
let seq = 0;

function read(f: string): string {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
}

function cgPids(cg: string): number[] {
  return read(join(cg, 'cgroup.procs'))
    .split('\n')
    .filter(Boolean)
    .map(Number);
}

function rssBytes(pid: number): number {
  const f = read(`/proc/${pid}/statm`).split(' ');
  return Number(f[1] ?? 0) * PAGE;
}

/** utime+stime+cutime+cstime of a process, in ticks */
function cpuTicks(pid: number): number {
  const s = read(`/proc/${pid}/stat`);
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
  // fields after ")": state(3) ... utime is field 14 overall -> index 11 here
  return [11, 12, 13, 14].reduce((a, i) => a + Number(rest[i] ?? 0), 0);
}

let labDirFilter: string | undefined;
/** Count only the listeners of this lab dir's class (other helpers' classes on other slots run beside it). */
export function setLabDir(dir: string): void {
  labDirFilter = dir;
}

/** The lab's sshd listeners (sshd -D -f <lab>/nodes/sNN-nodeK/sshd_config). */
export function labListeners(): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const c = read(`/proc/${d}/cmdline`).replace(/\0/g, ' ');
    const m = /sshd -D .*-f (\S+)\/nodes\/s\d+-node[123]\/sshd_config/.exec(c);
    if (m && (!labDirFilter || m[1] === labDirFilter)) out.push(Number(d));
  }
  return out;
}

function nodeTicks(pids: number[]): number {
  return pids.reduce((a, p) => a + cpuTicks(p), 0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cgroupOk: boolean | undefined;
function makeCgroup(): string | undefined {
  if (cgroupOk === false) return undefined;
  const cg = join(CG_ROOT, `lgbench-${process.pid}-${++seq}`);
  try {
    mkdirSync(cg);
    cgroupOk = true;
    return cg;
  } catch {
    cgroupOk = false;
    return undefined;
  }
}

async function emptyCgroup(cg: string): Promise<void> {
  for (let round = 0; round < 30; round++) {
    const pids = cgPids(cg);
    if (!pids.length) break;
    for (const p of pids) {
      try {
        process.kill(p, round < 10 ? 'SIGTERM' : 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await sleep(100);
  }
}

function removeCgroup(cg: string): void {
  try {
    rmdirSync(cg);
  } catch {
    /* still busy: left behind, harmless */
  }
}

export interface MeasureOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  outDir: string;
  timeoutMs: number;
}

export async function measure(name: string, argv: string[], o: MeasureOptions): Promise<Measurement> {
  const cg = makeCgroup();
  const safe = name.replace(/[^\w.-]+/g, '_');
  const timeFile = join(o.outDir, `${safe}.time`);
  const stdoutFile = join(o.outDir, `${safe}.out`);
  const stderrFile = join(o.outDir, `${safe}.err`);
  const script = cg
    ? 'cg=$1 tf=$2; shift 2; echo $$ > "$cg/cgroup.procs" && exec /usr/bin/time -f "%e %U %S %M" -o "$tf" -- "$@"'
    : 'tf=$2; shift 2; exec /usr/bin/time -f "%e %U %S %M" -o "$tf" -- "$@"';
  const listeners = labListeners();
  const node0 = nodeTicks(listeners);
  const outFd = openSync(stdoutFile, 'w');
  const errFd = openSync(stderrFile, 'w');
  const t0 = process.hrtime.bigint();
  const child = spawn('/bin/sh', ['-c', script, 'sh', cg ?? '-', timeFile, ...argv], {
    cwd: o.cwd,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', outFd, errFd],
  });
  let peak = 0;
  let peakProcs = 0;
  const sample = () => {
    const pids = cg ? cgPids(cg) : child.pid ? [child.pid] : [];
    const sum = pids.reduce((a, p) => a + rssBytes(p), 0);
    if (sum > peak) peak = sum;
    if (pids.length > peakProcs) peakProcs = pids.length;
  };
  const timer = setInterval(sample, 100);
  const killer = setTimeout(() => {
    for (const p of cg ? cgPids(cg) : child.pid ? [child.pid] : []) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }, o.timeoutMs);
  const code: number | null = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(timer);
  clearTimeout(killer);
  closeSync(outFd);
  closeSync(errFd);
  let userS: number;
  let sysS: number;
  let cpuSource: Measurement['cpuSource'] = 'time';
  const [, tu, ts, tm] = read(timeFile).trim().split('\n').pop()!.split(' ').map(Number);
  if (cg) {
    await emptyCgroup(cg); // ControlPersist masters and the like: their CPU is already in the cgroup
    const stat = Object.fromEntries(
      read(join(cg, 'cpuacct.stat'))
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ') as [string, string]),
    );
    userS = Number(stat.user ?? 0) / TICK;
    sysS = Number(stat.system ?? 0) / TICK;
    cpuSource = 'cgroup';
    removeCgroup(cg);
  } else {
    userS = tu ?? 0;
    sysS = ts ?? 0;
  }
  await sleep(300); // let the nodes' sshd listeners reap the finished sessions
  const nodeCpuS = (nodeTicks(listeners) - node0) / TICK;
  const err = read(stderrFile);
  return {
    name,
    argv,
    code,
    wallS,
    cpuS: userS + sysS,
    userS,
    sysS,
    cpuSource,
    maxRssMB: (tm ?? 0) / 1024,
    treeRssMB: peak / 1e6,
    peakProcesses: peakProcs,
    nodeCpuS,
    stdoutFile,
    stderrFile,
    stderrTail: err.slice(-600),
  };
}

export function writeJson(file: string, v: unknown): void {
  writeFileSync(file, JSON.stringify(v, null, 2) + '\n');
}
