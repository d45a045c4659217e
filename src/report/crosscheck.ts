/**
 * Every verdict must read the same in every format. Used by tests (and the lead's JUnit test) on what was
 * actually written, so a renderer that drops, duplicates or mislabels a cell is caught.
 */
import type { RunResults } from '../grade/types.ts';
import { parseCsv } from './csv.ts';
import { buildGrid, columnKey, formatPoints } from './model.ts';
import { readResultsJson } from './results-json.ts';
import { unescapeHtml } from './text.ts';

export interface CrossCheckReport {
  ok: boolean;
  /** verdicts compared */
  checked: number;
  problems: string[];
}

const key = (student: string, node: string, check: string): string => `${student} ${node} ${check}`;

/** The grid cells of summary.html (works on the file as written and on Chromium's --dump-dom). */
export function htmlVerdicts(html: string): Map<string, { status: string; count: number }> {
  const out = new Map<string, { status: string; count: number }>();
  // Attribute values are quoted; a `>` inside a value must not end the tag.
  for (const m of html.matchAll(/<td((?:\s+[\w:-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g)) {
    const attrs = new Map<string, string>();
    for (const a of (m[1] ?? '').matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
      attrs.set((a[1] ?? '').toLowerCase(), unescapeHtml(a[2] ?? a[3] ?? a[4] ?? ''));
    }
    const check = attrs.get('data-check');
    if (check === undefined) continue;
    const k = key(attrs.get('data-student') ?? '', attrs.get('data-node') ?? '', check);
    const prev = out.get(k);
    out.set(k, { status: attrs.get('data-status') ?? '', count: (prev?.count ?? 0) + 1 });
  }
  return out;
}

export function crossCheck(r: RunResults, files: { html: string; csv: string; json: string }): CrossCheckReport {
  const problems: string[] = [];
  const checks = new Map(r.checks.map((c) => [c.id, c]));
  const expected = new Map(r.results.map((res) => [key(res.student, res.node, res.checkId), res]));

  // results.json
  try {
    const j = readResultsJson(files.json);
    const seen = new Set<string>();
    for (const res of j.results) {
      const k = key(res.student, res.node, res.checkId);
      seen.add(k);
      const want = expected.get(k);
      if (!want) {
        problems.push(`json: extra verdict ${k}`);
        continue;
      }
      for (const f of ['status', 'score', 'weight', 'found', 'expected', 'blockedBy'] as const) {
        if (res[f] !== want[f]) problems.push(`json: ${k} ${f} is ${JSON.stringify(res[f])}, run says ${JSON.stringify(want[f])}`);
      }
      if (res.error?.kind !== want.error?.kind || res.error?.message !== want.error?.message) problems.push(`json: ${k} error differs`);
    }
    for (const k of expected.keys()) if (!seen.has(k)) problems.push(`json: missing verdict ${k}`);
    if (j.day !== r.day) problems.push(`json: day ${j.day}, run is day ${r.day}`);
  } catch (e) {
    problems.push(`json: ${(e as Error).message}`);
  }

  // summary.html
  const cells = htmlVerdicts(files.html);
  for (const [k, res] of expected) {
    const cell = cells.get(k);
    if (!cell) problems.push(`html: no cell for ${k}`);
    else if (cell.count !== 1) problems.push(`html: ${cell.count} cells for ${k}`);
    else if (cell.status !== res.status) problems.push(`html: ${k} shows ${cell.status}, run says ${res.status}`);
  }
  for (const [k, cell] of cells) {
    if (!expected.has(k) && cell.status !== 'missing') problems.push(`html: extra cell ${k} (${cell.status})`);
  }

  // grades.csv
  try {
    const [header, ...rows] = parseCsv(files.csv);
    if (!header) throw new Error('empty');
    const col = new Map(header.map((h, i) => [h, i]));
    const byId = new Map<string, string[]>();
    for (const row of rows) {
      const id = row[col.get('id') ?? -1] ?? '';
      if (byId.has(id)) problems.push(`csv: two rows for ${id}`);
      byId.set(id, row);
    }
    const grid = buildGrid(r);
    for (const g of grid.rows) {
      const row = byId.get(g.student.id);
      if (!row) {
        problems.push(`csv: no row for ${g.student.id}`);
        continue;
      }
      const at = (h: string): string | undefined => row[col.get(h) ?? -1];
      if (at('total') !== formatPoints(g.total)) problems.push(`csv: ${g.student.id} total ${at('total')}, run says ${formatPoints(g.total)}`);
      if (at('max') !== formatPoints(g.max)) problems.push(`csv: ${g.student.id} max ${at('max')}, run says ${formatPoints(g.max)}`);
    }
    if (byId.size !== grid.rows.length) problems.push(`csv: ${byId.size} student rows, run has ${grid.rows.length}`);
    for (const [k, res] of expected) {
      const check = checks.get(res.checkId);
      if (!check) continue;
      const colKey = columnKey(check, res.node);
      const row = byId.get(res.student);
      const i = col.get(colKey);
      if (!row || i === undefined) {
        problems.push(`csv: no cell for ${k} (column ${colKey})`);
        continue;
      }
      if (row[i] !== formatPoints(res.score)) problems.push(`csv: ${k} is ${row[i]}, run says ${formatPoints(res.score)}`);
      // Points alone cannot show an error; the status column must name it, by node or by item.
      if (res.status === 'error') {
        const note = row[col.get('status') ?? -1] ?? '';
        if (!note.includes(`${res.node} not graded`) && !note.includes(`${check.scope === 'all' ? colKey : `${colKey}@${res.node}`} error`)) {
          problems.push(`csv: ${k} is an error but the status column does not say so`);
        }
      }
    }
  } catch (e) {
    problems.push(`csv: ${(e as Error).message}`);
  }

  return { ok: problems.length === 0, checked: expected.size, problems };
}
