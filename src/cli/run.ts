import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestModule } from 'vitest/node';
import type { PlanOptions } from '../grade/plan.ts';
import type { RunResults } from '../grade/types.ts';
import { ReportsError, type ReportFailure } from '../report/atomic.ts';
import { collectResults, writeAll } from '../report/vitest-reporter.ts';

const here = fileURLToPath(import.meta.url);
/** The package root: src/cli/run.ts -> ../..; the compiled dist/src/cli/run.js -> ../../.. */
export const PKG_ROOT = ((up2) => (basename(up2) === 'dist' ? dirname(up2) : up2))(resolve(dirname(here), '../..'));
/** Compiled (dist/, `npm run build`) or run from source (tsx, Vitest): the direct engine loads the spec of the same kind. */
const COMPILED = here.endsWith('.js');

/** The module of day N's checks that this process can load: dist/checks/dayN.spec.js when compiled. */
export function daySpecModule(day: number): string {
  return COMPILED ? join(PKG_ROOT, 'dist', 'checks', `day${day}.spec.js`) : join(PKG_ROOT, 'checks', `day${day}.spec.ts`);
}

export interface GradeRun {
  day: number;
  rosterPath: string;
  student?: string;
  node?: string;
  shard?: { index: number; count: number };
  concurrency?: number;
  strictHostKeys?: boolean;
  local?: boolean;
  lang?: string;
  reportsDir: string;
  /** 'tty' | 'plain' | 'off' */
  progress?: string;
  commandTimeoutS?: number;
  connectTimeoutS?: number;
  /** 'direct' (default): grade in this process; 'vitest': run the spec under Vitest (always so for shards) */
  engine?: 'direct' | 'vitest';
}

/** The run's options as a plan's (the direct engine builds its plan from these, not from the environment). */
export function planOptions(g: GradeRun): PlanOptions {
  const split = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
  const student = split(g.student);
  const node = split(g.node);
  return {
    rosterPath: resolve(g.rosterPath),
    ...(student ? { student } : {}),
    ...(node ? { node } : {}),
    ...(g.shard ? { shard: g.shard } : {}),
    local: Boolean(g.local),
    strictHostKeys: Boolean(g.strictHostKeys),
    ...(g.connectTimeoutS ? { connectTimeoutS: g.connectTimeoutS } : {}),
    ...(g.commandTimeoutS ? { commandTimeoutS: g.commandTimeoutS } : {}),
    ...(g.concurrency ? { concurrency: g.concurrency } : {}),
    ...(g.lang ? { lang: g.lang } : {}),
  };
}

/** Where a shard's Vitest blob report goes, for `labgrade merge`. */
export function blobDir(reportsDir: string, day: number): string {
  return join(reportsDir, 'blobs', `day${day}`);
}

class Capture implements Reporter {
  results: RunResults[] = [];
  errors: unknown[] = [];
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<unknown>): void {
    this.results = collectResults(modules);
    this.errors = [...unhandled];
    for (const m of modules) {
      for (const e of m.errors()) this.errors.push(e);
    }
  }
}

function setEnv(vars: Record<string, string | undefined>): () => void {
  const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => setEnv(old);
}

/** writeAll, with the reports that failed returned beside the ones written instead of thrown. */
async function writeEach(results: RunResults, dir: string): Promise<{ files: string[]; reportErrors: ReportFailure[] }> {
  try {
    return { files: await writeAll(results, dir), reportErrors: [] };
  } catch (e) {
    if (e instanceof ReportsError) return { files: e.written, reportErrors: e.failed };
    throw e;
  }
}

/**
 * Grades one day by running its Vitest spec in this process (the same spec `npx vitest run
 * checks/dayN.spec.ts` runs), then writes every report. Returns the results (empty for a shard).
 */
export async function runDay(
  g: GradeRun,
): Promise<{ results: RunResults | undefined; files: string[]; errors: unknown[]; reportErrors: ReportFailure[] }> {
  const spec = join(PKG_ROOT, 'checks', `day${g.day}.spec.ts`);
  if (!existsSync(spec)) throw new Error(`no checks for day ${g.day} (${spec} does not exist)`);
  const shard = g.shard ? `${g.shard.index}/${g.shard.count}` : undefined;
  const restore = setEnv({
    LABGRADE_ROSTER: resolve(g.rosterPath),
    LABGRADE_STUDENT: g.student,
    LABGRADE_NODE: g.node,
    LABGRADE_SHARD: shard,
    LABGRADE_CONCURRENCY: g.concurrency ? String(g.concurrency) : undefined,
    LABGRADE_STRICT_HOST_KEYS: g.strictHostKeys ? '1' : undefined,
    LABGRADE_LOCAL: g.local ? '1' : undefined,
    LABGRADE_LANG: g.lang,
    // decided here: a worker thread cannot tell whether stderr is a terminal
    LABGRADE_PROGRESS: g.progress ?? (process.stderr.isTTY && process.env.CI !== 'true' ? 'tty' : 'plain'),
    LABGRADE_COMMAND_TIMEOUT: g.commandTimeoutS ? String(g.commandTimeoutS) : undefined,
    LABGRADE_CONNECT_TIMEOUT: g.connectTimeoutS ? String(g.connectTimeoutS) : undefined,
  });
  try {
    if (!shard && g.engine !== 'vitest') {
      const [{ loadDay, gradeDirect }, { planFrom }] = await Promise.all([import('../grade/direct.ts'), import('../grade/plan.ts')]);
      // the plan from the options themselves; only Vitest's worker needs them as LABGRADE_* variables
      const results = await gradeDirect(await loadDay(daySpecModule(g.day)), planFrom(planOptions(g)));
      return { results, ...(await writeEach(results, g.reportsDir)), errors: [] };
    }
    const { startVitest } = await import('vitest/node');
    const capture = new Capture();
    const reporters: Reporter[] = [capture];
    const blob = shard ? join(blobDir(g.reportsDir, g.day), `blob-${g.shard!.index}-${g.shard!.count}.json`) : undefined;
    const vitest = await startVitest('test', [spec], {
      root: PKG_ROOT,
      watch: false,
      silent: true,
      reporters: blob ? [...reporters, 'blob'] : reporters,
      ...(blob ? { outputFile: { blob: resolve(blob) } } : {}),
    });
    await vitest.close();
    const results = capture.results.find((r) => r.day === g.day);
    const written = results && !shard ? await writeEach(results, g.reportsDir) : { files: [], reportErrors: [] };
    return { results, ...written, errors: capture.errors };
  } finally {
    restore();
  }
}

/** Joins shard slices with Vitest's own --merge-reports and writes the class reports once. */
export async function mergeDay(day: number, reportsDir: string, from?: string): Promise<{ results: RunResults | undefined; files: string[] }> {
  const dir = resolve(from ?? blobDir(reportsDir, day));
  const blobs = existsSync(dir) ? readdirSync(dir).filter((f) => /^blob-\d+-\d+\.json$/.test(f)) : [];
  if (!blobs.length) throw new Error(`no shard reports (blob-<i>-<n>.json) in ${dir}`);
  const counts = new Set(blobs.map((f) => Number(/^blob-\d+-(\d+)\.json$/.exec(f)![1])));
  if (counts.size !== 1) throw new Error(`shard reports of different runs in ${dir}: ${blobs.join(', ')}`);
  const count = [...counts][0]!;
  const missing = Array.from({ length: count }, (_, i) => `blob-${i + 1}-${count}.json`).filter((f) => !blobs.includes(f));
  if (missing.length) throw new Error(`missing shard reports in ${dir}: ${missing.join(', ')}`);
  const restore = setEnv({ LABGRADE_MERGE_SHARDS: String(count), LABGRADE_SHARD: undefined });
  try {
    const { startVitest } = await import('vitest/node');
    const capture = new Capture();
    const vitest = await startVitest('test', [], { root: PKG_ROOT, watch: false, reporters: [capture], mergeReports: dir, silent: true });
    await vitest.close();
    const results = capture.results.find((r) => r.day === day);
    const files = results ? await writeAll(results, reportsDir) : [];
    return { results, files };
  } finally {
    restore();
  }
}
