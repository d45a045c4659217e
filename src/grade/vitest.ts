import type * as Vitest from 'vitest';
import { terminalSafe } from '../cli/out.ts';
import { appliesTo, checkMeta, type Day } from './course.ts';
import { gradeNode, type NodeGrade } from './evaluate.ts';
import { failureMessage } from './messages.ts';
import { loadPlanFromEnv } from './plan.ts';
import { mapPool } from './pool.ts';
import { remember } from './prior.ts';
import { Progress } from './progress.ts';
import type { CheckMeta, CheckResult, StudentSummary } from './types.ts';

/** What each Vitest test case carries to the reporters (task.meta.labgrade). */
export interface LabgradeMeta {
  day: number;
  result: CheckResult;
  check: CheckMeta;
  student: StudentSummary;
  startedAt: string;
}

declare module 'vitest' {
  interface TaskMeta {
    labgrade?: LabgradeMeta;
  }
}

/** Set by the direct engine (src/grade/direct.ts) to read a spec's checks without running Vitest. */
export const COLLECT = Symbol.for('labgrade.collect');
type Collector = { days: Day[] };

// The direct engine loads a spec (and so this module) only to collect its checks, with COLLECT set before
// the import: it never needs Vitest's runtime, so it is not loaded then (tens of ms and MB at every start).
const vt: typeof Vitest | undefined = (globalThis as Record<symbol, Collector | undefined>)[COLLECT] ? undefined : await import('vitest');

/**
 * Registers one test per check per node per student for a course day.
 * Every node is graded up front, concurrently (one connection each); the tests then read verdicts.
 */
export function gradeDay(day: Day): void {
  remember(day);
  const collector = (globalThis as Record<symbol, Collector | undefined>)[COLLECT];
  if (collector) {
    collector.days.push(day);
    return;
  }
  if (!vt) throw new Error('gradeDay: Vitest is not loaded (a spec imported for collection only, then run)');
  const { beforeAll, describe, test } = vt;
  const plan = loadPlanFromEnv();
  const grades = new Map<string, NodeGrade>();
  const key = (student: string, node: string) => `${student}/${node}`;
  const startedAt = new Date().toISOString();
  const metas = new Map(day.checks.map((c) => [c.id, checkMeta(day.day, c, plan.weights)]));

  beforeAll(async () => {
    const progress = Progress.fromEnv(plan.nodes.length, `day ${day.day}`);
    await mapPool(plan.nodes, plan.concurrency, async (n) => {
      const g = await gradeNode(n.open(), day, n.ctx, n.host, plan.weights, plan.gather);
      grades.set(key(n.student, n.node), g);
      progress.nodeDone(g.results.filter((r) => r.status !== 'pass').length, Boolean(g.summary.infra));
    });
  });

  for (const student of plan.students) {
    describe(student.id, () => {
      for (const node of plan.nodes.filter((n) => n.student === student.id)) {
        describe(node.node, () => {
          for (const c of day.checks.filter((c) => appliesTo(c, node.node, node.ctx))) {
            test(c.id, ({ task }) => {
              const g = grades.get(key(student.id, node.node));
              const result = g?.results.find((r) => r.checkId === c.id);
              if (!g || !result) throw new Error(`${c.id} was not graded on ${student.id}/${node.node}`);
              const summary: StudentSummary = {
                id: student.id,
                ...(student.name ? { name: student.name } : {}),
                nodes: plan.nodes
                  .filter((n) => n.student === student.id)
                  .map((n) => grades.get(key(student.id, n.node))?.summary ?? { name: n.node, host: n.host }),
              };
              task.meta.labgrade = { day: day.day, result, check: metas.get(c.id)!, student: summary, startedAt };
              // Vitest prints this message on a terminal: node text in it goes through the one sanitiser.
              if (result.status !== 'pass') throw new Error(terminalSafe(failureMessage(result, plan.lang)));
            });
          }
        });
      }
    });
  }
}
