// The simulated class: `labUp` / `labDown` / `labStatus` and the `Lab` handle tests use.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkHost } from './deps.ts';
import { FAULTS } from './faults.ts';
import { ensureKey, keyBlob, keyTypeAndBlob } from './keys.ts';
import { createStudentNet, deleteNetns, listLabNetns } from './net.ts';
import { findSshd, killNode, nodeFiles, portOpen, provisionNode, startNode, stopNodeSshd } from './node.ts';
import {
  ETH1,
  isSlotNetns,
  MAX_STUDENTS,
  NODE_NAMES,
  type NodeName,
  type NodeNames,
  labPaths,
  nodeNames,
  resolveLabDir,
  slotOctet,
  SOLUTIONS_DIR,
  studentId,
} from './paths.ts';
import { buildShared, sharedPaths } from './shared.ts';
import { type LabExecResult, sshExec } from './ssh.ts';
import { type ClassFile, LAB_STATES, type LabState, type NodeRecord, readClassFile, type StudentPlan, writeClassFile } from './state.ts';
import { cmdline, isAlive, killQuiet, listPids, mapLimit, nsId, run, rssKiB, sleep, waitGone } from './sys.ts';

export type { LabState, StudentPlan } from './state.ts';
export { LAB_STATES } from './state.ts';
export { LabDependencyError, checkHost } from './deps.ts';

export interface LabNode {
  student: string;
  name: NodeName;
  index: 1 | 2 | 3;
  host: string;
  port: 22;
  netns: string;
  /** <lab>/nodes/<student>-<node>: the node's own files (etc-upper, root, rpm, containers ...) */
  dir: string;
}

export interface LabUpOptions {
  students: number;
  state: LabState;
  dir?: string;
  /** nodes started at once (default: 4 per core) */
  concurrency?: number;
  log?: (line: string) => void;
}

/** Wall-clock milliseconds per phase of `labUp`, for the benchmark. */
export interface LabTimings {
  checkMs: number;
  sharedMs: number;
  networkMs: number;
  nodesMs: number;
  stateMs: number;
  totalMs: number;
  nodes: number;
  concurrency: number;
}

export class LabBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabBusyError';
  }
}

function toLabNode(r: NodeNames): LabNode {
  return { student: r.student, name: r.name, index: r.index, host: r.host, port: 22, netns: r.netns, dir: r.dir };
}

export class Lab {
  readonly rosterPath: string;
  readonly keyPath: string;
  readonly knownHostsPath: string;
  readonly nodes: LabNode[];
  private privateKey: Buffer | null = null;

  constructor(
    readonly dir: string,
    private cls: ClassFile,
    readonly timings: LabTimings | null,
  ) {
    const p = labPaths(dir);
    this.rosterPath = p.roster;
    this.keyPath = p.key;
    this.knownHostsPath = p.knownHosts;
    this.nodes = cls.nodes.map(toLabNode);
  }

  get state(): LabState {
    return this.cls.state;
  }
  /** Per student: what the class was made to look like (the expected verdicts of a mixed class follow from it). */
  get plan(): StudentPlan[] {
    return this.cls.plan;
  }

  node(student: string, name: string): LabNode {
    const n = this.nodes.find((x) => x.student === student && x.name === name);
    if (!n) throw new Error(`no node ${student}/${name} in the lab at ${this.dir}`);
    return n;
  }

  private record(node: LabNode): NodeRecord {
    const r = this.cls.nodes.find((x) => x.student === node.student && x.name === node.name);
    if (!r) throw new Error(`no node ${node.student}/${node.name}`);
    return r;
  }

  /** Runs `command` as root on the node over real SSH (lab key, host key checked). */
  async exec(node: LabNode, command: string, stdin?: string): Promise<LabExecResult> {
    this.privateKey ??= await fs.readFile(this.keyPath);
    return sshExec({ host: node.host, privateKey: this.privateKey, hostKeyB64: keyBlob(this.record(node).hostKey) }, command, stdin);
  }

  private async execOk(node: LabNode, what: string, command: string, stdin?: string): Promise<void> {
    const r = await this.exec(node, command, stdin);
    if (r.code !== 0)
      throw new Error(`${what} on ${node.student}/${node.name} failed (exit ${r.code}):\n${(r.stdout + r.stderr).trim().slice(-3000)}`);
  }

  /** Runs scripts/solutions/day<N>.sh, unchanged, on the node over SSH (`bash -s`, script on stdin). */
  async solve(node: LabNode, day: 1 | 2): Promise<void> {
    const file = path.join(SOLUTIONS_DIR, `day${day}.sh`);
    const script = await fs.readFile(file, 'utf8').catch(() => {
      throw new Error(`solution script missing: ${file}`);
    });
    await this.execOk(node, `day ${day} solution`, 'bash -s', script);
  }

  /** Applies a fault from faults.ts (a script run over SSH). */
  async applyFault(node: LabNode, faultId: string): Promise<void> {
    const f = FAULTS.find((x) => x.id === faultId);
    if (!f) throw new Error(`unknown fault ${faultId}; known: ${FAULTS.map((x) => x.id).join(', ') || '(none)'}`);
    await this.execOk(node, `fault ${faultId}`, 'bash -s', f.script);
  }

  /** Stops the node's sshd (the node keeps running, containers too): graders get "connection refused". */
  async stopSshd(node: LabNode): Promise<void> {
    await stopNodeSshd(this.record(node));
  }

  /** Replaces root's authorized_keys with another key: the lab key is refused, like a student who changed it. */
  async breakKey(node: LabNode): Promise<void> {
    const other = await fs.readFile(`${path.join(labPaths(this.dir).hostKeys, `${node.student}-${node.name}`)}.pub`, 'utf8');
    await fs.writeFile(nodeFiles(node.dir).authorizedKeys, `# the student replaced the lab key\n${other.trim()}\n`);
  }

  /**
   * A digest of everything a read-only grader must leave as it was: the node's /etc upper layer, /root, /tmp,
   * /var/tmp, stand-in state, /proc/swaps (paths, types, modes, sizes, mtimes, contents), its rpm database (as
   * `rpm -qa`), and its podman objects (stable fields of ps/pod/network/images JSON), its addresses and hostname.
   */
  async snapshot(node: LabNode): Promise<string> {
    return createHash('sha256').update(await this.snapshotText(node)).digest('hex');
  }

  /** The text `snapshot` hashes, to show what changed when two digests differ. */
  async snapshotText(node: LabNode): Promise<string> {
    const f = nodeFiles(node.dir);
    const parts: string[] = [];
    // Remote part first: podman's first call on a node creates its lock files (and loads overlay), as on
    // a VM; listing the files after it keeps two snapshots of an untouched node equal.
    const r = await this.exec(node, SNAPSHOT_REMOTE);
    if (r.code !== 0) throw new Error(`snapshot of ${node.student}/${node.name} failed: ${r.stderr}`);
    for (const [label, dir] of [
      ['etc', f.etcUpper],
      ['root', f.root],
      ['tmp', f.tmp],
      ['var-tmp', f.varTmp],
      ['run-labgrade', f.runLabgrade],
      ['k8s', path.join(node.dir, 'k8s')],
    ] as const)
      parts.push(`## ${label}\n${await treeListing(dir, label === 'tmp' || label === 'var-tmp')}`);
    parts.push(`## proc-swaps\n${await fs.readFile(f.procSwaps, 'utf8').catch(() => '(none)')}`);
    const rpm = await run('rpm', ['--dbpath', f.rpm, '-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH} %{INSTALLTIME}\\n'], {
      allowFail: true,
    });
    parts.push(`## rpm\n${rpm.stdout.split('\n').sort().join('\n')}`);
    parts.push(normalizePodman(r.stdout));
    return parts.join('\n');
  }

  async status(): Promise<LabStatus> {
    return labStatus(this.dir);
  }

  async down(): Promise<void> {
    await labDown(this.dir);
  }
}

// Read by the snapshot over SSH: the podman objects and kernel state a grader could change.
const SNAPSHOT_REMOTE = [
  'echo "## hostname"; hostname',
  'echo "## addr"; ip -o addr show | sed -E "s/ +valid_lft.*//"',
  'echo "## ip_forward"; cat /proc/sys/net/ipv4/ip_forward',
  'echo "## podman-ps"; /usr/bin/podman ps -a --format json',
  'echo "## podman-pods"; /usr/bin/podman pod ps --format json',
  'echo "## podman-networks"; /usr/bin/podman network ls --format json',
  'echo "## podman-images"; /usr/bin/podman images --format json',
].join('; ');

/** Keeps only fields that change when an object changes, not with the clock (Status "Up 5 seconds" ...). */
function normalizePodman(text: string): string {
  const keep: Record<string, string[]> = {
    'podman-ps': ['Id', 'Names', 'Image', 'State', 'Ports', 'Pod', 'Command', 'Exited', 'ExitCode'],
    'podman-pods': ['Id', 'Name', 'Status', 'InfraId', 'Networks', 'Containers'],
    'podman-networks': ['name', 'id', 'driver', 'network_interface', 'subnets'],
    'podman-images': ['Id', 'Names', 'RepoTags', 'Digest'],
  };
  return text
    .split(/^(?=## )/m)
    .map((sec) => {
      const nl = sec.indexOf('\n');
      const head = sec.slice(3, nl).trim();
      const body = sec.slice(nl + 1);
      const fields = keep[head];
      if (!fields) return sec;
      try {
        const arr = JSON.parse(body || '[]') as Record<string, unknown>[];
        const pick = (o: Record<string, unknown>) =>
          Object.fromEntries(fields.filter((k) => k in o).map((k) => [k, k === 'Containers' ? stripTimes(o[k]) : o[k]]));
        return `## ${head}\n${JSON.stringify((arr ?? []).map(pick))}\n`;
      } catch {
        return sec;
      }
    })
    .join('');
}

function stripTimes(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((c: Record<string, unknown>) => ({ Id: c.Id, Names: c.Names, Status: c.Status }));
}

/**
 * `scratch`: a tmp dir whose own mtime is not state. Real podman creates and removes a scratch dir in
 * /var/tmp on every image command (measured on podman 4.3 here), on a VM as on a lab node: what such a
 * dir holds still counts, its timestamp does not.
 */
async function treeListing(root: string, scratch = false): Promise<string> {
  const lines: string[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    let entries: string[];
    try {
      entries = (await fs.readdir(dir)).sort();
    } catch {
      lines.push(`${rel || '.'} (missing)`);
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e);
      const r = rel ? `${rel}/${e}` : e;
      const st = await fs.lstat(p);
      const head = `${r} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.mtimeMs}`;
      if (st.isSymbolicLink()) lines.push(`${head} -> ${await fs.readlink(p)}`);
      else if (st.isDirectory()) {
        lines.push(`${head} dir`);
        await walk(p, r);
      } else if (st.isFile()) {
        const h = createHash('sha256').update(await fs.readFile(p)).digest('hex');
        lines.push(`${head} ${st.size} ${h}`);
      } else lines.push(`${head} special`);
    }
  }
  const st = await fs.lstat(root).catch(() => null);
  if (st) lines.push(`. ${st.mode.toString(8)}${scratch ? '' : ` ${st.mtimeMs}`}`);
  await walk(root, '');
  return lines.join('\n');
}

/** Composition of a mixed class: every kind of student a grader must tell apart, cycling over the class. */
export function mixedPlan(students: number, faultIds: string[]): StudentPlan[] {
  const plans: StudentPlan[] = [];
  for (let i = 1; i <= students; i++) {
    const s = studentId(i);
    switch ((i - 1) % 5) {
      case 0:
        plans.push({ student: s, days: [1, 2], note: 'day 1 and day 2 done' });
        break;
      case 1:
        plans.push({ student: s, days: [1], note: 'day 1 done, day 2 not started' });
        break;
      case 2:
        plans.push({ student: s, days: [], partialDay1: ['node1'], note: 'day 1 half done (node1 only)' });
        break;
      case 3: {
        const fault = faultIds.length ? faultIds[Math.floor((i - 1) / 5) % faultIds.length] : undefined;
        plans.push(
          fault
            ? { student: s, days: [1, 2], faults: { node1: [fault] }, note: `day 1 and 2 done, then fault ${fault} on node1` }
            : { student: s, days: [1, 2], note: 'day 1 and day 2 done (no faults defined)' },
        );
        break;
      }
      default:
        plans.push({ student: s, days: [], note: 'fresh (nothing done)' });
    }
  }
  // One node that does not answer and one that refuses the key: the last students, so small classes have both.
  const last = plans[plans.length - 1] as StudentPlan;
  last.sshdStopped = 'node3';
  last.note += '; node3 sshd stopped';
  const keyStudent = (plans.length >= 2 ? plans[plans.length - 2] : last) as StudentPlan;
  keyStudent.keyRefused = 'node2';
  keyStudent.note += '; node2 refuses the lab key';
  return plans;
}

function planFor(state: LabState, students: number): StudentPlan[] {
  if (state === 'mixed')
    return mixedPlan(
      students,
      FAULTS.map((f) => f.id),
    );
  const upTo = state === 'fresh' ? 0 : Number(state.slice(3));
  const days = ([1, 2, 3, 4, 5] as const).filter((d) => d <= upTo);
  return Array.from({ length: students }, (_, i) => ({ student: studentId(i + 1), days, note: state }));
}

function rosterYaml(dir: string, nodes: NodeRecord[], students: number): string {
  const p = labPaths(dir);
  const lines = [
    '# labgrade roster (written by `labgrade lab up`)',
    'defaults:',
    '  user: root',
    '  port: 22',
    `  identity: ${p.key}`,
    `  knownHosts: ${p.knownHosts}`,
    'lab:',
    '  exerciseNode: node1',
    `  eth1: { node1: ${ETH1.node1}, node2: ${ETH1.node2}, node3: ${ETH1.node3} }`,
    '  kubeYamlDir: /root',
    'students:',
  ];
  for (let i = 1; i <= students; i++) {
    lines.push(`  - id: ${studentId(i)}`, `    name: Student ${String(i).padStart(2, '0')}`, '    nodes:');
    for (const n of nodes.filter((x) => x.studentIndex === i)) lines.push(`      ${n.name}: { host: ${n.host} }`);
  }
  return lines.join('\n') + '\n';
}

/** Is any node of this (or a crashed) class still running? */
async function liveNodes(dir: string): Promise<string[]> {
  const cls = await readClassFile(labPaths(dir).classFile);
  const live: string[] = [];
  for (const n of cls?.nodes ?? []) if ((await isAlive(n.initPid)) && (await cmdline(n.initPid as number)).includes(n.dir)) live.push(`${n.student}/${n.name}`);
  return live;
}

/** Starts a class: N students x node1..3, in `state`. Refuses when a class is already up. */
export async function labUp(opts: LabUpOptions): Promise<Lab> {
  const log = opts.log ?? (() => undefined);
  const t0 = Date.now();
  if (!Number.isInteger(opts.students) || opts.students < 1 || opts.students > MAX_STUDENTS)
    throw new Error(`--students must be 1..${MAX_STUDENTS} (got ${opts.students})`);
  if (!LAB_STATES.includes(opts.state)) throw new Error(`--state must be ${LAB_STATES.slice(0, -1).join(', ')} or mixed (got ${opts.state})`);
  // a day is a state once the course's solution for it exists (scripts/solutions/dayN.sh builds it)
  const noScript = [1, 2, 3, 4, 5].filter((d) => opts.state === `day${d}` || (opts.state.startsWith('day') && d < Number(opts.state.slice(3))))
    .map((d) => path.join(SOLUTIONS_DIR, `day${d}.sh`))
    .filter((f) => !existsSync(f));
  if (noScript.length) throw new Error(`--state ${opts.state} is not available yet: ${noScript.join(', ')} does not exist`);
  const tools = await checkHost();
  const dir = resolveLabDir(opts.dir);
  const p = labPaths(dir);

  const live = await liveNodes(dir);
  const strayNetns = await listLabNetns();
  const strays = await strayProcesses();
  if (live.length || strays.length)
    throw new LabBusyError(
      `a lab class is already up (${live.length ? `${live.length} nodes in ${dir}` : `${strays.length} lab processes`}); ` +
        'run `labgrade lab down` first',
    );
  if (strayNetns.length || (await readClassFile(p.classFile))) {
    log(`cleaning up after a previous class that did not shut down (${strayNetns.length} namespaces)`);
    await labDown(dir);
  }
  const concurrency = Math.max(1, opts.concurrency ?? os.cpus().length * 4);
  const tCheck = Date.now();

  await fs.mkdir(dir, { recursive: true });
  const labPub = await ensureKey(p.key, 'labgrade-lab');
  const sp = await buildShared(p.shared, tools.busybox, log);
  const tShared = Date.now();

  const nodes: NodeRecord[] = [];
  const hostKeyFiles: string[] = [];
  for (let i = 1; i <= opts.students; i++)
    for (const name of NODE_NAMES) {
      const nn = nodeNames(dir, i, name);
      const hk = path.join(p.hostKeys, `${nn.student}-${name}`);
      hostKeyFiles.push(hk);
      nodes.push({ ...nn, hostKey: '' });
    }
  const cls: ClassFile = {
    version: 1,
    dir,
    students: opts.students,
    state: opts.state,
    createdAt: new Date().toISOString(),
    phase: 'starting',
    nodes,
    plan: planFor(opts.state, opts.students),
  };
  // Written before anything is started, so `lab down` can clean up whatever a crash leaves.
  await writeClassFile(p.classFile, cls);

  try {
    await mapLimit(nodes, concurrency, async (n, i) => {
      n.hostKey = keyTypeAndBlob(await ensureKey(hostKeyFiles[i] as string, `${n.student}-${n.name}`));
    });
    await mapLimit(
      Array.from({ length: opts.students }, (_, i) => i + 1),
      concurrency,
      (i) => createStudentNet(i),
    );
    const tNet = Date.now();
    log(`network: ${opts.students} student networks, ${nodes.length} node namespaces`);

    let started = 0;
    await mapLimit(nodes, concurrency, async (n, i) => {
      await provisionNode(n, sp, hostKeyFiles[i] as string, labPub);
      Object.assign(n, await startNode(n, sp));
      if (++started % 15 === 0 || started === nodes.length) log(`nodes: ${started}/${nodes.length} up`);
    });
    await writeClassFile(p.classFile, cls);
    await fs.writeFile(p.knownHosts, nodes.map((n) => `${n.host} ${n.hostKey}`).join('\n') + '\n');
    await fs.writeFile(p.roster, rosterYaml(dir, nodes, opts.students));
    const tNodes = Date.now();

    const lab = new Lab(dir, cls, null);
    await applyPlan(lab, cls.plan, concurrency, log);
    cls.phase = 'up';
    await writeClassFile(p.classFile, cls);
    const tEnd = Date.now();
    const timings: LabTimings = {
      checkMs: tCheck - t0,
      sharedMs: tShared - tCheck,
      networkMs: tNet - tShared,
      nodesMs: tNodes - tNet,
      stateMs: tEnd - tNodes,
      totalMs: tEnd - t0,
      nodes: nodes.length,
      concurrency,
    };
    log(`lab up: ${nodes.length} nodes in ${(timings.totalMs / 1000).toFixed(1)} s; roster ${p.roster}`);
    return new Lab(dir, cls, timings);
  } catch (e) {
    log(`lab up failed, cleaning up: ${(e as Error).message.split('\n')[0]}`);
    await labDown(dir).catch(() => undefined);
    throw e;
  }
}

async function applyPlan(lab: Lab, plan: StudentPlan[], concurrency: number, log: (l: string) => void): Promise<void> {
  const work = plan.filter((s) => s.days.length || s.partialDay1?.length || s.faults || s.sshdStopped || s.keyRefused);
  if (!work.length) return;
  // Solutions per node in parallel, a node's steps in order.
  const jobs = lab.nodes.map((n) => ({ n, s: plan.find((x) => x.student === n.student) as StudentPlan }));
  await mapLimit(jobs, concurrency, async ({ n, s }) => {
    for (const d of s.days) if (d <= 2) await lab.solve(n, d as 1 | 2);
    if (s.partialDay1?.includes(n.name)) await lab.solve(n, 1);
    if (!s.days.includes(3)) for (const f of s.faults?.[n.name] ?? []) await lab.applyFault(n, f);
  });
  // days 3-5 take turns between a student's nodes (src/lab/cluster.ts)
  const clusterDays = plan.filter((s) => s.days.includes(3));
  if (clusterDays.length) {
    const { solveClusterDay } = await import('./cluster.ts');
    await mapLimit(clusterDays, Math.max(1, Math.floor(concurrency / 3)), async (s) => {
      for (const d of s.days) if (d >= 3) await solveClusterDay(lab, s.student, d);
      for (const n of lab.nodes.filter((x) => x.student === s.student)) for (const f of s.faults?.[n.name] ?? []) await lab.applyFault(n, f);
    });
  }
  for (const s of plan) {
    if (s.keyRefused) await lab.breakKey(lab.node(s.student, s.keyRefused));
    if (s.sshdStopped) await lab.stopSshd(lab.node(s.student, s.sshdStopped));
  }
  log(`state: applied (${work.length} students changed)`);
}

/** Lab processes found by name, whatever class.json says (crash recovery). */
async function strayProcesses(): Promise<number[]> {
  const out: number[] = [];
  for (const pid of await listPids()) {
    if (pid === process.pid) continue;
    const c = await cmdline(pid);
    // node-init's args: node dir, netns (slot-specific), ...; sshd's config names its slot's address
    const init = /\/shared\/node-init\.sh \S+\/nodes\/s\d+-node[123] (\S+) /.exec(c);
    const sshd = /sshd -D -f (\S+\/nodes\/s\d+-node[123]\/sshd_config)/.exec(c);
    const ours = init
      ? isSlotNetns(init[1]!)
      : sshd
        ? (await fs.readFile(sshd[1]!, 'utf8').catch(() => '')).includes(`ListenAddress 127.${slotOctet()}.`)
        : false;
    if (ours && (await isAlive(pid))) out.push(pid);
  }
  return out;
}

/** Processes living in a lab netns (sessions, containers, anything a node started). */
async function processesInLabNetns(): Promise<number[]> {
  const ids = new Set<string>();
  for (const n of await listLabNetns()) {
    const id = await nsId(`/run/netns/${n}`);
    if (id) ids.add(id);
  }
  if (!ids.size) return [];
  const out: number[] = [];
  for (const pid of await listPids()) {
    const id = await nsId(`/proc/${pid}/ns/net`);
    if (id && ids.has(id) && (await isAlive(pid))) out.push(pid);
  }
  return out;
}

/**
 * Stops everything a class started and removes its namespaces and node files. Idempotent; works from
 * class.json and, after a crash, from names (this slot's lg-s* netns, node-init/sshd command lines). Keeps shared/,
 * hostkeys/ and the lab key (caches; `purge` removes the whole lab dir).
 */
export async function labDown(dir?: string, opts: { purge?: boolean; log?: (l: string) => void } = {}): Promise<void> {
  const d = resolveLabDir(dir);
  const p = labPaths(d);
  const cls = await readClassFile(p.classFile);
  const killed: number[] = [];
  for (const n of cls?.nodes ?? []) killed.push(...(await killNode(n)));
  for (let round = 0; round < 3; round++) {
    const more = [...(await strayProcesses()), ...(await processesInLabNetns())];
    if (!more.length) break;
    for (const pid of more) killQuiet(pid);
    killed.push(...more);
    await waitGone(more, 5000);
  }
  const left = await waitGone(killed, 10_000);
  if (left.length) throw new Error(`lab down: processes would not die: ${left.join(' ')}`);

  // Node mounts live in the nodes' own mount namespaces and die with them; anything here is a leak.
  const mounts = (await fs.readFile('/proc/self/mountinfo', 'utf8'))
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(`${d}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) await run('umount', ['-l', m], { allowFail: true });

  const netns = new Set(await listLabNetns());
  for (const n of cls?.nodes ?? []) netns.add(n.netns).add(n.switchNetns);
  for (const n of netns) await deleteNetns(n);

  if (opts.purge) await rmRetry(d);
  else {
    await rmRetry(p.nodes);
    for (const f of [p.classFile, p.roster, p.knownHosts]) await fs.rm(f, { force: true });
  }
  opts.log?.(`lab down: ${cls ? `${cls.nodes.length} nodes` : 'no class file'}, ${netns.size} namespaces removed`);
}

async function rmRetry(target: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await fs.rm(target, { recursive: true, force: true });
      return;
    } catch (e) {
      if (i >= 20) throw e;
      await sleep(100);
    }
  }
}

export interface NodeStatus {
  student: string;
  name: NodeName;
  host: string;
  /** node processes running (its PID 1 alive) */
  running: boolean;
  /** sshd accepts connections on host:22 */
  listening: boolean;
  processes: number;
  /** summed resident memory of the node's processes (KiB) */
  rssKiB: number;
  /** summed proportional set size (KiB): shared pages counted once across nodes */
  pssKiB: number;
}

export interface LabStatus {
  dir: string;
  up: boolean;
  state?: LabState;
  phase?: 'starting' | 'up';
  students: number;
  nodes: NodeStatus[];
  plan: StudentPlan[];
  /** lab namespaces and processes with no class file to account for them */
  leftovers: { netns: string[]; processes: number[] };
}

async function pss(pid: number): Promise<number> {
  try {
    const m = /^Pss:\s+(\d+)/m.exec(await fs.readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** What is up, with memory per node (every process in the node's pid namespace). */
export async function labStatus(dir?: string): Promise<LabStatus> {
  const d = resolveLabDir(dir);
  const cls = await readClassFile(labPaths(d).classFile);
  const byNs = new Map<string, number[]>();
  if (cls) {
    for (const pid of await listPids()) {
      const id = await nsId(`/proc/${pid}/ns/pid`);
      if (!id) continue;
      const arr = byNs.get(id) ?? [];
      arr.push(pid);
      byNs.set(id, arr);
    }
  }
  const nodes: NodeStatus[] = await mapLimit(cls?.nodes ?? [], 16, async (n) => {
    const running = (await isAlive(n.initPid)) && (await cmdline(n.initPid as number)).includes(n.dir);
    let processes = 0;
    let rss = 0;
    let ps = 0;
    if (running) {
      const id = await nsId(`/proc/${n.initPid}/ns/pid`);
      const pids = (id && byNs.get(id)) || [];
      processes = pids.length;
      for (const pid of pids) {
        rss += await rssKiB(pid);
        ps += await pss(pid);
      }
    }
    return {
      student: n.student,
      name: n.name,
      host: n.host,
      running,
      listening: running && (await findSshd(n)) !== null && (await portOpen(n.host)),
      processes,
      rssKiB: rss,
      pssKiB: ps,
    };
  });
  const netns = await listLabNetns();
  const known = new Set((cls?.nodes ?? []).flatMap((n) => [n.netns, n.switchNetns]));
  return {
    dir: d,
    up: nodes.some((n) => n.running),
    state: cls?.state,
    phase: cls?.phase,
    students: cls?.students ?? 0,
    nodes,
    plan: cls?.plan ?? [],
    leftovers: { netns: netns.filter((n) => !known.has(n)), processes: cls ? [] : await strayProcesses() },
  };
}

/** A handle on the class that is up (for tests, the demo, `lab ssh`). */
export async function openLab(dir?: string): Promise<Lab> {
  const d = resolveLabDir(dir);
  const cls = await readClassFile(labPaths(d).classFile);
  if (!cls) throw new Error(`no lab class is up in ${d} (run \`labgrade lab up\`)`);
  return new Lab(d, cls, null);
}

/** The OpenSSH command line that logs in to a node as a grader would (strict host key checking). */
export function sshCommand(lab: { keyPath: string; knownHostsPath: string }, node: { host: string }, command?: string[]): string[] {
  return [
    'ssh',
    '-i',
    lab.keyPath,
    '-o',
    `UserKnownHostsFile=${lab.knownHostsPath}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'IdentitiesOnly=yes',
    `root@${node.host}`,
    ...(command ?? []),
  ];
}

export { sharedPaths, nodeNames };
