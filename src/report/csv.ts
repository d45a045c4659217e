/**
 * grades.csv for a gradebook import (Moodle "Import grades > CSV file", or a spreadsheet).
 * Column decisions are documented in docs/results-schema.md ("grades.csv").
 */
import type { RunResults } from '../grade/types.ts';
import { buildGrid, formatPoints, percent, type Row } from './model.ts';
import { oneLine } from './text.ts';

/** UTF-8 BOM: Excel needs it to read Korean names as UTF-8; Moodle's csv_import_reader strips it. */
export const BOM = '\uFEFF';

export const FIXED_LEADING = ['id', 'name'] as const;
export const FIXED_TRAILING = ['total', 'max', 'percent', 'status'] as const;

export function toGradesCsv(r: RunResults): string {
  const grid = buildGrid(r);
  const header = [...FIXED_LEADING, ...grid.columns.map((c) => c.key), ...FIXED_TRAILING];
  const lines = [header];
  for (const row of grid.rows) {
    const cells = grid.columns.map((c) => {
      const cell = row.cells.get(c.key);
      // Empty = the item does not apply to this student; blocked, error and missing earn 0 (see status).
      return cell ? formatPoints(cell.score) : '';
    });
    const pct = percent(row.total, row.max);
    lines.push([
      row.student.id,
      defuse(row.student.name ?? ''),
      ...cells,
      formatPoints(row.total),
      formatPoints(row.max),
      pct === undefined ? '' : String(pct),
      defuse(statusNote(row)),
    ]);
  }
  // Every cell, whatever its source (roster ids and names, node text in the status, check ids): defused.
  return BOM + lines.map((l) => l.map((c) => quote(defuse(c))).join(',')).join('\r\n') + '\r\n';
}

/**
 * Why points are 0 for reasons that are not the student's fault, e.g.
 * `node2 not graded (ssh-timeout: connect timed out); d1.pod@node1 error (probe: ...)`. Empty when nothing to say.
 */
export function statusNote(row: Row): string {
  const notes: string[] = [];
  for (const n of row.infra) {
    notes.push(`${n.name} not graded (${oneLine(n.infra?.kind ?? 'infra', 40)}: ${oneLine(n.infra?.message ?? '', 120)})`);
  }
  const infraNodes = new Set(row.infra.map((n) => n.name));
  for (const cell of row.cells.values()) {
    const node = cell.result?.node ?? cell.column.node;
    if (node !== undefined && infraNodes.has(node)) continue;
    if (cell.status === 'error') {
      const e = cell.result?.error;
      notes.push(`${cell.column.key}${cell.column.node ? '' : `@${node}`} error (${oneLine(e?.kind ?? 'error', 40)}: ${oneLine(e?.message ?? '', 120)})`);
    } else if (cell.status === 'missing') {
      notes.push(`${cell.column.key} not graded`);
    }
  }
  return notes.join('; ');
}

/** RFC 4180: quote when needed, double inner quotes. */
function quote(field: string): string {
  return /[",\r\n]/.test(field) || field !== field.trim() ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Spreadsheet formula injection: a text cell starting with = + - @ (or tab/CR) is run as a formula by Excel. */
function defuse(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** RFC 4180 reader (also accepts LF line ends and a leading BOM). Used by tests and crossCheck. */
export function parseCsv(text: string): string[][] {
  const s = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < s.length) {
    const c = s[i] as string;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && s[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
