/**
 * The README's promises about the `labgrade` command itself, through the real CLI (bin/labgrade.mjs) on one small
 * simulated class: s01 solved for day 1 on its three nodes, s02 fresh.
 * - exit 0 when every check passed (1 otherwise);
 * - --strict-host-keys refuses hosts missing from known_hosts (and writes nothing there); TOFU adds them;
 * - lab.weights of the roster reach the scores;
 * - --lang ko and LANG choose the language of the CLI's node report and of JUnit;
 * - progress is plain lines when stderr is not a terminal or CI=true, a rewritten line on a terminal;
 * - reports are written atomically: a crash mid-write leaves the previous file whole;
 * - `labgrade check --host` and `labgrade check --local`;
 * - every run is appended to history, and a check that passed before and fails now is REGRESSED.
 */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { labDown, labUp, type Lab } from '../../src/lab/index.ts';
import { cli, resultsOf, ROOT, tempReports } from '../checks/helpers.ts';
import { TEST_LAB_DIR } from '../lab/helpers.ts';

let lab: Lab;
/** Reports of the first all-pass run of s01; the history test adds a second run to it. */
let first: Awaited<ReturnType<typeof cli>>;

const HANGUL = /[\uac00-\ud7a3]/;
/** The grading env without the caller's language and CI settings (each test sets what it is about). */
const CLEAN = { LANG: undefined, LC_ALL: undefined, LC_MESSAGES: undefined, LABGRADE_LANG: undefined, CI: undefined } as unknown as Record<string, string>;

/** A copy of the lab's roster with `change` applied, in a temp dir of its own. */
interface RosterDoc {
  defaults: Record<string, unknown>;
  lab?: Record<string, unknown>;
}
function rosterWith(change: (doc: RosterDoc) => void): string {
  const doc = parse(readFileSync(lab.rosterPath, 'utf8')) as RosterDoc;
  change(doc);
  const file = join(tempReports('lg-roster-'), 'roster.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

beforeAll(async () => {
  await labDown(TEST_LAB_DIR).catch(() => undefined);
  lab = await labUp({ students: 2, state: 'fresh', dir: TEST_LAB_DIR });
  await Promise.all(['node1', 'node2', 'node3'].map((n) => lab.solve(lab.node('s01', n as 'node1'), 1)));
  // progress left to the CLI: stderr is a pipe here, so it must be plain lines
  first = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--student', 's01'], tempReports(), { ...CLEAN, LABGRADE_PROGRESS: undefined } as unknown as Record<string, string>);
}, 600_000);

afterAll(async () => {
  await labDown(TEST_LAB_DIR);
});

describe('labgrade grade', () => {
  it('exits 0 when every check passed, 1 when a check failed', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^ {2}s01 +13\/13 {2}all passed$/m);
    expect(resultsOf(first.results!, 's01').filter((x) => x.status !== 'pass')).toEqual([]);
    const fresh = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--student', 's02', '--node', 'node2']);
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toMatch(/^ {2}s02 +0\/1 {2}failed: d1\.eth1@node2$/m);
  });

  it('progress: plain lines when stderr is not a terminal', () => {
    expect(first.stderr).toMatch(/^day 1: 3\/3 nodes graded, 0 with failures, 0 not reachable, [\d.]+ s$/m);
    expect(first.stderr).not.toMatch(/\r|\x1b\[/);
  });

  it('progress: plain lines with CI=true even on a terminal; one rewritten line on a terminal otherwise', async () => {
    // script(1) gives the CLI a pseudo-terminal for stdin/stdout/stderr
    const onTty = async (ci: boolean) => {
      const cmd = ['node', join(ROOT, 'bin/labgrade.mjs'), 'grade', '--day', '1', '--roster', lab.rosterPath, '--student', 's01', '--node', 'node2', '--reports', tempReports()];
      const r = await execa('script', ['-qefc', cmd.join(' '), '/dev/null'], {
        reject: false,
        env: { ...CLEAN, LABGRADE_PROGRESS: undefined, CI: ci ? 'true' : undefined } as unknown as Record<string, string>,
      });
      expect(r.exitCode, String(r.stdout)).toBe(0);
      return String(r.stdout);
    };
    const ci = await onTty(true);
    expect(ci).toMatch(/day 1: 1\/1 nodes graded/);
    expect(ci).not.toContain('\x1b[2K');
    const tty = await onTty(false);
    expect(tty).toMatch(/\r\x1b\[2Kday 1: 1\/1 nodes graded/);
  });

  it('--strict-host-keys refuses hosts not in known_hosts and writes nothing there; without it they are trusted on first use', async () => {
    const kh = join(tempReports('lg-kh-'), 'known_hosts');
    const n1 = lab.node('s01', 'node1').host;
    writeFileSync(kh, readFileSync(lab.knownHostsPath, 'utf8').split('\n').filter((l) => l.startsWith(`${n1} `)).join('\n') + '\n');
    const before = readFileSync(kh, 'utf8');
    const roster = rosterWith((d) => (d.defaults.knownHosts = kh));
    const strict = await cli(['grade', '--day', '1', '--roster', roster, '--student', 's01', '--strict-host-keys']);
    expect(strict.code).toBe(1);
    const infra = Object.fromEntries(strict.results!.students[0]!.nodes.map((n) => [n.name, n.infra?.kind ?? 'graded']));
    expect(infra).toEqual({ node1: 'graded', node2: 'hostkey-unknown', node3: 'hostkey-unknown' });
    expect(resultsOf(strict.results!, 's01', 'node1').filter((x) => x.status !== 'pass')).toEqual([]);
    expect(readFileSync(kh, 'utf8')).toBe(before);

    const tofu = await cli(['grade', '--day', '1', '--roster', roster, '--student', 's01']);
    expect(tofu.code, tofu.stdout).toBe(0);
    expect(readFileSync(kh, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it("the roster's lab.weights reach every score", async () => {
    const roster = rosterWith((d) => (d.lab = { ...d.lab, weights: { 'd1.registries': 5, 'd1.eth1': 2 } }));
    const r = await cli(['grade', '--day', '1', '--roster', roster, '--student', 's01,s02', '--node', 'node1']);
    // node1: 9 checks of weight 1, registries 5, eth1 2
    expect(r.stdout).toMatch(/^ {2}s01 +16\/16 {2}all passed$/m);
    expect(r.stdout).toMatch(/^ {2}s02 +0\/16 /m);
    const reg = resultsOf(r.results!, 's01', 'node1').find((x) => x.checkId === 'd1.registries')!;
    expect([reg.weight, reg.score]).toEqual([5, 5]);
    expect(r.results!.checks.find((c) => c.id === 'd1.eth1')!.weight).toBe(2);
    const csv = readFileSync(join(r.reports, 'day1', 'grades.csv'), 'utf8');
    expect(csv).toMatch(/^s01,.*\b16\b/m);
  });

  it('--lang ko and LANG choose the language of JUnit; an explicit --lang wins over LANG', async () => {
    const junitOf = async (args: string[], env: Record<string, string | undefined>) => {
      const r = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--student', 's02', '--node', 'node2', ...args], tempReports(), { ...CLEAN, ...env } as Record<string, string>);
      expect(r.code).toBe(1);
      return readFileSync(join(r.reports, 'day1', 'junit.xml'), 'utf8');
    };
    expect(await junitOf(['--lang', 'ko'], {})).toMatch(HANGUL);
    expect(await junitOf([], { LANG: 'ko_KR.UTF-8' })).toMatch(HANGUL);
    expect(await junitOf([], { LANG: 'en_US.UTF-8' })).not.toMatch(HANGUL);
    expect(await junitOf(['--lang', 'en'], { LANG: 'ko_KR.UTF-8' })).not.toMatch(HANGUL);
  });

  it('a crash while writing a report leaves the previous file whole', async () => {
    const reports = tempReports();
    const base = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--student', 's01', '--node', 'node2'], reports);
    expect(base.code).toBe(0);
    const file = join(reports, 'day1', 'results.json');
    const old = readFileSync(file, 'utf8');
    // the second run grades another node (other content), and dies half-way through writing results.json
    const crashed = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--student', 's02', '--node', 'node2'], reports, {
      NODE_OPTIONS: `--import ${join(ROOT, 'test/cli/crash-on-write.mjs')}`,
      LG_CRASH_WRITING: 'results.json',
    });
    expect(crashed.code, 'killed, no exit code').toBe(-1);
    const left = readdirSync(join(reports, 'day1')).filter((f) => f.startsWith('results.json'));
    expect(left.length, `the half-written file is there: ${left.join(' ')}`).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(old);
  });
});

describe('labgrade check', () => {
  it('--host: one node over SSH, the student view; exit 0 when done, 1 with found/expected when not', async () => {
    const kh = join(tempReports('lg-kh-'), 'known_hosts');
    copyFileSync(lab.knownHostsPath, kh);
    const check = (student: string, args: string[]) =>
      cli(['check', '--day', '1', '--host', lab.node(student, 'node1').host, '--user', 'root', '--identity', lab.keyPath, '--node', 'node1', '--strict-host-keys', ...args], tempReports(), {
        ...CLEAN,
        LABGRADE_KNOWN_HOSTS: kh,
      });
    const ok = await check('s01', []);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^node1 \(.*\) day 1: 11\/11$/m);
    expect(ok.stdout).toMatch(/^ {2}\[ok {5}\] d1\.registries /m);
    const bad = await check('s02', ['--lang', 'ko']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^node1 \(.*\) day 1: 0\/11$/m);
    expect(bad.stdout).toMatch(/\[FAIL {3}\] d1\.epel .*[\uac00-\ud7a3]/);
    expect(bad.stdout).toMatch(/발견/);
  });

  it('--local: run on the node itself, grading that machine', async () => {
    const local = (student: string) =>
      // the lab mounts this clone read-only at /opt/labgrade on every node (wherever the clone is: /tmp, /root ...)
      lab.exec(lab.node(student, 'node1'), `cd /opt/labgrade && node bin/labgrade.mjs check --day 1 --local --node node1 --reports /tmp/lg-check-reports`);
    const ok = await local('s01');
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^node1 \(local\) day 1: 11\/11$/m);
    const bad = await local('s02');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^node1 \(local\) day 1: 0\/11$/m);
  });
});

describe('history', () => {
  it('every CLI run is appended to history; a check passed before and failing now is REGRESSED', async () => {
    const hist = join(first.reports, 'history', 'day1');
    expect(readdirSync(hist)).toHaveLength(1);
    await lab.applyFault(lab.node('s01', 'node1'), 'registries-docker-too');
    const again = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--student', 's01'], first.reports);
    expect(again.code).toBe(1);
    expect(readdirSync(hist)).toHaveLength(2);
    const md = readFileSync(join(first.reports, 'day1', 'summary.md'), 'utf8');
    const regressed = md.split('\n').filter((l) => l.includes('REGRESSED: passed on'));
    expect(regressed, md).toHaveLength(1);
    expect(regressed[0]).toMatch(/\*\*d1\.registries\*\* \(node1\)/);
    const html = readFileSync(join(first.reports, 'day1', 'summary.html'), 'utf8');
    expect(html.match(/data-regressed="1"/g)).toHaveLength(1);
    expect(html).toMatch(/data-check="d1\.registries" data-status="fail" data-regressed="1"/);
  });
});
