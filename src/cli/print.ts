import { failureMessage } from '../grade/messages.ts';
import { perNode, type CheckResult, type Lang, type RunResults } from '../grade/types.ts';

const MARK: Record<CheckResult['status'], string> = { pass: 'ok', fail: 'FAIL', blocked: 'BLOCKED', error: 'ERROR' };

function sum(rows: CheckResult[], f: (r: CheckResult) => number): number {
  return rows.reduce((a, r) => a + f(r), 0);
}

const MAX_LISTED = 6;

/** The instructor's view: one line per student, then infrastructure problems once per node. */
export function classSummary(r: RunResults, seconds: number): string {
  const lines: string[] = [];
  const nodes = r.students.reduce((a, s) => a + s.nodes.length, 0);
  lines.push(`day ${r.day}: ${r.students.length} students, ${nodes} nodes, ${r.checks.length} checks, ${seconds.toFixed(1)} s`);
  const idW = Math.max(7, ...r.students.map((s) => s.id.length));
  for (const s of r.students) {
    const rows = r.results.filter((x) => x.student === s.id);
    const score = `${sum(rows, (x) => x.score)}/${sum(rows, (x) => x.weight)}`;
    // one entry per check with the nodes it failed on; a long list is cut (the reports have it all)
    const failedOn = new Map<string, string[]>();
    for (const x of rows.filter((y) => y.status === 'fail')) failedOn.set(x.checkId, [...(failedOn.get(x.checkId) ?? []), x.node]);
    // a check on one node of a student (cluster, control, exercise) is named alone: it is one item
    const oneNode = new Set(r.checks.filter((c) => !perNode(c.scope)).map((c) => c.id));
    const groups = [...failedOn].map(([id, ns]) => (oneNode.has(id) ? id : `${id}@${ns.join(',')}`));
    const bad = groups.length > MAX_LISTED ? [...groups.slice(0, MAX_LISTED - 1), `+${groups.length - MAX_LISTED + 1} more`] : groups;
    const blocked = rows.filter((x) => x.status === 'blocked').length;
    const infra = s.nodes.filter((n) => n.infra).map((n) => `${n.name} ${n.infra!.kind.toUpperCase()}`);
    const other = rows.filter((x) => x.status === 'error' && !s.nodes.find((n) => n.name === x.node)?.infra).length;
    const parts = [
      bad.length ? `failed: ${bad.join(' ')}` : '',
      blocked ? `${blocked} blocked` : '',
      infra.length ? `not graded: ${infra.join(', ')}` : '',
      other ? `${other} checks could not be graded` : '',
    ].filter(Boolean);
    lines.push(`  ${s.id.padEnd(idW)}  ${score.padStart(7)}  ${parts.join('; ') || 'all passed'}`);
  }
  const problems = r.students.flatMap((s) => s.nodes.filter((n) => n.infra).map((n) => `  ${s.id}/${n.name} (${n.host}): ${n.infra!.kind}: ${n.infra!.message}`));
  if (problems.length) lines.push('infrastructure (not the students\' doing):', ...problems);
  return lines.join('\n');
}

/** The student's view: every check, and for the ones not passed what was found and what to do. */
export function nodeReport(r: RunResults, lang: Lang): string {
  const lines: string[] = [];
  const titles = new Map(r.checks.map((c) => [c.id, c.title[lang]]));
  for (const s of r.students) {
    for (const n of s.nodes) {
      const rows = r.results.filter((x) => x.student === s.id && x.node === n.name);
      lines.push(`${n.name} (${n.host}) day ${r.day}: ${sum(rows, (x) => x.score)}/${sum(rows, (x) => x.weight)}`);
      if (n.infra) lines.push(`  ${n.infra.kind}: ${n.infra.message}`);
      for (const x of rows) {
        lines.push(`  [${MARK[x.status].padEnd(7)}] ${x.checkId}  ${titles.get(x.checkId) ?? ''}`);
        if (x.status !== 'pass' && !n.infra) lines.push(...failureMessage(x, lang).split('\n').map((l) => `            ${l}`));
      }
    }
  }
  return lines.join('\n');
}

export function allPassed(r: RunResults | undefined): boolean {
  return Boolean(r && r.results.length && r.results.every((x) => x.status === 'pass'));
}
