import { mkdtemp, readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/grade/types.ts';
import { analyzeHistory, appendHistory, loadHistory, outcomeKey } from '../../src/report/history.ts';
import { writeReports } from '../../src/report/write.ts';
import { readResultsJson } from '../../src/report/results-json.ts';
import { CHECKS, makeRun } from './fixture.ts';

const at = (r: RunResults, startedAt: string, finishedAt: string): RunResults => ({ ...r, startedAt, finishedAt });
const setStatus = (r: RunResults, student: string, node: string, check: string, status: 'pass' | 'fail'): RunResults => ({
  ...r,
  results: r.results.map((x) =>
    x.student === student && x.node === node && x.checkId === check
      ? { ...x, status, score: status === 'pass' ? x.weight : 0, found: status === 'fail' ? 'curl: (7) Failed to connect to localhost port 58080' : undefined }
      : x,
  ),
});

/** Day 1 graded Monday; a day-2 run Tuesday; day 1 re-graded Tuesday after firewall work broke port 58080. */
function scenario(): { monday: RunResults; day2: RunResults; regrade: RunResults } {
  const monday = at(makeRun(), '2025-11-24T09:00:00Z', '2025-11-24T09:03:00Z');
  const day2: RunResults = {
    ...at(makeRun(), '2025-11-25T09:00:00Z', '2025-11-25T09:03:00Z'),
    day: 2,
    checks: [{ ...(CHECKS[0] as (typeof CHECKS)[number]), id: 'd2.firewalld', day: 2, needs: [] }],
    results: makeRun()
      .results.filter((x) => x.checkId === 'd1.podman')
      .map((x) => ({ ...x, checkId: 'd2.firewalld' })),
  };
  let regrade = at(makeRun(), '2025-11-25T10:00:00Z', '2025-11-25T10:02:00Z');
  regrade = setStatus(regrade, 's01', 'node1', 'd1.port', 'fail');
  // s02 fixed registries since Monday: first passed now.
  regrade = setStatus(regrade, 's02', 'node1', 'd1.registries', 'pass');
  return { monday, day2, regrade };
}

describe('history', () => {
  it('finds first passes and regressions across days', () => {
    const { monday, day2, regrade } = scenario();
    const h = analyzeHistory([day2, monday], regrade);
    expect(h.outcomes.get(outcomeKey('s01', 'node1', 'd1.port'))).toEqual({
      firstPassed: '2025-11-24T09:03:00Z',
      lastPassed: '2025-11-24T09:03:00Z',
      regressed: true,
    });
    expect(h.outcomes.get(outcomeKey('s02', 'node1', 'd1.registries'))).toEqual({ firstPassed: '2025-11-25T10:02:00Z', lastPassed: undefined, regressed: false });
    // Failed before and now: not a regression; blocked now: its prerequisite carries the flag.
    expect(h.outcomes.get(outcomeKey('s02', 'node1', 'd1.publish'))?.regressed).toBe(false);
    expect(h.outcomes.get(outcomeKey('s02', 'node1', 'd1.port'))?.regressed).toBe(false);
    expect(h.days.get('s01')).toEqual([
      { day: 1, score: 7, max: 8, at: '2025-11-25T10:02:00Z', current: true },
      { day: 2, score: 1, max: 1, at: '2025-11-25T09:03:00Z', current: false },
    ]);
  });

  it('ignores the current run if history already holds it, and later runs', () => {
    const { monday, regrade } = scenario();
    const h = analyzeHistory([monday, regrade, at(makeRun(), '2025-11-26T09:00:00Z', '2025-11-26T09:01:00Z')], monday);
    expect(h.outcomes.get(outcomeKey('s01', 'node1', 'd1.port'))).toEqual({ firstPassed: monday.finishedAt, lastPassed: undefined, regressed: false });
  });

  it('stores runs under history/day<N>/, loads them oldest first, skips unreadable files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lg-hist-'));
    const { monday, day2, regrade } = scenario();
    const paths = [await appendHistory(dir, regrade), await appendHistory(dir, day2), await appendHistory(dir, monday)];
    expect(paths[0]).toBe(join(dir, 'day1', '2025-11-25T10-02-00.000Z.json'));
    expect(await appendHistory(dir, monday)).toBe(paths[2]);
    await writeFile(join(dir, 'day1', 'broken.json'), '{"schema":"labgrade/results@1"');
    await mkdir(join(dir, 'day9'));
    const loaded = await loadHistory(dir);
    expect(loaded.runs.map((x) => x.results.finishedAt)).toEqual([monday.finishedAt, day2.finishedAt, regrade.finishedAt].map((t) => new Date(t).toISOString().replace('.000Z', 'Z')));
    expect(loaded.skipped.map((s) => s.path)).toEqual([join(dir, 'day1', 'broken.json')]);
    expect(await loadHistory(join(dir, 'nope'))).toEqual({ runs: [], skipped: [] });
  });

  it('writeReports writes the four reports atomically, appends history, and marks the regression', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lg-out-'));
    const { monday, day2, regrade } = scenario();
    const warn: string[] = [];
    const opts = { outDir: out, lang: 'en' as const, timeZone: 'UTC', now: new Date('2025-11-25T10:05:00Z'), warn: (m: string) => void warn.push(m) };
    await writeReports(monday, opts);
    await writeReports(day2, opts);
    const paths = await writeReports(regrade, opts);
    expect(paths).toEqual([
      join(out, 'day1', 'summary.html'),
      join(out, 'day1', 'grades.csv'),
      join(out, 'day1', 'summary.md'),
      join(out, 'day1', 'results.json'),
      join(out, 'history', 'day1', '2025-11-25T10-02-00.000Z.json'),
    ]);
    expect((await readdir(join(out, 'day1'))).sort()).toEqual(['grades.csv', 'results.json', 'summary.html', 'summary.md']);
    expect((await readdir(join(out, 'history', 'day1'))).length).toBe(2);
    expect(readResultsJson(await readFile(paths[3] as string, 'utf8')).finishedAt).toBe(regrade.finishedAt);
    const html = await readFile(paths[0] as string, 'utf8');
    expect(html).toMatch(/<td class="c st-fail regressed" data-student="s01" data-node="node1" data-check="d1.port" data-status="fail" data-regressed="1"/);
    expect(html).toContain('REGRESSED: passed on 2025-11-24 09:03, not now');
    expect(html).toContain('first passed 2025-11-25 10:02');
    expect(html).toContain('D2 1/1 <small>(2025-11-25 09:03)</small>');
    const md = await readFile(paths[2] as string, 'utf8');
    expect(md).toMatch(/\| s01 \| 김민준 \| ✅ \| ✅ \| ✅ \| ❌🔻 \|/);
    expect(md).toContain('- ❌ **d1.port** (node1) curl localhost:58080 answers: fail 🔻 **REGRESSED: passed on 2025-11-24 09:03, not now**');
    expect(md).toContain('d1.podman (first passed 2025-11-24 09:03)');
    expect(warn).toEqual([]);
  });
});
