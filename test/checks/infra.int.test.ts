/**
 * Infrastructure errors are not student errors: unreachable node, refused key, changed host key,
 * a command that hangs, a node that prints 100 MB. Each is reported once with its reason, the run
 * finishes, the other students are graded, and the XML stays valid. Bad rosters: exit 2, nothing written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type Lab } from '../../src/lab/index.ts';
import { TEST_LAB_DIR } from '../lab/helpers.ts';
import { cli, resultsOf, tempReports, type CliRun } from './helpers.ts';

let lab: Lab;
let run: CliRun;

function xmlWellFormed(file: string): void {
  execFileSync('python3', ['-c', 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])', file]);
}

beforeAll(async () => {
  await labDown(TEST_LAB_DIR).catch(() => undefined);
  lab = await labUp({ students: 6, state: 'fresh', dir: TEST_LAB_DIR });
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
  await labDown(TEST_LAB_DIR);
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
    ['s05', 'node1', 'timeout', /no answer within 20 s/],
    ['s06', 'node1', 'output-cap', /the node sent more than 16777216 bytes; output cut/],
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
    const others = r.students.find((s) => s.id === student)!.nodes.filter((x) => x.name !== node);
    expect(others).toHaveLength(2);
    for (const other of others) {
      const rows = resultsOf(r, student, other.name);
      expect(rows.length, `${student}/${other.name} graded`).toBeGreaterThan(0);
      expect(rows.filter((x) => x.status === 'error')).toEqual([]);
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
  it('nine silent nodes are waited for at once, not one after another', async () => {
    // Nine nodes whose port accepts but never speaks SSH (a hung VM): our own listeners on their addresses,
    // recording when each connection opened and closed. Concurrent connect timeouts open all nine before the
    // first one gives up; serial ones would close each before opening the next. Ordering, not a clock bound.
    const broken = new Set(['s02/node2', 's03/node1', 's04/node1']);
    const silent = lab.nodes.filter((n) => ['s01', 's02', 's03', 's04'].includes(n.student) && !broken.has(`${n.student}/${n.name}`));
    expect(silent).toHaveLength(9);
    const events: { host: string; open: number; close?: number }[] = [];
    const socks: Socket[] = [];
    const servers: Server[] = [];
    for (const n of silent) await lab.stopSshd(n);
    try {
      for (const n of silent) {
        const srv = createServer((sock) => {
          const e: { host: string; open: number; close?: number } = { host: n.host, open: performance.now() };
          events.push(e);
          socks.push(sock);
          sock.on('error', () => undefined);
          sock.once('close', () => (e.close = performance.now()));
          sock.resume(); // read (and drop) what comes, so the peer's FIN is seen and 'close' fires
        });
        await new Promise<void>((res, rej) => srv.once('error', rej).listen(22, n.host, () => res()));
        servers.push(srv);
      }
      const r = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--student', 's01,s02,s03,s04', '--connect-timeout', '3']);
      const unreachable = r.results!.students.flatMap((s) => s.nodes.filter((n) => n.infra?.kind === 'unreachable'));
      expect(unreachable.map((n) => n.infra!.message).filter((m) => /connect timeout after 3 s/.test(m))).toHaveLength(9);
      expect(unreachable).toHaveLength(10); // and s02/node2, refused
      // one attempt per node, each given up by the grader (closed) once the run is over
      for (let i = 0; i < 100 && events.some((e) => e.close === undefined); i++) await new Promise((res) => setTimeout(res, 50));
      expect(events.map((e) => e.host).sort()).toEqual(silent.map((n) => n.host).sort());
      expect(events.filter((e) => e.close === undefined)).toEqual([]);
      const lastOpen = Math.max(...events.map((e) => e.open));
      const firstClose = Math.min(...events.map((e) => e.close!));
      expect(lastOpen, 'every silent node was being waited for when the first gave up').toBeLessThan(firstClose);
    } finally {
      socks.forEach((s) => s.destroy());
      await Promise.all(servers.map((srv) => new Promise((res) => srv.close(res))));
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
