import { describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/grade/types.ts';
import { mergeResults } from '../../src/report/merge.ts';
import { sortRun } from '../../src/report/model.ts';
import { makeRun } from './fixture.ts';

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
  it('equals the unsharded run once sorted, without shard', () => {
    const full = makeRun();
    const merged = mergeResults(shard(full, [['s10', 's01'], ['s03'], ['s02']]).reverse());
    expect(merged).toEqual(sortRun(full));
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
