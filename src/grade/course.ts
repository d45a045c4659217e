import type { Probe } from '../probes/types.ts';
import type { CheckMeta, Text } from './types.ts';

/** What a check knows about the node it grades. */
export interface NodeContext {
  student: string;
  node: string;
  /** the node's expected eth1 address with prefix, e.g. 192.168.90.110/24 */
  eth1: string;
  exerciseNode: string;
  kubeYamlDir: string;
  /** the day-2 hostname of each node, e.g. node1 -> control1.example.com */
  hostnames: Record<string, string>;
  /** every node of this student: name -> expected eth1 address */
  eth1ByNode: Record<string, string>;
}

export interface Verdict {
  pass: boolean;
  /** a plain string (values, shown as is in every language) or {en, ko} */
  found: string | Text;
  expected: string | Text;
  hint?: Text;
}

type ProbeMap = Record<string, Probe<unknown>>;
export type Facts<P extends ProbeMap> = { [K in keyof P]: P[K] extends Probe<infer T> ? T : never };

export interface CheckDef<P extends ProbeMap = ProbeMap> {
  id: string;
  title: Text;
  /** 'exercise': only on the day-1 exercise node; 'all': on every node */
  scope: 'exercise' | 'all';
  /** checks that must pass first; when one fails this one is BLOCKED */
  needs?: string[];
  weight?: number;
  probes: (ctx: NodeContext) => P;
  verdict: (facts: Facts<P>, ctx: NodeContext) => Verdict;
}

export interface Day {
  day: number;
  checks: CheckDef[];
}

/** Typed constructor: infers the facts' types from the probes. */
export function check<P extends ProbeMap>(def: CheckDef<P>): CheckDef {
  return def as unknown as CheckDef;
}

export function checkMeta(day: number, c: CheckDef, weights: Record<string, number> = {}): CheckMeta {
  return { id: c.id, day, title: c.title, scope: c.scope, weight: weights[c.id] ?? c.weight ?? 1, needs: c.needs ?? [] };
}

export function appliesTo(c: CheckDef, node: string, exerciseNode: string): boolean {
  return c.scope === 'all' || node === exerciseNode;
}

/** Shows a value the way a student would recognise it in a file: JSON for lists and strings. */
export function show(v: unknown): string {
  if (v === undefined) return '(nothing)';
  return JSON.stringify(v);
}
