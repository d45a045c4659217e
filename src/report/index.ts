export { toResultsJson, readResultsJson, runResultsSchema, ResultsJsonError, RESULTS_SCHEMA } from './results-json.ts';
export { toGradesCsv, parseCsv, statusNote, BOM } from './csv.ts';
export { toSummaryMd, type SummaryOptions } from './markdown.ts';
export { toSummaryHtml, HTML_SYMBOL, type HtmlOptions } from './html.ts';
export {
  loadHistory,
  appendHistory,
  analyzeHistory,
  historyFileName,
  outcomeKey,
  type HistoryInsight,
  type HistoryRun,
  type LoadedHistory,
  type OutcomeHistory,
  type DayScore,
} from './history.ts';
export { writeReports, type WriteOptions } from './write.ts';
export { mergeResults, MergeError } from './merge.ts';
export { crossCheck, htmlVerdicts, type CrossCheckReport } from './crosscheck.ts';
export { buildGrid, sortRun, columnKey, type Grid, type Column, type Cell, type Row, type CellStatus } from './model.ts';
export { LABELS, formatDate } from './i18n.ts';
