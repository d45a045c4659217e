/** Joining the slices of a sharded run back into the one run the reports describe. */
import type { RunResults } from '../grade/types.ts';
import { sortRun } from './model.ts';

export class MergeError extends Error {
  override name = 'MergeError';
}

/**
 * Union of the parts' students and results; checks must be identical, days equal, no student in two parts.
 * The result has no `shard` and is in canonical order (sortRun), so it deep-equals the unsharded run.
 */
export function mergeResults(parts: RunResults[]): RunResults {
  const [first] = parts;
  if (!first) throw new MergeError('nothing to merge');
  const checks = JSON.stringify(first.checks);
  const owner = new Map<string, number>();
  const shards = new Set<number>();
  parts.forEach((p, i) => {
    const where = p.shard ? `part ${i} (shard ${p.shard.index}/${p.shard.count})` : `part ${i}`;
    if (p.schema !== first.schema) throw new MergeError(`${where}: schema ${p.schema}, part 0 has ${first.schema}`);
    if (p.day !== first.day) throw new MergeError(`${where}: day ${p.day}, part 0 is day ${first.day}`);
    if (JSON.stringify(p.checks) !== checks) throw new MergeError(`${where}: its checks differ from part 0's`);
    if (p.shard) {
      if (first.shard && p.shard.count !== first.shard.count) {
        throw new MergeError(`${where}: shard count ${p.shard.count}, part 0 says ${first.shard.count}`);
      }
      if (shards.has(p.shard.index)) throw new MergeError(`${where}: shard ${p.shard.index} given twice`);
      shards.add(p.shard.index);
    }
    for (const s of p.students) {
      const other = owner.get(s.id);
      if (other !== undefined) throw new MergeError(`student ${s.id} is in part ${other} and part ${i}`);
      owner.set(s.id, i);
    }
    for (const res of p.results) {
      if (owner.get(res.student) !== i) throw new MergeError(`${where}: result for ${res.student}, who is not among its students`);
    }
  });
  const t = (iso: string): number => Date.parse(iso);
  const startedAt = parts.map((p) => p.startedAt).reduce((a, b) => (t(b) < t(a) ? b : a));
  const finishedAt = parts.map((p) => p.finishedAt).reduce((a, b) => (t(b) > t(a) ? b : a));
  return sortRun({
    schema: first.schema,
    day: first.day,
    startedAt,
    finishedAt,
    checks: first.checks,
    students: parts.flatMap((p) => p.students),
    results: parts.flatMap((p) => p.results),
  });
}
