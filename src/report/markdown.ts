/** summary.md: the class at a glance in a chat message, an issue or a terminal. */
import type { Lang, RunResults } from '../grade/types.ts';
import type { HistoryInsight } from './history.ts';
import { outcomeKey } from './history.ts';
import { formatDate, LABELS } from './i18n.ts';
import { buildGrid, formatPoints, percent, type Cell, type CellStatus, type Row } from './model.ts';
import { clip, oneLine, visible } from './text.ts';

export const MD_SYMBOL: Record<CellStatus, string> = { pass: '✅', fail: '❌', blocked: '⛔', error: '⚠️', missing: '❔' };
export const MD_REGRESSED = '🔻';

export interface SummaryOptions {
  history?: HistoryInsight;
  /** IANA zone for dates shown (default: this machine's) */
  timeZone?: string;
}

export function toSummaryMd(r: RunResults, lang: Lang, opts: SummaryOptions = {}): string {
  const L = LABELS[lang];
  const grid = buildGrid(r);
  const date = (iso: string): string => formatDate(iso, opts.timeZone);
  const hist = (row: Row, cell: Cell) =>
    cell.result && opts.history?.outcomes.get(outcomeKey(row.student.id, cell.result.node, cell.result.checkId));
  const out: string[] = [];

  out.push(`# ${L.title(r.day)}`, '');
  out.push(`${L.run}: ${date(r.startedAt)} – ${date(r.finishedAt)} · ${L.students(grid.rows.length)} · ${L.checks(r.checks.length)}`, '');
  const legend = (['pass', 'fail', 'blocked', 'error'] as const).map((s) => `${MD_SYMBOL[s]} ${L.statusLong[s]}`);
  if (opts.history) legend.push(`${MD_REGRESSED} ${L.regressed}`);
  out.push(`${L.legend}: ${legend.join(' · ')}`, '');

  // Class table
  out.push(`| ${[L.student, L.name, ...grid.columns.map((c) => mdCell(c.key)), L.score].join(' | ')} |`);
  out.push(`|${['---', '---', ...grid.columns.map(() => ':-:'), '--:'].join('|')}|`);
  for (const row of grid.rows) {
    const cells = grid.columns.map((c) => {
      const cell = row.cells.get(c.key);
      if (!cell) return '';
      return MD_SYMBOL[cell.status] + (hist(row, cell)?.regressed ? MD_REGRESSED : '');
    });
    out.push(`| ${[mdCell(row.student.id), mdCell(row.student.name ?? ''), ...cells, scoreText(row)].join(' | ')} |`);
  }
  const rates = grid.columns.map((c) => {
    let pass = 0;
    let n = 0;
    for (const row of grid.rows) {
      const cell = row.cells.get(c.key);
      if (!cell) continue;
      n++;
      if (cell.status === 'pass') pass++;
    }
    return `${pass}/${n}`;
  });
  out.push(`| **${L.passRate}** | | ${rates.join(' | ')} | |`, '');

  // Infra problems, once per node
  out.push(`## ${L.infraHeading}`, '');
  const infra = grid.rows.flatMap((row) =>
    row.infra.map((n) => {
      const count = [...row.cells.values()].filter((c) => c.result?.node === n.name && c.status === 'error').length;
      return `- ${L.infraLine(mdText(row.student.id), mdText(n.name), mdText(n.host), mdText(n.infra?.kind ?? ''), mdText(n.infra?.message ?? ''), count)}`;
    }),
  );
  out.push(...(infra.length ? infra : [L.noInfra]), '');

  // Per student
  out.push(`## ${L.failuresHeading}`, '');
  for (const row of grid.rows) {
    const who = row.student.name ? `${mdText(row.student.id)} ${mdText(row.student.name)}` : mdText(row.student.id);
    out.push(`### ${who}: ${scoreText(row)}`, '');
    const infraNodes = new Set(row.infra.map((n) => n.name));
    const problems = [...row.cells.values()].filter((c) => c.status !== 'pass');
    if (problems.length === 0) out.push(L.allPassed);
    for (const n of row.infra) {
      const count = problems.filter((c) => c.result?.node === n.name).length;
      out.push(`- ${MD_SYMBOL.error} **${mdText(n.name)}**: ${mdText(oneLine(`${n.infra?.kind}: ${n.infra?.message}`))}. ${L.infraCovered(count)}`);
    }
    for (const cell of problems) {
      const node = cell.result?.node ?? cell.column.node;
      if (node !== undefined && infraNodes.has(node) && cell.status === 'error') continue;
      const title = cell.column.check.title[lang];
      const where = node !== undefined ? ` (${mdText(node)})` : '';
      const h = hist(row, cell);
      const reg = h?.regressed ? ` ${MD_REGRESSED} **${L.regressedLong(date(h.lastPassed ?? ''))}**` : '';
      out.push(`- ${MD_SYMBOL[cell.status]} **${mdText(cell.column.check.id)}**${where} ${mdText(title)}: ${L.status[cell.status]}${reg}`);
      const res = cell.result;
      if (!res) continue;
      if (cell.status === 'blocked' && res.blockedBy) {
        const pre = r.checks.find((c) => c.id === res.blockedBy);
        out.push(`  - ${mdText(L.blockedBy(res.blockedBy, pre?.title[lang] ?? res.blockedBy))}`);
        continue;
      }
      if (cell.status === 'error' && res.error) out.push(`  - ${mdText(oneLine(`${res.error.kind}: ${res.error.message}`, 500))}`);
      if (res.found !== undefined) out.push(`  - ${L.found}: ${mdCode(clip(res.found), '    ')}`);
      if (res.expected !== undefined) out.push(`  - ${L.expected}: ${mdCode(clip(res.expected), '    ')}`);
      if (res.hint) out.push(`  - ${L.hint}: ${mdText(oneLine(res.hint[lang], 1000))}`);
    }
    const firsts = [...row.cells.values()]
      .filter((c) => c.status === 'pass')
      .map((c) => ({ c, h: hist(row, c) }))
      .filter((x) => x.h?.firstPassed);
    if (opts.history && firsts.length) {
      const items = firsts.map(({ c, h }) => `${mdText(c.column.key)} (${L.firstPassed(date(h?.firstPassed ?? ''))})`);
      out.push(`- ${MD_SYMBOL.pass} ${L.passedChecks}: ${items.join(', ')}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function scoreText(row: Row): string {
  const pct = percent(row.total, row.max);
  return `${formatPoints(row.total)}/${formatPoints(row.max)}${pct === undefined ? '' : ` (${pct}%)`}`;
}

/** Inline text: no HTML, no markdown syntax, one line. */
export function mdText(s: string): string {
  return oneLine(s, 10_000)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

function mdCell(s: string): string {
  return mdText(s);
}

/**
 * Untrusted node output as code: one line → inline code span; several lines → a fenced block
 * (indented into the list item). Fences are longer than any backtick run inside, so content cannot close them.
 */
export function mdCode(s: string, indent: string): string {
  const v = visible(s).replace(/\t/g, '  ');
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((m) => m.length));
  if (!v.includes('\n')) {
    const fence = '`'.repeat(longest + 1);
    // CommonMark strips one space each side; needed only when the content itself starts or ends with a backtick.
    const pad = v.startsWith('`') || v.endsWith('`') ? ' ' : '';
    return v === '' ? '(empty)' : `${fence}${pad}${v}${pad}${fence}`;
  }
  const fence = '`'.repeat(Math.max(3, longest + 1));
  let end = v.length; // not /\n+$/: quadratic on a long run of newlines followed by text
  while (end > 0 && v[end - 1] === '\n') end--;
  const body = v.slice(0, end).split('\n');
  return ['', `${indent}${fence}text`, ...body.map((l) => `${indent}${l}`), `${indent}${fence}`].join('\n');
}
