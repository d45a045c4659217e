/**
 * Class runs on real simulated nodes: shards merged equal an unsharded run; HTML, CSV, JSON and JUnit
 * agree on every verdict; the specs also run under plain `npx vitest run checks/dayN.spec.ts`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/grade/types.ts';
import { labDown, labUp, type Lab } from '../../src/lab/index.ts';
import { TEST_LAB_DIR } from '../lab/helpers.ts';
import { crossCheck } from '../../src/report/crosscheck.ts';
import { readResultsJson } from '../../src/report/results-json.ts';
import { cli, ROOT, tempReports, type CliRun } from './helpers.ts';

let lab: Lab;
let whole: CliRun;

/** What must agree between two runs: every verdict and its evidence-free text. */
function verdicts(r: RunResults): string[] {
  return r.results
    .map((x) => [x.student, x.node, x.checkId, x.status, x.score, x.weight, x.found ?? '', x.blockedBy ?? '', x.error?.kind ?? ''].join('|'))
    .sort();
}

/** testcase classname+name -> failure/error type ('' when passed), read by a real XML parser. */
function junitVerdicts(file: string): Map<string, string> {
  const out = execFileSync('python3', [
    '-c',
    `import sys, xml.etree.ElementTree as ET
for tc in ET.parse(sys.argv[1]).getroot().iter('testcase'):
    k = [c for c in tc if c.tag in ('failure', 'error', 'skipped')]
    print(tc.get('classname') + ' ' + tc.get('name') + ' ' + (k[0].tag + ':' + (k[0].get('type') or '') if k else 'pass'))`,
    file,
  ]).toString();
  return new Map(out.trim().split('\n').map((l) => [l.split(' ').slice(0, 2).join(' '), l.split(' ')[2]!]));
}

beforeAll(async () => {
  await labDown(TEST_LAB_DIR).catch(() => undefined);
  lab = await labUp({ students: 5, state: 'fresh', dir: TEST_LAB_DIR });
  await lab.solve(lab.node('s02', 'node1'), 1);
  await lab.stopSshd(lab.node('s04', 'node3'));
  whole = await cli(['grade', '--day', '1', '--roster', lab.rosterPath]);
}, 600_000);

afterAll(async () => {
  await labDown(TEST_LAB_DIR);
});

describe('sharding', () => {
  it('three shards merged equal the unsharded run', async () => {
    const reports = tempReports();
    for (const i of [1, 2, 3]) {
      const r = await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--shard', `${i}/3`], reports);
      expect(r.code, r.stderr).toBe(1); // fresh students fail in every slice
    }
    const merged = await cli(['merge', '--day', '1'], reports);
    expect(merged.results, merged.stderr).toBeDefined();
    expect(verdicts(merged.results!)).toEqual(verdicts(whole.results!));
    expect(merged.results!.students.map((s) => s.id)).toEqual(['s01', 's02', 's03', 's04', 's05']);
    expect(merged.results!.checks).toEqual(whole.results!.checks);
  });

  it('merge refuses when a shard is missing', async () => {
    const reports = tempReports();
    await cli(['grade', '--day', '1', '--roster', lab.rosterPath, '--shard', '1/2'], reports);
    const merged = await cli(['merge', '--day', '1'], reports);
    expect(merged.code).not.toBe(0);
    expect(merged.stderr).toMatch(/missing shard reports.*blob-2-2\.json/);
  });
});

describe('every format tells the same verdicts', () => {
  it('HTML, CSV and JSON agree (crossCheck), and JUnit agrees with JSON', () => {
    const day = join(whole.reports, 'day1');
    const r = readResultsJson(readFileSync(join(day, 'results.json'), 'utf8'));
    const cc = crossCheck(r, {
      html: readFileSync(join(day, 'summary.html'), 'utf8'),
      csv: readFileSync(join(day, 'grades.csv'), 'utf8'),
      json: readFileSync(join(day, 'results.json'), 'utf8'),
    });
    expect(cc.problems).toEqual([]);
    expect(cc.checked).toBeGreaterThanOrEqual(r.results.length);
    const junit = junitVerdicts(join(day, 'junit.xml'));
    expect(junit.size).toBe(r.results.length);
    for (const x of r.results) {
      const want = { pass: 'pass', fail: 'failure:fail', blocked: 'failure:blocked', error: `error:${x.error?.kind}` }[x.status];
      expect(junit.get(`${x.student}.${x.node} ${x.checkId}`), `${x.student}/${x.node} ${x.checkId}`).toBe(want);
    }
    // per-student files hold that student's cases only
    const s02 = junitVerdicts(join(day, 'students', 's02.xml'));
    expect(s02.size).toBeGreaterThan(0);
    expect([...s02.keys()].filter((k) => !k.startsWith('s02.'))).toEqual([]);
    expect(s02.size).toBe(r.results.filter((x) => x.student === 's02').length);
  });

  it('shows the solved exercise node passing and the stopped node as unreachable', () => {
    const r = whole.results!;
    const s02 = r.results.filter((x) => x.student === 's02' && x.node === 'node1' && x.checkId !== 'd1.eth1');
    expect(s02).toHaveLength(10);
    expect(s02.filter((x) => x.status !== 'pass').map((x) => `${x.checkId}: ${x.status} ${x.found ?? ''}`)).toEqual([]);
    expect(r.students.find((s) => s.id === 's04')!.nodes.find((n) => n.name === 'node3')!.infra?.kind).toBe('unreachable');
  });
});

describe('plain vitest', () => {
  it('runs checks/day1.spec.ts with the roster named by LABGRADE_ROSTER and writes the same reports', async () => {
    const reports = tempReports();
    const r = await execa('npx', ['vitest', 'run', 'checks/day1.spec.ts'], {
      cwd: ROOT,
      reject: false,
      env: { LABGRADE_ROSTER: lab.rosterPath, LABGRADE_REPORTS: reports, LABGRADE_PROGRESS: 'off', CI: 'true', NO_COLOR: '1' },
    });
    expect(r.exitCode).toBe(1); // fresh students fail
    // each failure is named student > node > check (Vitest prints the failures' details on stderr)
    expect(`${String(r.stdout)}\n${String(r.stderr)}`).toMatch(/s01 > node1 > d1\.epel/);
    const plain = readResultsJson(readFileSync(join(reports, 'day1', 'results.json'), 'utf8'));
    expect(verdicts(plain)).toEqual(verdicts(whole.results!));
  });
});
