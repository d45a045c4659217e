/** The roster (class file): load, validate, filter. */
import { RosterError } from './load.ts';
import type { Roster } from './schema.ts';

export { defaultRosterPath, formatPath, loadRoster, RosterError, type LoadOptions } from './load.ts';
export type { LabParams, NodeTarget, Roster, Student } from './schema.ts';

export interface RosterFilter {
  /** student id(s) to keep */
  student?: string | string[];
  /** node name(s) to keep */
  node?: string | string[];
  /** 1-based, like vitest's --shard=1/3: slice `index` of `count`, contiguous by student in roster order */
  shard?: { index: number; count: number };
}

/**
 * Narrows a roster. Unknown student or node names are errors (a typo must not grade nobody).
 * Sharding splits students into `count` contiguous slices whose sizes differ by at most one;
 * it is applied after the student/node filters, so every shard of the same filter is disjoint.
 */
export function filterRoster(roster: Roster, f: RosterFilter): Roster {
  let students = roster.students;
  const wantS = f.student === undefined ? undefined : ([] as string[]).concat(f.student);
  const wantN = f.node === undefined ? undefined : ([] as string[]).concat(f.node);
  if (wantS) {
    const ids = new Set(students.map((s) => s.id));
    const missing = wantS.filter((s) => !ids.has(s));
    if (missing.length) throw new RosterError(missing.map((m) => `no student '${m}' in ${roster.path}`));
    students = students.filter((s) => wantS.includes(s.id));
  }
  if (wantN) {
    const names = new Set(students.flatMap((s) => s.nodes.map((n) => n.node)));
    const missing = wantN.filter((n) => !names.has(n));
    if (missing.length) throw new RosterError(missing.map((m) => `no node '${m}' in ${roster.path}`));
    students = students
      .map((s) => ({ ...s, nodes: s.nodes.filter((n) => wantN.includes(n.node)) }))
      .filter((s) => s.nodes.length > 0);
  }
  if (f.shard) {
    const { index, count } = f.shard;
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) {
      throw new RangeError(`bad shard ${index}/${count}: want 1 <= index <= count`);
    }
    const n = students.length;
    const from = Math.floor(((index - 1) * n) / count);
    const to = Math.floor((index * n) / count);
    students = students.slice(from, to);
  }
  return { ...roster, students };
}
