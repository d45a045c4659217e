import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { pickLang } from '../grade/messages.ts';
import type { CheckMeta, CheckResult, RunResults, StudentSummary } from '../grade/types.ts';
import type { LabgradeMeta } from '../grade/vitest.ts';
import { ReportsError, writeOne, type ReportFailure } from './atomic.ts';
import { toJunit } from './junit.ts';
import { writeReports } from './write.ts';

/** Collects the verdicts the check specs attached to their test cases, one RunResults per day. */
export function collectResults(modules: readonly TestModule[]): RunResults[] {
  const days = new Map<number, { checks: Map<string, CheckMeta>; students: Map<string, StudentSummary>; results: CheckResult[]; startedAt: string }>();
  for (const m of modules) {
    for (const t of m.children.allTests()) {
      const meta = (t.meta() as { labgrade?: LabgradeMeta }).labgrade;
      if (!meta) continue;
      let d = days.get(meta.day);
      if (!d) {
        d = { checks: new Map(), students: new Map(), results: [], startedAt: meta.startedAt };
        days.set(meta.day, d);
      }
      if (meta.startedAt < d.startedAt) d.startedAt = meta.startedAt;
      if (!d.checks.has(meta.check.id)) d.checks.set(meta.check.id, meta.check);
      d.students.set(meta.student.id, meta.student);
      d.results.push(meta.result);
    }
  }
  const finishedAt = new Date().toISOString();
  return [...days.entries()]
    .sort(([a], [b]) => a - b)
    .map(([day, d]) => ({
      schema: 'labgrade/results@1',
      day,
      startedAt: d.startedAt,
      finishedAt,
      checks: [...d.checks.values()],
      students: [...d.students.values()].sort((a, b) => a.id.localeCompare(b.id)),
      results: d.results,
    }));
}

/**
 * Writes reports/dayN/junit.xml, reports/dayN/students/<id>.xml and the class reports, each on its
 * own: one that fails does not stop the others; then a ReportsError names every failed one.
 */
export async function writeAll(results: RunResults, outDir: string): Promise<string[]> {
  const lang = pickLang();
  const dayDir = join(outDir, `day${results.day}`);
  mkdirSync(join(dayDir, 'students'), { recursive: true });
  const written: string[] = [];
  const failed: ReportFailure[] = [];
  await writeOne(join(dayDir, 'junit.xml'), () => toJunit(results, lang), written, failed);
  for (const s of results.students) {
    await writeOne(join(dayDir, 'students', `${s.id}.xml`), () => toJunit(results, lang, s.id), written, failed);
  }
  try {
    written.push(...(await writeReports(results, { outDir, lang, historyDir: join(outDir, 'history') })));
  } catch (e) {
    if (!(e instanceof ReportsError)) throw e;
    written.push(...e.written);
    failed.push(...e.failed);
  }
  if (failed.length) throw new ReportsError(failed, written);
  return written;
}

/**
 * Vitest reporter: does nothing for ordinary tests; for the check specs it writes every report.
 * In a shard (LABGRADE_SHARD set) it writes nothing: Vitest's blob reporter keeps the slice and
 * `labgrade merge` replays the merged blobs through this reporter.
 */
export default class LabgradeReporter implements Reporter {
  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    if (process.env.LABGRADE_SHARD && !process.env.LABGRADE_MERGING) return;
    const outDir = process.env.LABGRADE_REPORTS ?? 'reports';
    const files: string[] = [];
    for (const r of collectResults(testModules)) files.push(...(await writeAll(r, outDir)));
    if (files.length && process.env.LABGRADE_LIST_REPORTS) writeFileSync(process.env.LABGRADE_LIST_REPORTS, files.join('\n') + '\n');
  }
}
