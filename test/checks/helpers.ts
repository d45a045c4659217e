/** Runs the real CLI the way an instructor does, and reads what it wrote. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll } from 'vitest';
import type { CheckResult, RunResults } from '../../src/grade/types.ts';
import { readResultsJson } from '../../src/report/results-json.ts';
import { mapPool } from '../../src/grade/pool.ts';
import type { Lab, LabNode } from '../../src/lab/index.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  reports: string;
  results?: RunResults;
}

const temps: string[] = [];
// each test file's temp dirs go when its tests are done (registered on the file that imports this module: Vitest
// isolates modules per file): tests leave /tmp as they found it
afterAll(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempReports(prefix = 'lg-reports-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

export async function cli(args: string[], reports = tempReports(), env: Record<string, string> = {}): Promise<CliRun> {
  const t0 = Date.now();
  const r = await execa('node', [join(ROOT, 'bin/labgrade.mjs'), ...args, '--reports', reports], {
    reject: false,
    env: { LABGRADE_PROGRESS: 'off', ...env },
    cwd: ROOT,
  });
  const day = /--day\s+(\d)/.exec(args.join(' '))?.[1];
  const file = day ? join(reports, `day${day}`, 'results.json') : '';
  return {
    code: r.exitCode ?? -1,
    stdout: String(r.stdout),
    stderr: String(r.stderr),
    ms: Date.now() - t0,
    reports,
    ...(file && existsSync(file) ? { results: readResultsJson(readFileSync(file, 'utf8')) } : {}),
  };
}

export function resultsOf(r: RunResults, student: string, node?: string): CheckResult[] {
  return r.results.filter((x) => x.student === student && (!node || x.node === node));
}

export function byCheck(rows: CheckResult[]): Record<string, CheckResult> {
  return Object.fromEntries(rows.map((x) => [x.checkId, x]));
}

/**
 * Every check that needs `id`, directly or through another check, read from a run's own `needs`. Not for deciding
 * which verdicts a fault may excuse (that would trust the graph under test): verdicts.int.test.ts uses a fixed list.
 */
export function dependants(r: RunResults, id: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of r.checks) {
      if (!out.has(c.id) && c.needs.some((n) => n === id || out.has(n))) {
        out.add(c.id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Runs `apply` on every item: the items of one key (a node, a student's cluster) one after the other, in their
 * order; the keys side by side, `limit` at a time (faults are SSH round trips and node work: sequential, a class's
 * faults took minutes of a mostly idle machine).
 */
export async function inOrderPerKey<T>(items: T[], keyOf: (x: T) => string, limit: number, apply: (x: T) => Promise<void>): Promise<void> {
  const groups = new Map<string, T[]>();
  for (const x of items) groups.set(keyOf(x), [...(groups.get(keyOf(x)) ?? []), x]);
  await mapPool([...groups.values()], limit, async (g) => {
    for (const x of g) await apply(x);
  });
}

/** Phase timings of a test's class set-up, printed once on stderr ("[file] lab up 41 s, solve 120 s, ..."). */
export function phases(label: string): { mark: (phase: string) => void; print: () => void } {
  const out: string[] = [];
  let t = Date.now();
  return {
    mark(phase) {
      const now = Date.now();
      out.push(`${phase} ${((now - t) / 1000).toFixed(1)} s`);
      t = now;
    },
    print() {
      process.stderr.write(`[${label}] ${out.join(', ')}\n`);
    },
  };
}

/** Snapshots (Lab.snapshot digests) of `nodes`, three at a time, into `into` keyed by student/node. */
export async function snapshotAll(lab: Lab, nodes: LabNode[], into: Map<string, string>): Promise<void> {
  await mapPool(nodes, 3, async (n) => {
    into.set(`${n.student}/${n.name}`, await lab.snapshot(n));
  });
}
