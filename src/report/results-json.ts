/** results.json: the one machine-readable record of a run (documented in docs/results-schema.md). */
import { z } from 'zod';
import type { CheckMeta, CheckResult, NodeSummary, RunResults, StudentSummary } from '../grade/types.ts';
import { sortRun } from './model.ts';

export const RESULTS_SCHEMA = 'labgrade/results@1';

export class ResultsJsonError extends Error {
  override name = 'ResultsJsonError';
}

// Objects are not strict: a newer @1 writer may add fields (docs/results-schema.md), an older reader drops them.
const text = z.object({ en: z.string(), ko: z.string() });
const problem = z.object({ kind: z.string(), message: z.string() });
const points = z.number().finite().nonnegative();
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO 8601 date');

const checkMeta = z.object({
  id: z.string().min(1),
  day: z.number().int().nonnegative(),
  title: text,
  scope: z.enum(['exercise', 'all', 'control', 'workers', 'cluster']),
  weight: points,
  needs: z.array(z.string()),
});

const checkResult = z.object({
  student: z.string().min(1),
  node: z.string().min(1),
  host: z.string(),
  checkId: z.string().min(1),
  status: z.enum(['pass', 'fail', 'blocked', 'error']),
  weight: points,
  score: points,
  found: z.string().optional(),
  expected: z.string().optional(),
  foundText: text.optional(),
  expectedText: text.optional(),
  hint: text.optional(),
  blockedBy: z.string().optional(),
  error: problem.optional(),
  evidence: z.unknown().optional(),
});

const nodeSummary = z.object({ name: z.string().min(1), host: z.string(), infra: problem.optional() });
const studentSummary = z.object({ id: z.string().min(1), name: z.string().optional(), nodes: z.array(nodeSummary) });

export const runResultsSchema = z
  .object({
    schema: z.literal(RESULTS_SCHEMA),
    day: z.number().int().nonnegative(),
    startedAt: isoDate,
    finishedAt: isoDate,
    shard: z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive() }).optional(),
    checks: z.array(checkMeta),
    students: z.array(studentSummary),
    results: z.array(checkResult),
  })
  .superRefine((r, ctx) => {
    const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    const checks = new Map<string, number>();
    r.checks.forEach((c, i) => {
      if (checks.has(c.id)) issue(['checks', i, 'id'], `duplicate check id ${c.id}`);
      checks.set(c.id, c.weight);
    });
    const nodes = new Map<string, Set<string>>();
    r.students.forEach((s, i) => {
      if (nodes.has(s.id)) issue(['students', i, 'id'], `duplicate student id ${s.id}`);
      nodes.set(s.id, new Set(s.nodes.map((n) => n.name)));
    });
    const seen = new Set<string>();
    r.results.forEach((res, i) => {
      const at = ['results', i];
      const studentNodes = nodes.get(res.student);
      if (!studentNodes) issue([...at, 'student'], `unknown student ${res.student}`);
      else if (!studentNodes.has(res.node)) issue([...at, 'node'], `${res.student} has no node ${res.node}`);
      const weight = checks.get(res.checkId);
      if (weight === undefined) issue([...at, 'checkId'], `unknown check ${res.checkId}`);
      if (res.score > res.weight) issue([...at, 'score'], `score ${res.score} exceeds weight ${res.weight}`);
      const key = `${res.student}\u0000${res.node}\u0000${res.checkId}`;
      if (seen.has(key)) issue(at, `duplicate verdict for ${res.student} ${res.node} ${res.checkId}`);
      seen.add(key);
    });
  });

/** Parse and validate; throws ResultsJsonError naming the first problems (path: message). */
export function readResultsJson(text: string): RunResults {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ResultsJsonError(`results.json is not JSON: ${(e as Error).message}`);
  }
  // Say "wrong version" plainly rather than as one zod issue among many.
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema !== RESULTS_SCHEMA) {
    throw new ResultsJsonError(
      `unsupported results schema ${JSON.stringify(schema)}: this labgrade reads ${RESULTS_SCHEMA}`,
    );
  }
  const parsed = runResultsSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    const more = parsed.error.issues.length > 10 ? `\n  ... ${parsed.error.issues.length - 10} more` : '';
    throw new ResultsJsonError(`invalid results.json:\n  ${lines.join('\n  ')}${more}`);
  }
  return parsed.data;
}

/** Pretty JSON with a fixed key order and canonical array order, so two runs diff line by line. */
export function toResultsJson(r: RunResults): string {
  const s = sortRun(r);
  const doc = {
    schema: s.schema,
    day: s.day,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    shard: s.shard ? { index: s.shard.index, count: s.shard.count } : undefined,
    checks: s.checks.map(orderCheck),
    students: s.students.map(orderStudent),
    results: s.results.map(orderResult),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const orderText = (t: { en: string; ko: string }): { en: string; ko: string } => ({ en: t.en, ko: t.ko });

function orderCheck(c: CheckMeta): CheckMeta {
  return { id: c.id, day: c.day, title: orderText(c.title), scope: c.scope, weight: c.weight, needs: [...c.needs] };
}

function orderNode(n: NodeSummary): NodeSummary {
  return { name: n.name, host: n.host, infra: n.infra && { kind: n.infra.kind, message: n.infra.message } };
}

function orderStudent(s: StudentSummary): StudentSummary {
  return { id: s.id, name: s.name, nodes: s.nodes.map(orderNode) };
}

function orderResult(r: CheckResult): CheckResult {
  return {
    student: r.student,
    node: r.node,
    host: r.host,
    checkId: r.checkId,
    status: r.status,
    weight: r.weight,
    score: r.score,
    found: r.found,
    expected: r.expected,
    foundText: r.foundText && orderText(r.foundText),
    expectedText: r.expectedText && orderText(r.expectedText),
    hint: r.hint && orderText(r.hint),
    blockedBy: r.blockedBy,
    error: r.error && { kind: r.error.kind, message: r.error.message },
    evidence: r.evidence === undefined ? undefined : sortKeys(r.evidence),
  };
}

/** Evidence is free-form; sort its object keys so equal facts print identically. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
