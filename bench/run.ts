/**
 * `npm run bench [-- --students 30 --quick --states day1,fresh,day3 --reps 3]`
 *
 * Brings up one simulated class (src/lab, via the CLI), and measures, on the same class:
 *   labgrade (the CLI, start to finish), pytest-testinfra (serial and -n 2), ansible-playbook, and two floors
 *   (OpenSSH client per node; one ssh2 process), all running labgrade's own probe commands (bench/commands.ts),
 * for day 1 (podman-heavy) and a cheap-only variant (the day-2 spec: rpm -q, cat, ip, sysctl ...: no podman),
 * plus labgrade's growth with the number of nodes. Writes reports/bench/<timestamp>.json and prints a table.
 * State day3 (clusters built by scripts/solutions/day3.sh) has a section of its own: labgrade's day 3 against the
 * floors running the same commands (the spec's probes on each node, prerequisites included).
 * The `rtt` section puts bench/proxy.mjs (a delaying TCP proxy) in front of every node and runs the tools
 * through it at each --rtt.
 * Network: only the lab slot's loopback addresses (127.77.x.y for slot 0, 127.(80+N).x.y for LABGRADE_LAB_SLOT=N)
 * and the proxy's (127.78.x.y, or 127.(90+N).x.y).
 */
import { $, type ProcessPromise } from 'zx';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { labSlot, slotOctet } from '../src/lab/paths.ts';
import { loadRoster } from '../src/roster/index.ts';
import { benchCommands, type BenchCommands, type Day, loadSpecDay, writeBenchCommands } from './commands.ts';
import { labListeners, measure, type Measurement, setLabDir, writeJson } from './measure.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin/labgrade.mjs');
const PY = '/usr/bin/python3';
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** the mini harness, compiled (tsconfig.bench.json) */
const MINI = join(ROOT, 'reports/bench/build/bench/mini/grade.js');
const SECTIONS = ['day1', 'rtt', 'growth', 'cheap', 'mini', 'fixed', 'day3'];
/** the lab's node addresses 127.<OCT>.i.k, and the latency proxy's 127.<PROXY_OCT>.i.k in front of them */
const OCT = slotOctet();
const PROXY_OCT = labSlot() === 0 ? 78 : 90 + labSlot();

interface Args {
  students: number;
  quick: boolean;
  states: ('day1' | 'fresh' | 'day3')[];
  reps: number;
  waitLabMin: number;
  /** grade an already-up class instead of bringing one up (and leave it up) */
  useUp: boolean;
  /** sections to run: day1, growth, cheap (day-2 spec), mini (cheap-only mini spec), fixed; day3 (state day3 only) */
  only: Set<string>;
  /** round-trip times for the rtt section, ms */
  rtts: number[];
  /** no serial testinfra, and the mini section without its 90-node peer rows (a shared machine, little time) */
  lean: boolean;
  /** tools of the rtt section (default all four) */
  rttTools: Set<string>;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { students: 30, quick: false, states: ['day1', 'fresh', 'day3'], reps: 3, waitLabMin: 10, useUp: false, only: new Set(SECTIONS), rtts: [0, 20, 40, 100], lean: false, rttTools: new Set(['labgrade', 'floor-ssh2', 'testinfra-n2', 'ansible']) };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === '--students') a.students = Number(v());
    else if (k === '--quick') a.quick = true;
    else if (k === '--lean') a.lean = true;
    else if (k === '--rtt-tools') a.rttTools = new Set(v().split(','));
    else if (k === '--states') a.states = v().split(',') as Args['states'];
    else if (k === '--reps') a.reps = Number(v());
    else if (k === '--wait-lab') a.waitLabMin = Number(v());
    else if (k === '--use-up') a.useUp = true;
    else if (k === '--only') a.only = new Set(v().split(','));
    else if (k === '--rtt') a.rtts = v().split(',').map(Number);
    else if (k === '--help' || k === '-h') {
      process.stdout.write(
        'npm run bench -- [--students N (30)] [--quick] [--states day1,fresh,day3] [--reps N (3)] [--wait-lab MIN (10)] [--use-up] [--only day1,rtt,growth,cheap,mini,fixed,day3] [--rtt 0,20,40,100] [--rtt-tools labgrade,floor-ssh2,testinfra-n2,ansible] [--lean]\n' +
          '  --quick: 10 students, no serial testinfra, 1 rep\n  --use-up: measure the class that is already up (do not bring one up or down)\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${k}`);
  }
  if (a.quick) {
    a.students = Math.min(a.students, 10);
    a.reps = 1;
  }
  if (!Number.isInteger(a.students) || a.students < 1 || a.students > 80) throw new Error('--students must be 1..80');
  if (!Number.isInteger(a.reps) || a.reps < 1 || a.reps > 10) throw new Error('--reps must be 1..10');
  for (const s of a.states) if (s !== 'day1' && s !== 'fresh' && s !== 'day3') throw new Error(`--states: day1, fresh or day3, not ${s}`);
  for (const r of a.rtts) if (!Number.isInteger(r) || r < 0 || r > 1000) throw new Error('--rtt: whole milliseconds 0..1000');
  return a;
}

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
// the bench's own processes (lab up/down, the proxy, builds) through zx; the measured ones through measure.ts
// (it needs the cgroup wrapper and GNU time around the exact argv)
$.verbose = false;
$.cwd = ROOT;
const NODE = process.execPath;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ensurePeers(): Promise<void> {
  const script = join(ROOT, 'bench/install-peers.mjs');
  const check = await $`${NODE} ${script} --check`.nothrow();
  if (check.exitCode === 0) return;
  log(check.stdout.trim() || 'peers missing: installing');
  await $({ stdio: 'inherit' })`${NODE} ${script}`;
}

/** Anything listening on this slot's 127.OCT.x.y (any lab dir: a second class would collide on these addresses). */
async function labListening(): Promise<number> {
  const out = (await $`ss -Hltn`).stdout;
  return out.split('\n').filter((l) => new RegExp(`\\s127\\.(${OCT}|${PROXY_OCT})\\.\\d+\\.\\d+:22\\s`).test(l)).length;
}

async function waitLabFree(minutes: number): Promise<void> {
  const until = Date.now() + minutes * 60_000;
  for (let i = 0; ; i++) {
    const n = await labListening();
    if (n === 0) return;
    if (Date.now() > until) throw new Error(`a class is up (${n} sshd on 127.${OCT}.x.y) and stayed up ${minutes} min: not touching it`);
    if (i % 4 === 0) log(`a class is up (${n} sshd on 127.${OCT}.x.y, someone else's): waiting (up to ${minutes} min)`);
    await sleep(15_000);
  }
}

interface LabUpInfo {
  measurement: Measurement;
  json: { roster: string; key: string; knownHosts: string; timings: unknown; memory: { rssKiBPerNode: number; pssKiBPerNode: number } } | null;
}

async function labUp(students: number, state: string, outDir: string): Promise<LabUpInfo> {
  // Not in a cgroup that gets emptied: the nodes are daemons the lab leaves running.
  log(`lab up --students ${students} --state ${state}`);
  const t0 = Date.now();
  const timeFile = join(outDir, `labup-${state}.time`);
  const r = await $({ timeout: 30 * 60_000, nothrow: true })`/usr/bin/time -f ${'%e %U %S %M'} -o ${timeFile} ${NODE} ${CLI} lab up --students ${students} --state ${state} --json`;
  const [e, u, s, m] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  writeFileSync(join(outDir, `labup-${state}.err`), r.stderr);
  if (r.exitCode !== 0) throw new Error(`lab up failed (${r.exitCode}): ${r.stderr.slice(-1500)}`);
  const json = JSON.parse(r.stdout) as LabUpInfo['json'];
  return {
    json,
    measurement: {
      name: `lab up ${state}`,
      argv: ['lab', 'up'],
      code: r.exitCode,
      wallS: e ?? (Date.now() - t0) / 1000,
      cpuS: (u ?? 0) + (s ?? 0),
      userS: u ?? 0,
      sysS: s ?? 0,
      cpuSource: 'time',
      maxRssMB: (m ?? 0) / 1024,
      treeRssMB: 0,
      peakProcesses: 0,
      nodeCpuS: 0,
      stdoutFile: '',
      stderrFile: join(outDir, `labup-${state}.err`),
      stderrTail: '',
    },
  };
}

async function labDown(): Promise<void> {
  log('lab down');
  const r = await $({ stdio: ['ignore', 'inherit', 'inherit'], timeout: 10 * 60_000, nothrow: true })`${NODE} ${CLI} lab down`;
  if (r.exitCode !== 0) log(`lab down exited ${r.exitCode}`);
}

/** A roster holding the first `n` nodes of the class, in roster order (same class, same nodes). */
function subsetRoster(full: string, n: number, file: string): string {
  const doc = parse(readFileSync(full, 'utf8')) as { students: { id: string; nodes: Record<string, unknown> }[] };
  let left = n;
  const students: typeof doc.students = [];
  for (const s of doc.students) {
    if (left <= 0) break;
    const entries = Object.entries(s.nodes).slice(0, left);
    left -= entries.length;
    students.push({ ...s, nodes: Object.fromEntries(entries) });
  }
  // the roster refuses lab.eth1 entries for nodes no student has
  const present = new Set(students.flatMap((s) => Object.keys(s.nodes)));
  const lab = (doc as { lab?: { eth1?: Record<string, unknown> } }).lab;
  const eth1 = lab?.eth1 ? Object.fromEntries(Object.entries(lab.eth1).filter(([k]) => present.has(k))) : undefined;
  writeFileSync(file, stringify({ ...doc, ...(lab ? { lab: { ...lab, ...(eth1 ? { eth1 } : {}) } } : {}), students }));
  return file;
}

/** known_hosts with every lab entry repeated under the proxy's address (same node, same key). */
function withProxyHosts(knownHosts: string, file: string): string {
  const lines = readFileSync(knownHosts, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const re = new RegExp(`^127\\.${OCT}\\.`);
  const proxied = lines.filter((l) => re.test(l)).map((l) => l.replace(re, `127.${PROXY_OCT}.`));
  writeFileSync(file, [...lines, ...proxied].join('\n') + '\n');
  return file;
}

/** The roster with every node behind the proxy, and the proxy's map (listen -> node). */
function proxiedRoster(full: string, knownHosts: string, dir: string): { roster: string; map: string } {
  const doc = parse(readFileSync(full, 'utf8')) as { defaults: Record<string, unknown>; students: { nodes: Record<string, { host: string; port?: number }> }[] };
  const map: { listen: string; target: string; port: number }[] = [];
  for (const s of doc.students) {
    for (const n of Object.values(s.nodes)) {
      const listen = n.host.replace(new RegExp(`^127\\.${OCT}\\.`), `127.${PROXY_OCT}.`);
      if (listen === n.host) throw new Error(`node ${n.host} is not on this slot's 127.${OCT}.x.y`);
      map.push({ listen, target: n.host, port: n.port ?? Number(doc.defaults.port ?? 22) });
      n.host = listen;
    }
  }
  doc.defaults.knownHosts = knownHosts;
  const roster = join(dir, 'roster-proxied.yaml');
  writeFileSync(roster, stringify(doc));
  const mapFile = join(dir, 'proxy-map.json');
  writeFileSync(mapFile, JSON.stringify(map));
  return { roster, map: mapFile };
}

/** Starts bench/proxy.mjs (its own process: its CPU is not the tools'), resolves once it listens. */
/** (wrapped: a ProcessPromise is a thenable, returning it from an async function would wait for its exit) */
async function startProxy(mapFile: string, oneWayMs: number, errFile: string): Promise<{ proc: ProcessPromise }> {
  const p = $({ nothrow: true })`${NODE} ${join(ROOT, 'bench/proxy.mjs')} ${mapFile} ${oneWayMs}`;
  const ready = new Promise<void>((resolve) => {
    p.stdout.on('data', (d: Buffer) => {
      if (String(d).startsWith('ready')) resolve();
    });
  });
  const exited = p.then((r) => {
    writeFileSync(errFile, r.stderr);
    throw new Error(`proxy exited ${r.exitCode}: ${r.stderr.slice(-500)}`);
  });
  await Promise.race([ready, exited]);
  exited.catch(() => undefined); // later: killed by us
  return { proc: p };
}

interface Setup {
  dir: string;
  sshConfig: string;
}

function sshConfig(dir: string, key: string, knownHosts: string): string {
  const f = join(dir, 'ssh_config');
  writeFileSync(
    f,
    [
      `Host 127.${OCT}.* 127.${PROXY_OCT}.*`,
      '  User root',
      `  IdentityFile ${key}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '  LogLevel ERROR',
      // testinfra passes ControlMaster=auto + ControlPersist=60s but no ControlPath: without one OpenSSH does
      // not multiplex at all. Give it one (its documented best setup); the floor (a) turns it off again.
      `  ControlPath ${dir}/cm-%C`,
      '',
    ].join('\n'),
  );
  return f;
}

/** Everything the peers need for one set of commands (a day on a roster subset). */
interface Variant {
  label: string;
  day: Day;
  roster: string;
  nodes: number;
  cmds: BenchCommands;
  cmdsFile: string;
  listFile: string;
  ansibleDir: string;
}

function prepareVariant(s: Setup, label: string, day: Day, roster: string): Variant {
  const cmds = benchCommands(loadRoster(roster), day);
  const vdir = join(s.dir, label);
  mkdirSync(join(vdir, 'scripts'), { recursive: true });
  const cmdsFile = join(vdir, 'commands.json');
  writeBenchCommands(cmdsFile, cmds);
  // floor (a): one script file per node
  const list = cmds.hosts.map((h) => {
    const f = join(vdir, 'scripts', `${h.name}.sh`);
    writeFileSync(f, h.script);
    return `${h.host}\t${f}`;
  });
  const listFile = join(vdir, 'hosts.tsv');
  writeFileSync(listFile, list.join('\n') + '\n');
  // ansible: inventory, config, the commands as !unsafe strings (no Jinja templating of bash)
  const adir = join(vdir, 'ansible');
  mkdirSync(join(adir, 'cp'), { recursive: true });
  writeFileSync(join(adir, 'inventory.ini'), '[nodes]\n' + cmds.hosts.map((h) => `${h.name} ansible_host=${h.host}`).join('\n') + '\n');
  writeFileSync(
    join(adir, 'ansible.cfg'),
    [
      '[defaults]',
      `inventory = ${join(adir, 'inventory.ini')}`,
      `forks = ${cmds.hosts.length}`,
      'host_key_checking = True',
      'gathering = explicit',
      'remote_user = root',
      `interpreter_python = ${PY}`,
      'retry_files_enabled = False',
      `local_tmp = ${join(adir, 'tmp')}`,
      '',
      '[ssh_connection]',
      'pipelining = True',
      `ssh_args = -F ${s.sshConfig} -o ControlMaster=auto -o ControlPersist=60s`,
      `control_path_dir = ${join(adir, 'cp')}`,
      '',
    ].join('\n'),
  );
  const vars = ['lg_hosts:'];
  for (const h of cmds.hosts) {
    vars.push(`  ${h.name}:`);
    for (const c of h.commands) vars.push(`    - key: ${JSON.stringify(c.key)}`, `      command: !unsafe ${JSON.stringify(c.command)}`);
  }
  writeFileSync(join(adir, 'commands.yml'), vars.join('\n') + '\n');
  return { label, day, roster, nodes: cmds.hosts.length, cmds, cmdsFile, listFile, ansibleDir: adir };
}

interface Entry extends Measurement {
  state: string;
  variant: string;
  tool: string;
  nodes: number;
  rep: number;
}

async function main(): Promise<void> {
  const ri = process.argv.indexOf('--render');
  if (ri > 0) {
    // re-print the table of a saved run: npm run bench -- --render reports/bench/<stamp>.json
    const saved = JSON.parse(readFileSync(process.argv[ri + 1] ?? '', 'utf8')) as { entries: Entry[]; labUps: Parameters<typeof renderTable>[1]; args: Args };
    process.stdout.write(renderTable(saved.entries, saved.labUps, saved.args) + '\n');
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  if (args.states.includes('day3')) await loadSpecDay(3);
  await ensurePeers();
  // the CLI runs dist/ only when it is newer than src/ (else it transpiles with tsx): measure the compiled one
  log('npm run build');
  await $({ stdio: 'inherit' })`${NODE} ${TSC} -p ${join(ROOT, 'tsconfig.build.json')}`;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = join(ROOT, 'reports/bench');
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'lgbench-'));
  log(`work dir ${work}; ${args.students} students x 3 nodes; states ${args.states.join(', ')}; reps ${args.reps}`);
  const entries: Entry[] = [];
  const labUps: Record<string, { wallS: number; cpuS: number; maxRssMB: number; timings: unknown; memory: unknown }> = {};
  const machine = { cores: Number((await $`nproc`).stdout.trim()), node: process.version };
  const resultFile = join(outDir, `${stamp}.json`);
  const save = () => writeJson(resultFile, { stamp, args, machine, labUps, entries, work });

  for (const state of args.states) {
    let up: LabUpInfo | null = null;
    if (!args.useUp) {
      await waitLabFree(args.waitLabMin);
      up = await labUp(args.students, state, work);
      labUps[state] = { wallS: up.measurement.wallS, cpuS: up.measurement.cpuS, maxRssMB: up.measurement.maxRssMB, timings: up.json?.timings, memory: up.json?.memory };
      save();
    }
    try {
      const sdir = join(work, state);
      mkdirSync(sdir, { recursive: true });
      const st = JSON.parse((await $`${NODE} ${CLI} lab status --json`).stdout) as {
        dir: string;
        nodes: unknown[];
      };
      const labDir = st.dir;
      const fullRoster = join(labDir, 'roster.yaml');
      const full = loadRoster(fullRoster);
      const first = full.students[0]?.nodes[0];
      if (!first?.identity) throw new Error(`no class up in ${labDir}`);
      setLabDir(labDir);
      const setup: Setup = { dir: sdir, sshConfig: '' };
      // the lab's host keys, also under the proxy's addresses (the rtt section)
      const knownHosts = withProxyHosts(full.knownHosts, join(sdir, 'known_hosts'));
      setup.sshConfig = sshConfig(sdir, first.identity, knownHosts);
      const total = full.students.reduce((a, s) => a + s.nodes.length, 0);
      log(`${state}: ${total} nodes, ${labListeners().length} sshd listeners`);

      const run = async (tool: string, v: Variant, argv: string[], env: NodeJS.ProcessEnv = {}, reps = 1, cwd = ROOT) => {
        for (let rep = 1; rep <= reps; rep++) {
          const name = `${state}-${v.label}-${tool}-${rep}`;
          const m = await measure(name, argv, { cwd, env, outDir: sdir, timeoutMs: 20 * 60_000 });
          entries.push({ ...m, state, variant: v.label, tool, nodes: v.nodes, rep });
          log(
            `${name}: ${m.wallS.toFixed(2)} s wall, ${m.cpuS.toFixed(2)} s cpu, tree ${m.treeRssMB.toFixed(0)} MB, ` +
              `max ${m.maxRssMB.toFixed(0)} MB, node cpu ${m.nodeCpuS.toFixed(1)} s, exit ${m.code}`,
          );
          save();
        }
      };
      const labgrade = (v: Variant, reps: number, tool = 'labgrade', extra: string[] = []) =>
        run(tool, v, [process.execPath, CLI, 'grade', '--day', String(v.day), '--roster', v.roster, '--reports', join(sdir, 'reports', `${v.label}-${tool}`), ...extra], { LABGRADE_PROGRESS: 'off' }, reps);
      const floors = async (v: Variant, reps: number) => {
        await run('floor-ssh2', v, [process.execPath, join(ROOT, 'bench/peers/floor-ssh2.mjs'), v.cmdsFile, 'batch'], {}, reps);
        await run('floor-openssh', v, ['bash', join(ROOT, 'bench/peers/floor-openssh.sh'), setup.sshConfig, v.listFile], {}, reps);
      };
      const testinfra = (v: Variant, workers: number) =>
        run(
          workers ? `testinfra-n${workers}` : 'testinfra-serial',
          v,
          [
            PY,
            '-m',
            'pytest',
            '-p',
            'no:cacheprovider',
            '-q',
            '--tb=line',
            ...(workers ? ['-n', String(workers)] : []),
            `--hosts=${v.cmds.hosts.map((h) => `ssh://root@${h.host}`).join(',')}`,
            `--ssh-config=${setup.sshConfig}`,
            join(ROOT, 'bench/peers/testinfra'),
          ],
          { LGBENCH_COMMANDS: v.cmdsFile, PYTHONDONTWRITEBYTECODE: '1' },
          1,
          join(ROOT, 'bench/peers/testinfra'),
        );
      const ansible = (v: Variant) =>
        run('ansible', v, ['/usr/bin/ansible-playbook', join(ROOT, 'bench/peers/ansible/probes.yml'), '-e', `@${join(v.ansibleDir, 'commands.yml')}`], {
          ANSIBLE_CONFIG: join(v.ansibleDir, 'ansible.cfg'),
          ANSIBLE_NOCOLOR: '1',
        });

      const on = (x: string) => args.only.has(x);
      const day1 = prepareVariant(setup, 'day1', 1, fullRoster);
      // warm-up (page cache, the nodes' first podman or kubectl calls): not recorded
      const warmDay = state === 'day3' ? '3' : '1';
      await measure(`${state}-warmup`, [process.execPath, CLI, 'grade', '--day', warmDay, '--roster', day1.roster, '--reports', join(sdir, 'reports', 'warmup')], {
        cwd: ROOT,
        env: { LABGRADE_PROGRESS: 'off' },
        outDir: sdir,
        timeoutMs: 20 * 60_000,
      });
      const ssh2Floor = (v: Variant) => run('floor-ssh2', v, [process.execPath, join(ROOT, 'bench/peers/floor-ssh2.mjs'), v.cmdsFile, 'batch'], {}, args.reps);
      const peers = async (v: Variant) => {
        if (!args.quick && !args.lean) await testinfra(v, 0);
        await testinfra(v, 2);
        await ansible(v);
      };
      if (state === 'day3' && on('day3')) {
        // day 3 on a class whose clusters day3.sh built: the API read through control1 (one kubectl get of every
        // kind, the Installation CRD), the node files, the NodePort request; against the floors running the
        // same commands (bench/commands.ts takes them from the spec), as one script and in labgrade's layout
        const day3 = prepareVariant(setup, 'day3', 3, fullRoster);
        // 30 simulated clusters at once: every kubectl on control1 is a Node process (~0.3 s of CPU), all on these 2
        // cores, so a day-3 batch takes minutes and the default 30 s per command would end most as timeouts (seen
        // 2026-12-02: 85 of 90 d3.kubelet errors). The floors have no timeout; labgrade gets one they never reach.
        await labgrade(day3, args.reps, 'labgrade', ['--timeout', '600']);
        await floors(day3, args.reps);
        await run('floor-ssh2-split', day3, [process.execPath, join(ROOT, 'bench/peers/floor-ssh2.mjs'), day3.cmdsFile, 'split'], {}, args.reps);
      }
      if (state !== 'day3' && on('day1')) {
        await labgrade(day1, args.reps);
        await floors(day1, args.reps);
        await run('floor-ssh2-split', day1, [process.execPath, join(ROOT, 'bench/peers/floor-ssh2.mjs'), day1.cmdsFile, 'split'], {}, args.reps);
        await peers(day1);
      }
      if (state === 'day1' && on('rtt')) {
        // real latency: every tool through the delaying proxy, RTT = 2 x the one-way delay
        const pr = proxiedRoster(fullRoster, knownHosts, sdir);
        for (const rtt of args.rtts) {
          log(`rtt ${rtt} ms: proxy up`);
          const proxy = await startProxy(pr.map, rtt / 2, join(sdir, `proxy-${rtt}.err`));
          try {
            const v = prepareVariant(setup, `rtt${rtt}`, 1, pr.roster);
            const t = (x: string) => args.rttTools.has(x);
            if (t('labgrade')) await labgrade(v, args.reps);
            if (t('floor-ssh2')) await ssh2Floor(v);
            if (t('testinfra-n2')) await testinfra(v, 2);
            if (t('ansible')) await ansible(v);
          } finally {
            await proxy.proc.kill('SIGTERM');
          }
        }
      }
      if (state === 'day1' && on('growth')) {
        // growth: the first 10 and 30 nodes of the same class
        for (const n of [10, 30].filter((x) => x < total)) {
          const v = prepareVariant(setup, `day1-${n}`, 1, subsetRoster(fullRoster, n, join(sdir, `roster-${n}.yaml`)));
          await labgrade(v, args.reps);
          await ssh2Floor(v);
        }
      }
      if (state === 'day1' && on('cheap')) {
        // the day-2 spec: no podman, but its systemctl/nmcli/sysctl/swapon/lsmod are bash stand-ins on the lab
        const cheap = prepareVariant(setup, 'cheap', 2, fullRoster);
        await labgrade(cheap, args.reps);
        await floors(cheap, args.reps);
        await peers(cheap);
        await run('labgrade-c90', cheap, [process.execPath, CLI, 'grade', '--day', '2', '--roster', cheap.roster, '--concurrency', String(total), '--reports', join(sdir, 'reports', 'cheap-c90')], { LABGRADE_PROGRESS: 'off' }, args.reps);
      }
      if (state === 'day1' && on('mini')) {
        // grader overhead: cheap-only commands (rpm -q, cat, ip -j, /proc/sys), labgrade's machinery via bench/mini/grade.ts
        const miniGrade = (v: Variant, tool = 'labgrade') =>
          run(tool, v, [process.execPath, MINI, v.roster, join(sdir, 'reports', `${v.label}-${tool}`)], { LABGRADE_PROGRESS: 'off' }, args.reps);
        await $({ stdio: 'inherit' })`${NODE} ${TSC} -p ${join(ROOT, 'tsconfig.bench.json')}`;
        for (const n of [1, 10, 30].filter((x) => x < total)) {
          const v = prepareVariant(setup, `mini-${n}`, 9, subsetRoster(fullRoster, n, join(sdir, `roster-m${n}.yaml`)));
          await miniGrade(v);
          await ssh2Floor(v);
        }
        if (!args.lean) {
          const mini = prepareVariant(setup, 'mini', 9, fullRoster);
          await miniGrade(mini);
          await floors(mini, args.reps);
          await peers(mini);
        }
      }
      if (state === 'day1' && on('fixed')) {
        // fixed cost: the CLI doing nothing, and grading one node (s01/node1, the full day 1)
        const one = prepareVariant(setup, 'fixed-1', 1, subsetRoster(fullRoster, 1, join(sdir, 'roster-1.yaml')));
        await run('labgrade-help', one, [process.execPath, CLI, '--help'], {}, args.reps);
        await labgrade(one, args.reps);
        // what a student runs: `labgrade check` for their node
        const node1 = full.students[0]!.nodes[0]!;
        await run(
          'labgrade-check',
          one,
          [process.execPath, CLI, 'check', '--day', '1', '--host', node1.host, '--identity', first.identity, '--reports', join(sdir, 'reports', 'check')],
          { LABGRADE_KNOWN_HOSTS: knownHosts },
          args.reps,
        );
        await ssh2Floor(one);
      }
    } finally {
      if (!args.useUp) await labDown();
    }
  }
  save();
  process.stdout.write(renderTable(entries, labUps, args) + '\n');
  log(`results: ${resultFile}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] ?? 0) : NaN;
}

/** Median over reps of each (state, variant, tool). */
function summarise(entries: Entry[]) {
  const groups = new Map<string, Entry[]>();
  for (const e of entries) {
    const k = `${e.state}|${e.variant}|${e.tool}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  return [...groups.values()].map((es) => {
    const e = es[0]!;
    return {
      state: e.state,
      variant: e.variant,
      tool: e.tool,
      nodes: e.nodes,
      reps: es.length,
      wallS: median(es.map((x) => x.wallS)),
      cpuS: median(es.map((x) => x.cpuS)),
      treeRssMB: Math.max(...es.map((x) => x.treeRssMB)),
      maxRssMB: Math.max(...es.map((x) => x.maxRssMB)),
      nodeCpuS: median(es.map((x) => x.nodeCpuS)),
      codes: [...new Set(es.map((x) => x.code))].join('/'),
    };
  });
}

export function renderTable(entries: Entry[], labUps: Record<string, { wallS: number; cpuS: number; maxRssMB: number; timings: unknown; memory: unknown }>, args: Args): string {
  const rows = summarise(entries);
  const out: string[] = [];
  const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  for (const key of [...new Set(rows.map((r) => `${r.state}|${r.variant}`))]) {
    const [state, variant] = key.split('|');
    const rs = rows.filter((r) => r.state === state && r.variant === variant);
    const floorWall = Math.min(...rs.filter((r) => r.tool === 'floor-ssh2' || r.tool === 'floor-openssh').map((r) => r.wallS));
    const floorCpu = Math.min(...rs.filter((r) => r.tool === 'floor-ssh2' || r.tool === 'floor-openssh').map((r) => r.cpuS));
    out.push(`\n## class state ${state}, ${variant} (${rs[0]?.nodes} nodes); ratios to the lower floor (wall ${f(floorWall)} s)`);
    out.push('| tool | wall s | x floor | cpu s | x floor cpu | tree RSS MB | max RSS MB | node-side cpu s | node cpu ms / node | exit | reps |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|');
    for (const r of rs)
      out.push(
        `| ${r.tool} | ${f(r.wallS)} | ${f(r.wallS / floorWall)} | ${f(r.cpuS)} | ${f(r.cpuS / floorCpu)} | ${f(r.treeRssMB, 0)} | ${f(r.maxRssMB, 0)} | ${f(r.nodeCpuS, 1)} | ${f((r.nodeCpuS / r.nodes) * 1000, 0)} | ${r.codes} | ${r.reps} |`,
      );
  }
  const growth = rows.filter((r) => r.tool === 'labgrade' && /^(day1|cheap|mini)(-\d+)?$/.test(r.variant) && r.state === 'day1');
  if (growth.length) {
    out.push('\n## labgrade growth with nodes (class state day1)');
    out.push('| variant | nodes | labgrade wall s | floor-ssh2 wall s | labgrade cpu s | tree RSS MB |');
    out.push('|---|---:|---:|---:|---:|---:|');
    for (const g of growth.sort((a, b) => a.variant.localeCompare(b.variant) || a.nodes - b.nodes)) {
      const fl = rows.find((r) => r.state === g.state && r.variant === g.variant && r.tool === 'floor-ssh2');
      out.push(`| ${g.variant} | ${g.nodes} | ${f(g.wallS)} | ${fl ? f(fl.wallS) : '-'} | ${f(g.cpuS)} | ${f(g.treeRssMB, 0)} |`);
    }
  }
  const rttRows = rows.filter((r) => r.state === 'day1' && /^rtt\d+$/.test(r.variant));
  const rtts = [...new Set(rttRows.map((r) => Number(r.variant.slice(3))))].sort((a, b) => a - b);
  const at = (variant: string, tool: string) => rows.find((r) => r.state === 'day1' && r.variant === variant && r.tool === tool);
  if (rtts.length) {
    out.push(`\n## real latency: day 1, solved class, ${rttRows[0]?.nodes} nodes, every tool through bench/proxy.mjs (wall s; ratios)`);
    out.push('| RTT ms | labgrade | floor-ssh2 | labgrade - floor s | labgrade / floor | testinfra -n 2 | / labgrade | ansible | / labgrade | node cpu ms/node labgrade | floor |');
    out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const rtt of rtts) {
      const v = `rtt${rtt}`;
      const [lg, fl, ti, an] = ['labgrade', 'floor-ssh2', 'testinfra-n2', 'ansible'].map((t) => at(v, t));
      const w = (r: typeof lg) => (r ? r.wallS : NaN);
      const pn = (r: typeof lg) => (r ? (r.nodeCpuS / r.nodes) * 1000 : NaN);
      out.push(
        `| ${rtt} | ${f(w(lg))} | ${f(w(fl))} | ${f(w(lg) - w(fl))} | ${f(w(lg) / w(fl))} | ${f(w(ti))} | ${f(w(ti) / w(lg))} | ${f(w(an))} | ${f(w(an) / w(lg))} | ${f(pn(lg), 0)} | ${f(pn(fl), 0)} |`,
      );
    }
  }
  out.push('\n## targets (issue 12; median wall; memory = GNU time max RSS of the largest process, and peak tree RSS)');
  const ok = (b: boolean) => (b ? 'met' : 'MISSED');
  const line = (what: string, lg: (typeof rows)[number] | undefined, fl: (typeof rows)[number] | undefined, test: (lg: number, fl: number) => boolean, target: string) => {
    if (!lg || !fl) return;
    out.push(`- ${what}: labgrade ${f(lg.wallS)} s, floor ${f(fl.wallS)} s (${f(lg.wallS / fl.wallS)}x, +${f(lg.wallS - fl.wallS)} s): ${target}: ${ok(test(lg.wallS, fl.wallS))}`);
  };
  const r40 = 'rtt40';
  line(`RTT 40 ms, ${at(r40, 'labgrade')?.nodes} nodes`, at(r40, 'labgrade'), at(r40, 'floor-ssh2'), (a, b) => a <= b + 0.5, 'target <= floor + 0.5 s');
  const lg40 = at(r40, 'labgrade');
  for (const [tool, x] of [['testinfra-n2', 5], ['ansible', 15]] as const) {
    const p = at(r40, tool);
    if (lg40 && p) out.push(`- RTT 40 ms: ${tool} ${f(p.wallS)} s = ${f(p.wallS / lg40.wallS)}x labgrade: target >= ${x}x: ${ok(p.wallS / lg40.wallS >= x)}`);
  }
  line('RTT 0, one node, `labgrade check`', at('fixed-1', 'labgrade-check'), at('fixed-1', 'floor-ssh2'), (a, b) => a <= 1.3 * b, 'target <= 1.3x');
  line('RTT 0, cheap probes, 30 nodes', at('mini-30', 'labgrade'), at('mini-30', 'floor-ssh2'), (a, b) => a <= 1.3 * b, 'target <= 1.3x');
  line('RTT 0, day 1, 30 nodes', at('day1-30', 'labgrade'), at('day1-30', 'floor-ssh2'), (a, b) => a <= 1.1 * b, 'target <= 1.1x');
  const big = at('day1', 'labgrade');
  if (big) out.push(`- memory at ${big.nodes} nodes: ${f(big.maxRssMB, 0)} MB largest process, ${f(big.treeRssMB, 0)} MB tree: target < 200 MB: ${ok(big.maxRssMB < 200)}`);
  if (big) out.push(`- node-side CPU per graded node (day 1, solved, ${big.nodes} nodes): labgrade ${f((big.nodeCpuS / big.nodes) * 1000, 0)} ms (compare with the previous commit's figure in bench/README.md: target <= 0.6x)`);
  for (const [state, u] of Object.entries(labUps)) {
    const mem = u.memory as { rssKiBPerNode?: number; pssKiBPerNode?: number } | undefined;
    out.push(
      `\nlab up --students ${args.students} --state ${state}: ${f(u.wallS, 1)} s wall, ${f(u.cpuS, 1)} s cpu (lab CLI only), ` +
        `per node ${f((mem?.rssKiBPerNode ?? NaN) / 1024, 1)} MiB RSS, ${f((mem?.pssKiBPerNode ?? NaN) / 1024, 1)} MiB PSS; ` +
        `phases (ms) ${JSON.stringify(u.timings)}`,
    );
  }
  return out.join('\n');
}

await main();
