import type { Probe } from '../probes/types.ts';
import type { CheckMeta, Scope, Text } from './types.ts';

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
  /** the roster node that is the cluster's control plane (node1 by default: control1) */
  controlNode: string;
  /** the API server's address as the nodes reach it, e.g. 192.168.90.110:6443 */
  apiServer: string;
}

/** The roster node names of this student's workers: every node but the control node, in roster order. */
export function workersOf(ctx: NodeContext): string[] {
  return Object.keys(ctx.eth1ByNode).filter((n) => n !== ctx.controlNode);
}

/** A node's Kubernetes node name (its day-2 hostname, e.g. worker1.example.com). */
export function k8sName(ctx: NodeContext, node: string = ctx.node): string {
  return ctx.hostnames[node] ?? node;
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
  /** where it runs: see Scope in types.ts */
  scope: Scope;
  /** checks that must pass first (this day's, or a `prerequisites` check of an earlier day); when one fails this one is BLOCKED */
  needs?: string[];
  weight?: number;
  probes: (ctx: NodeContext) => P;
  verdict: (facts: Facts<P>, ctx: NodeContext) => Verdict;
}

export interface Day {
  day: number;
  checks: CheckDef[];
  /**
   * Earlier days' checks this day's `needs` name (d3.kubelet needs d2.k8s-packages): graded from the
   * node itself, in the same gathering, never reported as this day's items, never read from an old report.
   */
  prerequisites?: CheckDef[];
}

/** Typed constructor: infers the facts' types from the probes. */
export function check<P extends ProbeMap>(def: CheckDef<P>): CheckDef {
  return def as unknown as CheckDef;
}

export function checkMeta(day: number, c: CheckDef, weights: Record<string, number> = {}): CheckMeta {
  return { id: c.id, day, title: c.title, scope: c.scope, weight: weights[c.id] ?? c.weight ?? 1, needs: c.needs ?? [] };
}

/** Whether check `c` runs on `node`; the third argument is the exercise node, or the node's whole context. */
export function appliesTo(c: CheckDef, node: string, where: string | Pick<NodeContext, 'exerciseNode' | 'controlNode'>): boolean {
  const exerciseNode = typeof where === 'string' ? where : where.exerciseNode;
  const controlNode = typeof where === 'string' ? DEFAULT_CONTROL_NODE : where.controlNode;
  switch (c.scope) {
    case 'all':
      return true;
    case 'exercise':
      return node === exerciseNode;
    case 'control':
    case 'cluster':
      return node === controlNode;
    case 'workers':
      return node !== controlNode;
  }
}

/** The course's control node (outcomes.md: node1 becomes control1.example.com). */
export const DEFAULT_CONTROL_NODE = 'node1';

/** Shows a value the way a student would recognise it in a file: JSON for lists and strings. */
export function show(v: unknown): string {
  if (v === undefined) return '(nothing)';
  return JSON.stringify(v);
}
