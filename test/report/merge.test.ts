import { describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/grade/types.ts';
import { mergeResults } from '../../src/report/merge.ts';
import { CANONICAL_RESULTS, CANONICAL_STUDENTS, makeRun, makeRunWithS9 } from './fixture.ts';

/** Slice a run the way a sharded grade would: some students per shard, each slice with its own times. */
function shard(r: RunResults, ids: string[][]): RunResults[] {
  return ids.map((group, index) => ({
    ...r,
    startedAt: index === 0 ? r.startedAt : '2025-11-24T09:00:30.000Z',
    finishedAt: index === ids.length - 1 ? r.finishedAt : '2025-11-24T09:02:00.000Z',
    shard: { index, count: ids.length },
    students: r.students.filter((s) => group.includes(s.id)),
    results: r.results.filter((x) => group.includes(x.student)),
  }));
}

describe('mergeResults', () => {
  it('equals the unsharded run in canonical order (s9 before s10), without shard', () => {
    const full = makeRunWithS9();
    const merged = mergeResults(shard(full, [['s10', 's01'], ['s03', 's9'], ['s02']]).reverse());
    expect(merged.students.map((s) => s.id)).toEqual(CANONICAL_STUDENTS);
    expect(merged.results.map((x) => `${x.student} ${x.node} ${x.checkId}`)).toEqual(CANONICAL_RESULTS);
    const { students, results, ...rest } = merged;
    expect(rest).toEqual((({ students: _s, results: _r, ...o }) => o)(full));
    expect(students).toHaveLength(full.students.length);
    expect(students).toEqual(expect.arrayContaining(full.students));
    expect(results).toHaveLength(full.results.length);
    expect(results).toEqual(expect.arrayContaining(full.results));
    expect('shard' in merged).toBe(false);
  });

  it('refuses a student in two parts, different days or checks, a shard given twice', () => {
    const full = makeRun();
    const [a, b] = shard(full, [['s01', 's02'], ['s03', 's10']]) as [RunResults, RunResults];
    expect(() => mergeResults([a, { ...b, students: [...b.students, ...a.students.slice(0, 1)] }])).toThrow(/student s0[12] is in part 0 and part 1/);
    expect(() => mergeResults([a, { ...b, day: 2 }])).toThrow(/day 2, part 0 is day 1/);
    expect(() => mergeResults([a, { ...b, checks: b.checks.slice(1) }])).toThrow(/checks differ/);
    expect(() => mergeResults([a, { ...b, shard: { index: 0, count: 2 } }])).toThrow(/shard 0 given twice/);
    expect(() => mergeResults([a, { ...b, results: [...b.results, ...a.results.slice(0, 1)] }])).toThrow(/not among its students/);
    expect(() => mergeResults([])).toThrow(/nothing to merge/);
  });
});
