/** Runs the real CLI the way an instructor does, and reads what it wrote. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import type { CheckResult, RunResults } from '../../src/grade/types.ts';
import { readResultsJson } from '../../src/report/results-json.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  reports: string;
  results?: RunResults;
}

export function tempReports(prefix = 'lg-reports-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
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
