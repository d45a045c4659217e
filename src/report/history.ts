/**
 * Run history: every written run is kept as reports/history/day<N>/<finishedAt>.json, so a later run can say
 * when an outcome first passed and flag the ones that passed before and fail now (regressions).
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResults, Status } from '../grade/types.ts';
import { buildGrid } from './model.ts';
import { readResultsJson, toResultsJson } from './results-json.ts';
import { writeFileAtomic } from './atomic.ts';

export interface HistoryRun {
  path: string;
  results: RunResults;
}

export interface LoadedHistory {
  /** oldest first (by finishedAt) */
  runs: HistoryRun[];
  /** files that could not be read; reported, not fatal, so one bad file never blocks a day's reports */
  skipped: { path: string; reason: string }[];
}

export interface OutcomeHistory {
  /** finishedAt of the earliest run (this one included) where it passed */
  firstPassed?: string;
  /** finishedAt of the latest earlier run where it passed */
  lastPassed?: string;
  /** it fails now and passed in an earlier run (of this or an earlier day) */
  regressed: boolean;
}

export interface DayScore {
  day: number;
  score: number;
  max: number;
  at: string;
  current: boolean;
}

export interface HistoryInsight {
  /** by outcomeKey(student, node, checkId) */
  outcomes: Map<string, OutcomeHistory>;
  /** per student: the latest graded score of each day, oldest day first */
  days: Map<string, DayScore[]>;
}

export const outcomeKey = (student: string, node: string, checkId: string): string => `${student}\u0000${node}\u0000${checkId}`;

/** `2025-11-24T09-30-00.000Z.json`: ':' is not allowed in Windows file names (reports get copied around). */
export function historyFileName(r: RunResults): string {
  const d = new Date(r.finishedAt);
  const stamp = Number.isNaN(d.getTime()) ? r.finishedAt : d.toISOString();
  const shard = r.shard ? `.shard${r.shard.index}of${r.shard.count}` : '';
  return `${stamp.replace(/:/g, '-').replace(/[^0-9A-Za-z.-]/g, '_')}${shard}.json`;
}

/** Keep this run; the same run written twice lands on the same file (idempotent). */
export async function appendHistory(historyDir: string, r: RunResults): Promise<string> {
  const dir = join(historyDir, `day${r.day}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, historyFileName(r));
  await writeFileAtomic(path, toResultsJson(r));
  return path;
}

/** Every run of every day under historyDir (missing dir = no history). */
export async function loadHistory(historyDir: string): Promise<LoadedHistory> {
  const runs: HistoryRun[] = [];
  const skipped: LoadedHistory['skipped'] = [];
  let days: string[];
  try {
    days = (await readdir(historyDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { runs, skipped };
    throw e;
  }
  for (const day of days.sort()) {
    const dir = join(historyDir, day);
    for (const f of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
      const path = join(dir, f);
      try {
        runs.push({ path, results: readResultsJson(await readFile(path, 'utf8')) });
      } catch (e) {
        skipped.push({ path, reason: (e as Error).message });
      }
    }
  }
  runs.sort((a, b) => time(a.results.finishedAt) - time(b.results.finishedAt));
  return { runs, skipped };
}

const time = (iso: string): number => Date.parse(iso);

const sameRun = (a: RunResults, b: RunResults): boolean =>
  a.day === b.day && a.startedAt === b.startedAt && a.finishedAt === b.finishedAt && a.shard?.index === b.shard?.index;

/**
 * First-passed dates and regressions for the current run. Only `fail` counts as regressed: a `blocked`
 * outcome points at its failed prerequisite (which is flagged itself), and an `error` says nothing about the node.
 */
export function analyzeHistory(past: RunResults[], current: RunResults): HistoryInsight {
  const now = time(current.finishedAt);
  const earlier = past.filter((p) => !sameRun(p, current) && time(p.finishedAt) < now);
  const passes = new Map<string, { first: string; last: string }>();
  const note = (r: RunResults, student: string, node: string, checkId: string, status: Status): void => {
    if (status !== 'pass') return;
    const k = outcomeKey(student, node, checkId);
    const seen = passes.get(k);
    if (!seen) passes.set(k, { first: r.finishedAt, last: r.finishedAt });
    else {
      if (time(r.finishedAt) < time(seen.first)) seen.first = r.finishedAt;
      if (time(r.finishedAt) > time(seen.last)) seen.last = r.finishedAt;
    }
  };
  for (const r of earlier) for (const res of r.results) note(r, res.student, res.node, res.checkId, res.status);

  const outcomes = new Map<string, OutcomeHistory>();
  for (const res of current.results) {
    const k = outcomeKey(res.student, res.node, res.checkId);
    const before = passes.get(k);
    outcomes.set(k, {
      firstPassed: before?.first ?? (res.status === 'pass' ? current.finishedAt : undefined),
      lastPassed: before?.last,
      regressed: res.status === 'fail' && before !== undefined,
    });
  }

  // Per student and day, the latest run that graded that student (shards cover only some students).
  const days = new Map<string, DayScore[]>();
  const latest = new Map<string, { r: RunResults; current: boolean }>();
  for (const r of earlier) {
    for (const s of r.students) {
      const k = `${s.id}\u0000${r.day}`;
      const prev = latest.get(k);
      if (!prev || time(r.finishedAt) >= time(prev.r.finishedAt)) latest.set(k, { r, current: false });
    }
  }
  for (const s of current.students) latest.set(`${s.id}\u0000${current.day}`, { r: current, current: true });
  const grids = new Map<RunResults, ReturnType<typeof buildGrid>>();
  for (const [k, { r, current: isCurrent }] of latest) {
    const [student] = k.split('\u0000') as [string];
    let grid = grids.get(r);
    if (!grid) {
      grid = buildGrid(r);
      grids.set(r, grid);
    }
    const row = grid.rows.find((x) => x.student.id === student);
    if (!row) continue;
    const list = days.get(student) ?? [];
    list.push({ day: r.day, score: row.total, max: row.max, at: r.finishedAt, current: isCurrent });
    days.set(student, list);
  }
  for (const list of days.values()) list.sort((a, b) => a.day - b.day);
  return { outcomes, days };
}
