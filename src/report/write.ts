/** Writing a day's reports: reports/day<N>/{summary.html, grades.csv, summary.md, results.json} + history. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang, RunResults } from '../grade/types.ts';
import { ReportsError, writeOne, type ReportFailure } from './atomic.ts';
import { toGradesCsv } from './csv.ts';
import { analyzeHistory, appendHistory, loadHistory, type HistoryInsight } from './history.ts';
import { toSummaryHtml } from './html.ts';
import { toSummaryMd } from './markdown.ts';
import { toResultsJson } from './results-json.ts';

export interface WriteOptions {
  /** default 'reports' */
  outDir?: string;
  /** language of summary.html / summary.md (default 'en') */
  lang?: Lang;
  /** default `<outDir>/history`; false = neither read nor append history */
  historyDir?: string | false;
  /** the "generated" time shown in the summaries (default: now) */
  now?: Date;
  /** IANA zone for dates shown (default: this machine's) */
  timeZone?: string;
  /** where unreadable history files are reported (default console.warn) */
  warn?: (message: string) => void;
}

/**
 * Returns the paths written: the four reports, then the history file (if any). Each is built and
 * written on its own; when some fail, the others are still written and a ReportsError names the failed.
 */
export async function writeReports(r: RunResults, opts: WriteOptions = {}): Promise<string[]> {
  const outDir = opts.outDir ?? 'reports';
  const lang = opts.lang ?? 'en';
  const historyDir = opts.historyDir === undefined ? join(outDir, 'history') : opts.historyDir;
  const warn = opts.warn ?? ((m: string) => console.warn(m));

  let history: HistoryInsight | undefined;
  if (historyDir !== false) {
    // Analyse before appending, so this run is compared with earlier ones only.
    const loaded = await loadHistory(historyDir);
    for (const s of loaded.skipped) warn(`labgrade: history file skipped: ${s.path}: ${s.reason}`);
    history = analyzeHistory(
      loaded.runs.map((h) => h.results),
      r,
    );
  }

  const dayDir = join(outDir, `day${r.day}`);
  await mkdir(dayDir, { recursive: true });
  const files: [string, () => string][] = [
    ['summary.html', () => toSummaryHtml(r, { lang, history, timeZone: opts.timeZone, now: opts.now })],
    ['grades.csv', () => toGradesCsv(r)],
    ['summary.md', () => toSummaryMd(r, lang, { history, timeZone: opts.timeZone })],
    ['results.json', () => toResultsJson(r)],
  ];
  const written: string[] = [];
  const failed: ReportFailure[] = [];
  for (const [name, build] of files) await writeOne(join(dayDir, name), build, written, failed);
  if (historyDir !== false) {
    try {
      written.push(await appendHistory(historyDir, r));
    } catch (e) {
      failed.push({ file: historyDir, why: `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`.slice(0, 500) });
    }
  }
  if (failed.length) throw new ReportsError(failed, written);
  return written;
}
