/**
 * An earlier day's checks, for a later day's `prerequisites` (d3.kubelet needs d2.k8s-packages):
 * the earlier spec is imported with a collector of its own, so it registers no tests, whether this
 * runs under Vitest or the direct engine (whose own collector is set aside meanwhile).
 */
import type { CheckDef, Day } from './course.ts';
import { COLLECT } from './vitest.ts';

const REGISTRY = Symbol.for('labgrade.days');
type Registry = Map<number, Day>;

/** Called by gradeDay: every day seen in this process, so a cached spec module still yields its checks. */
export function remember(day: Day): void {
  const g = globalThis as Record<symbol, Registry | undefined>;
  (g[REGISTRY] ??= new Map()).set(day.day, day);
}

export async function checksOf(spec: URL, day: number): Promise<CheckDef[]> {
  const g = globalThis as Record<symbol, unknown>;
  const known = (g[REGISTRY] as Registry | undefined)?.get(day);
  if (known) return known.checks;
  const outer = g[COLLECT];
  const mine = { days: [] as Day[] };
  g[COLLECT] = mine;
  try {
    await import(spec.href);
  } finally {
    if (outer === undefined) delete g[COLLECT];
    else g[COLLECT] = outer;
  }
  const found = mine.days.find((d) => d.day === day) ?? (g[REGISTRY] as Registry | undefined)?.get(day);
  if (!found) throw new Error(`${spec.pathname} registers no day ${day}`);
  return found.checks;
}
