import type { Probe } from '../probes/types.ts';
import { InfraError, type Transport } from '../transport/types.ts';
import { boundEvidence, clipText } from './bound.ts';
import { appliesTo, checkMeta, type CheckDef, type Day, type NodeContext } from './course.ts';
import { gather, type GatherOptions, type ProbeOutcome } from './gather.ts';
import type { CheckResult, NodeSummary } from './types.ts';

export interface NodeGrade {
  summary: NodeSummary;
  results: CheckResult[];
}

/** Grades one node: one connection, every probe of every applicable check, verdicts in check order. */
export async function gradeNode(
  transport: Transport,
  day: Day,
  ctx: NodeContext,
  host: string,
  weights: Record<string, number> = {},
  gatherOptions: GatherOptions = {},
): Promise<NodeGrade> {
  const checks = day.checks.filter((c) => appliesTo(c, ctx.node, ctx));
  const prereqs = prerequisitesFor(day, checks, ctx);
  const probesOf = new Map<string, Record<string, Probe<unknown>>>([...prereqs, ...checks].map((c) => [c.id, c.probes(ctx)]));
  const base = (c: CheckDef) => {
    const weight = checkMeta(day.day, c, weights).weight;
    return { student: ctx.student, node: ctx.node, host, checkId: c.id, weight, score: 0 };
  };

  let outcomes: Map<string, ProbeOutcome>;
  try {
    await transport.connect();
    outcomes = await gather(transport, [...probesOf.values()].flatMap((m) => Object.values(m)), gatherOptions);
  } catch (err) {
    const infra = err instanceof InfraError ? err : new InfraError('protocol', (err as Error).message);
    const error = { kind: infra.kind, message: clipText(infra.message) };
    return {
      summary: { name: ctx.node, host, infra: error },
      results: checks.map((c) => ({ ...base(c), status: 'error', error })),
    };
  } finally {
    await transport.close().catch(() => undefined);
  }

  // Every command hung or flooded the same way: that is the node's problem, reported once for it.
  const failures = [...outcomes.values()];
  const first = failures[0];
  if (first && !first.ok && first.kind !== 'parse' && failures.every((o) => !o.ok && o.kind === first.kind)) {
    const error = { kind: first.kind, message: clipText(first.message) };
    return { summary: { name: ctx.node, host, infra: error }, results: checks.map((c) => ({ ...base(c), status: 'error', error })) };
  }

  const byId = new Map<string, CheckResult>();
  // Earlier days' checks: graded here only to say what a check is BLOCKED by, never reported.
  const prior = new Map<string, CheckResult>();
  for (const c of prereqs) prior.set(c.id, evaluateCheck(c, probesOf.get(c.id) ?? {}, outcomes, ctx, prior, base(c)));
  for (const c of checks) {
    const earlier = prior.size ? new Map([...prior, ...byId]) : byId;
    byId.set(c.id, evaluateCheck(c, probesOf.get(c.id) ?? {}, outcomes, ctx, earlier, base(c)));
  }
  return { summary: { name: ctx.node, host }, results: [...byId.values()] };
}

/** The earlier days' checks that this node's checks need, directly or through one another, in day order. */
export function prerequisitesFor(day: Day, checks: readonly CheckDef[], ctx: NodeContext): CheckDef[] {
  const pool = new Map((day.prerequisites ?? []).filter((c) => appliesTo(c, ctx.node, ctx)).map((c) => [c.id, c]));
  const want = new Set<string>();
  const visit = (ids: readonly string[]): void => {
    for (const id of ids) {
      const c = pool.get(id);
      if (!c || want.has(id)) continue;
      want.add(id);
      visit(c.needs ?? []);
    }
  };
  visit(checks.flatMap((c) => c.needs ?? []));
  return [...pool.values()].filter((c) => want.has(c.id));
}

function evaluateCheck(
  c: CheckDef,
  probes: Record<string, Probe<unknown>>,
  outcomes: Map<string, ProbeOutcome>,
  ctx: NodeContext,
  earlier: Map<string, CheckResult>,
  base: Omit<CheckResult, 'status'>,
): CheckResult {
  for (const need of c.needs ?? []) {
    const prior = earlier.get(need);
    if (!prior || prior.status === 'pass') continue;
    if (prior.status === 'error') {
      const why = prior.error ? ` (${prior.error.kind}: ${prior.error.message})` : '';
      return { ...base, status: 'error', error: { kind: prior.error?.kind ?? 'prerequisite', message: `${need} could not be graded${why}` } };
    }
    // The root cause is the first failed check up the chain, not an intermediate BLOCKED one.
    const root = prior.status === 'blocked' && prior.blockedBy ? prior.blockedBy : need;
    return { ...base, status: 'blocked', blockedBy: root, found: `${root} failed`, expected: `${root} to pass first` };
  }
  const facts: Record<string, unknown> = {};
  const cuts: string[] = [];
  for (const [name, probe] of Object.entries(probes)) {
    const o = outcomes.get(probe.key);
    if (!o) return { ...base, status: 'error', error: { kind: 'protocol', message: `probe ${probe.key} did not run` } };
    // What the student wrote (a file, or a tool they replaced) and no reader can make sense of is their
    // failure, not the grader's: otherwise breaking a file on purpose would turn a FAIL into an ERROR.
    if (!o.ok && o.kind === 'parse') {
      return { ...base, status: 'fail', found: clipText(`unreadable: ${o.message}`), expected: 'content the real tool can read' };
    }
    if (!o.ok) return { ...base, status: 'error', error: { kind: o.kind, message: clipText(o.message) } };
    facts[name] = o.value;
    for (const cut of o.cuts ?? []) cuts.push(`${name}.${cut}`);
  }
  try {
    const v = c.verdict(facts as never, ctx);
    return {
      ...base,
      status: v.pass ? 'pass' : 'fail',
      score: v.pass ? base.weight : 0,
      found: clipText(typeof v.found === 'string' ? v.found : v.found.en),
      expected: clipText(typeof v.expected === 'string' ? v.expected : v.expected.en),
      ...(typeof v.found === 'string' ? {} : { foundText: { en: clipText(v.found.en), ko: clipText(v.found.ko) } }),
      ...(typeof v.expected === 'string' ? {} : { expectedText: { en: clipText(v.expected.en), ko: clipText(v.expected.ko) } }),
      ...(v.pass || !v.hint ? {} : { hint: v.hint }),
      evidence: boundEvidence(facts, cuts),
    };
  } catch (err) {
    return { ...base, status: 'error', error: { kind: 'grader', message: clipText(`verdict of ${c.id} threw: ${(err as Error).message}`) } };
  }
}
