/**
 * The direct engine: the same checks (read from checks/dayN.spec.ts), the same plan, gathering and
 * verdicts as under Vitest, without starting Vitest. `labgrade grade` uses it by default: Vitest's
 * start-up and worker cost 2-3 s and ~300 MB whatever the class size (bench/README.md), which is
 * most of a class run. `--engine vitest` and sharding go through Vitest itself.
 */
import { pathToFileURL } from 'node:url';
import { appliesTo, checkMeta, type Day } from './course.ts';
import { gradeNode } from './evaluate.ts';
import type { Plan } from './plan.ts';
import { mapPool } from './pool.ts';
import { Progress } from './progress.ts';
import type { NodeSummary, RunResults } from './types.ts';

/** src/grade/vitest.ts's COLLECT (a global symbol), not imported: that module must first load with it set. */
const COLLECT = Symbol.for('labgrade.collect');

/** Loads a day's checks from its spec file without registering any test. */
export async function loadDay(specPath: string): Promise<Day> {
  const g = globalThis as Record<symbol, { days: Day[] } | undefined>;
  const collector = { days: [] as Day[] };
  g[COLLECT] = collector;
  try {
    await import(pathToFileURL(specPath).href);
  } finally {
    delete g[COLLECT];
  }
  const day = collector.days[0];
  if (!day) throw new Error(`${specPath} registers no course day (gradeDay)`);
  return day;
}

export async function gradeDirect(day: Day, plan: Plan): Promise<RunResults> {
  const startedAt = new Date().toISOString();
  const progress = Progress.fromEnv(plan.nodes.length, `day ${day.day}`);
  const graded = await mapPool(plan.nodes, plan.concurrency, async (n) => {
    const g = await gradeNode(n.open(), day, n.ctx, n.host, plan.weights, plan.gather);
    progress.nodeDone(g.results.filter((r) => r.status !== 'pass').length, Boolean(g.summary.infra));
    return { student: n.student, g };
  });
  const nodesOf = (id: string): NodeSummary[] => graded.filter((x) => x.student === id).map((x) => x.g.summary);
  return {
    schema: 'labgrade/results@1',
    day: day.day,
    startedAt,
    finishedAt: new Date().toISOString(),
    // as under Vitest, where a check no graded node runs has no test: only checks that applied somewhere
    checks: day.checks
      .filter((c) => plan.nodes.some((n) => appliesTo(c, n.node, n.ctx)))
      .map((c) => checkMeta(day.day, c, plan.weights)),
    students: plan.students
      .map((s) => ({ ...s, nodes: nodesOf(s.id) }))
      .filter((s) => s.nodes.length > 0)
      .sort((a, b) => a.id.localeCompare(b.id)),
    results: graded.flatMap((x) => x.g.results),
  };
}
