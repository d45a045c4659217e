/**
 * Infrastructure errors are not student errors: unreachable node, refused key, changed host key,
 * a command that hangs, a node that prints 100 MB. Each is reported once with its reason, the run
 * finishes, the other students are graded, and the XML stays valid. Bad rosters: exit 2, nothing written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type Lab } from '../../src/lab/index.ts';
import { cli, resultsOf, tempReports, type CliRun } from './helpers.ts';

let lab: Lab;
let run: CliRun;

/** pid of a node's sshd, found by its command line (the lab starts one `sshd -D -f <node>/sshd_config` each) */
function sshdPid(nodeDir: string): number {
  const out = execFileSync('pgrep', ['-f', `sshd -D -f ${nodeDir}/sshd_config`]).toString().trim().split('\n');
  return Number(out[0]);
}

function xmlWellFormed(file: string): void {
  execFileSync('python3', ['-c', 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])', file]);
}

beforeAll(async () => {
  await labDown().catch(() => undefined);
  lab = await labUp({ students: 6, state: 'fresh' });
  await lab.stopSshd(lab.node('s02', 'node2'));
  await lab.breakKey(lab.node('s03', 'node1'));
  // s04/node1 presents another key than the one on record: someone rebuilt the VM, or a man in the middle
  const kh = readFileSync(lab.knownHostsPath, 'utf8').split('\n');
  const [h4, h5] = [lab.node('s04', 'node1').host, lab.node('s05', 'node1').host];
  const other = kh.find((l) => l.startsWith(`${h5} `))!.split(' ').slice(1).join(' ');
  writeFileSync(lab.knownHostsPath, kh.map((l) => (l.startsWith(`${h4} `) ? `${h4} ${other}` : l)).join('\n'));
  // s05/node1: every command hangs; s06/node1: every command prints 100 MB first
  await lab.exec(lab.node('s05', 'node1'), `echo 'sleep 600' >> /root/.bashrc`);
  await lab.exec(lab.node('s06', 'node1'), `echo 'head -c 100000000 /dev/zero | tr "\\\\0" x' >> /root/.bashrc`);
  // --timeout 20: long enough for a healthy simulated node, and for s06 to push 16 MiB through each of
  // its channels, while 18 nodes share this machine's 2 cores; short enough for the hanging node to cost little
  run = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--timeout', '20', '--connect-timeout', '4']);
}, 600_000);

afterAll(async () => {
  await labDown();
});

describe('infrastructure errors', () => {
  it('the run finishes and reports every node', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(run.results?.students).toHaveLength(6);
  });

  it.each([
    ['s02', 'node2', 'unreachable', /refused|ECONNREFUSED/i],
    ['s03', 'node1', 'auth', /auth|refused|key/i],
    ['s04', 'node1', 'hostkey-changed', /SHA256:/],
    ['s05', 'node1', 'timeout', /.+/],
    ['s06', 'node1', 'output-cap', /.+/],
  ])('%s/%s: %s, reported once for the node, its checks are errors not failures', (student, node, kind, message) => {
    const r = run.results!;
    const n = r.students.find((s) => s.id === student)!.nodes.find((x) => x.name === node)!;
    const rows = resultsOf(r, student, node);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((x) => x.status === 'error'), JSON.stringify(rows.map((x) => x.status))).toBe(true);
    expect(rows.every((x) => x.error?.kind === kind), JSON.stringify(rows.map((x) => x.error))).toBe(true);
    expect(n.infra?.kind).toBe(kind);
    expect(n.infra?.message).toMatch(message);
    expect(run.stdout.split(`${student}/${node} (`).length - 1, 'named once in the summary').toBe(1);
    // the student's other nodes are graded normally: a fresh node fails, it does not error
    for (const other of r.students.find((s) => s.id === student)!.nodes.filter((x) => x.name !== node)) {
      expect(resultsOf(r, student, other.name).every((x) => x.status !== 'error')).toBe(true);
    }
  });

  it('grades the healthy students as usual', () => {
    const rows = resultsOf(run.results!, 's01');
    expect(rows.length).toBe(13);
    expect(rows.filter((x) => x.status === 'error')).toEqual([]);
  });

  it('writes valid JUnit XML for the class and each student, errors as <error>', () => {
    const day = join(run.reports, 'day1');
    xmlWellFormed(join(day, 'junit.xml'));
    for (const f of readdirSync(join(day, 'students'))) xmlWellFormed(join(day, 'students', f));
    const xml = readFileSync(join(day, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<error message="[^"]*" type="unreachable"/);
    expect(xml).toMatch(/type="hostkey-changed"/);
    expect(xml).not.toContain('<skipped');
  });

  it('never writes the private key into a report', () => {
    const key = readFileSync(lab.keyPath, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----'));
    const day = join(run.reports, 'day1');
    for (const f of ['junit.xml', 'results.json', 'summary.html', 'summary.md', 'grades.csv']) {
      const text = readFileSync(join(day, f), 'utf8');
      for (const line of key) expect(text.includes(line), f).toBe(false);
    }
  });
});

describe('unreachable nodes do not add up', () => {
  it('ten silent nodes cost one connect timeout, not ten', async () => {
    const broken = new Set(['s02/node2', 's03/node1', 's04/node1', 's05/node1', 's06/node1']);
    const silent = lab.nodes.filter((n) => !broken.has(`${n.student}/${n.name}`)).slice(0, 10);
    const pids = silent.map((n) => sshdPid(n.dir));
    for (const p of pids) process.kill(p, 'SIGSTOP'); // TCP handshakes still complete; no banner ever comes
    try {
      const r = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--connect-timeout', '3', '--timeout', '10']);
      const unreachable = r.results!.students.flatMap((s) => s.nodes.filter((n) => n.infra?.kind === 'unreachable'));
      expect(unreachable.length).toBe(pids.length + 1);
      // serial timeouts would take >= 10 x 3 s; concurrent ones cost one connect timeout over the first run
      expect(r.ms).toBeLessThan(run.ms + 3_000 + 8_000);
    } finally {
      for (const p of pids) process.kill(p, 'SIGCONT');
    }
  });
});

describe('bad input: exit 2, one clear line per problem, nothing written', () => {
  const cases: [string, string, RegExp[]][] = [
    ['missing file', '', [/no-such-roster\.yaml/]],
    [
      'bad field, unknown key, node without host',
      `defaults:\n  port: "twenty-two"\n  colour: blue\nstudents:\n  - id: s01\n    nodes:\n      node1: { port: 22 }\n`,
      [/roster\.yaml:2:\d+: defaults\.port/, /roster\.yaml:3:\d+: defaults.*colour/, /roster\.yaml:7:\d+: students\[0\]\.nodes\.node1\.host/],
    ],
    ['YAML syntax', `students:\n  - id: s01\n    nodes: { node1: { host: 10.0.0.1 }\n`, [/roster\.yaml:\d+:\d+/]],
  ];
  it.each(cases)('%s', async (_name, text, patterns) => {
    const dir = tempReports('lg-roster-');
    const file = join(dir, text ? 'roster.yaml' : 'no-such-roster.yaml');
    if (text) writeFileSync(file, text);
    const reports = join(dir, 'reports');
    const r = await cli(['grade', '--day', '1', '--roster', file], reports);
    expect(r.code).toBe(2);
    for (const p of patterns) expect(r.stderr).toMatch(p);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(patterns.length + 1);
    expect(existsSync(reports)).toBe(false);
  });

  it('an unknown student or node name: exit 2', async () => {
    const r = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--student', 's99']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no student 's99'/);
  });
});
