/**
 * The class grid every format renders: one column per grade item, one row per student.
 * Kept in one place so html, csv, md and the cross-check cannot disagree on what a column is.
 */
import { perNode, type CheckMeta, type CheckResult, type NodeSummary, type RunResults, type Status, type StudentSummary } from '../grade/types.ts';

/** 'missing' = no verdict at all for an applicable item (the grader dropped it); never written by checks */
export type CellStatus = Status | 'missing';

export interface Column {
  /** `d1.pod` for a check on one node of a student (exercise, control, cluster), `d1.eth1@node2` for one on several (all, workers) */
  key: string;
  check: CheckMeta;
  /** set only for the per-node scopes ('all', 'workers') */
  node?: string;
}

export interface Cell {
  column: Column;
  status: CellStatus;
  result?: CheckResult;
  score: number;
  weight: number;
}

export interface Row {
  student: StudentSummary;
  /** by column key; absent = the item does not apply to this student (e.g. no node3 in the roster) */
  cells: Map<string, Cell>;
  total: number;
  max: number;
  /** per node; an exercise check counts on the node it ran on */
  byNode: Map<string, { score: number; max: number }>;
  infra: NodeSummary[];
}

export interface Grid {
  columns: Column[];
  rows: Row[];
  /** every node name seen, natural order */
  nodes: string[];
}

const collator = new Intl.Collator('en', { numeric: true });
/** Natural order, fixed locale so output does not depend on the machine (s9 < s10, node2 < node10). */
export const naturalCompare = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

export function columnKey(check: CheckMeta, node: string): string {
  return perNode(check.scope) ? `${check.id}@${node}` : check.id;
}

/** Canonical order: students by id, their nodes by name, results by student, node, check order. */
export function sortRun(r: RunResults): RunResults {
  const checkIndex = new Map(r.checks.map((c, i) => [c.id, i]));
  const idx = (id: string): number => checkIndex.get(id) ?? Number.MAX_SAFE_INTEGER;
  const students = [...r.students]
    .sort((a, b) => naturalCompare(a.id, b.id))
    .map((s) => ({ ...s, nodes: [...s.nodes].sort((a, b) => naturalCompare(a.name, b.name)) }));
  const results = [...r.results].sort(
    (a, b) =>
      naturalCompare(a.student, b.student) ||
      naturalCompare(a.node, b.node) ||
      idx(a.checkId) - idx(b.checkId) ||
      naturalCompare(a.checkId, b.checkId),
  );
  return { ...r, students, results };
}

export function buildGrid(r: RunResults): Grid {
  const checks = new Map(r.checks.map((c) => [c.id, c]));
  const nodeSet = new Set<string>();
  for (const s of r.students) for (const n of s.nodes) nodeSet.add(n.name);
  for (const res of r.results) nodeSet.add(res.node);
  const nodes = [...nodeSet].sort(naturalCompare);

  const columns: Column[] = [];
  for (const check of r.checks) {
    if (check.scope === 'all') for (const node of nodes) columns.push({ key: columnKey(check, node), check, node });
    else if (check.scope === 'workers') {
      // which nodes are workers is the roster's to say: the nodes that got a verdict for it
      const on = new Set(r.results.filter((x) => x.checkId === check.id).map((x) => x.node));
      for (const node of nodes.filter((n) => on.has(n))) columns.push({ key: columnKey(check, node), check, node });
    } else columns.push({ key: check.id, check });
  }
  const colByKey = new Map(columns.map((c) => [c.key, c]));

  const byStudent = new Map<string, CheckResult[]>();
  for (const res of r.results) {
    if (!checks.has(res.checkId)) throw new Error(`result for unknown check ${res.checkId} (${res.student} ${res.node})`);
    const list = byStudent.get(res.student);
    if (list) list.push(res);
    else byStudent.set(res.student, [res]);
  }
  const known = new Set(r.students.map((s) => s.id));
  for (const id of byStudent.keys()) if (!known.has(id)) throw new Error(`results for student ${id}, who is not in students[]`);

  const students = [...r.students].sort((a, b) => naturalCompare(a.id, b.id));
  const rows = students.map((student): Row => {
    const cells = new Map<string, Cell>();
    const byNode = new Map<string, { score: number; max: number }>();
    const studentNodes = [...student.nodes].map((n) => n.name).sort(naturalCompare);
    for (const n of studentNodes) byNode.set(n, { score: 0, max: 0 });
    const addNode = (node: string, score: number, weight: number): void => {
      const agg = byNode.get(node) ?? { score: 0, max: 0 };
      agg.score += score;
      agg.max += weight;
      byNode.set(node, agg);
    };
    for (const res of byStudent.get(student.id) ?? []) {
      const check = checks.get(res.checkId) as CheckMeta;
      const column = colByKey.get(columnKey(check, res.node)) as Column;
      if (cells.has(column.key)) {
        throw new Error(`two verdicts for ${student.id} ${column.key} (nodes ${cells.get(column.key)?.result?.node}, ${res.node})`);
      }
      cells.set(column.key, { column, status: res.status, result: res, score: res.score, weight: check.weight });
      addNode(res.node, res.score, check.weight);
    }
    // Items that apply but got no verdict still count toward max: a dropped verdict must not raise a percent.
    for (const column of columns) {
      if (cells.has(column.key)) continue;
      if (column.node !== undefined && !studentNodes.includes(column.node)) continue;
      cells.set(column.key, { column, status: 'missing', score: 0, weight: column.check.weight });
      if (column.node !== undefined) addNode(column.node, 0, column.check.weight);
    }
    let total = 0;
    let max = 0;
    for (const c of cells.values()) {
      total += c.score;
      max += c.weight;
    }
    return { student, cells, total, max, byNode, infra: student.nodes.filter((n) => n.infra) };
  });
  return { columns, rows, nodes };
}

/** Percent with one decimal, or undefined when nothing could be earned. */
export function percent(total: number, max: number): number | undefined {
  return max > 0 ? Math.round((total / max) * 1000) / 10 : undefined;
}

/** Numbers as a gradebook wants them: no exponent, no trailing zeros, '.' decimal point. */
export function formatPoints(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** The node a student's infra problem makes every verdict an error on, if any. */
export function infraFor(row: Row, node: string | undefined): NodeSummary | undefined {
  return node === undefined ? undefined : row.infra.find((n) => n.name === node);
}
