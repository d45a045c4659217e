/** The grading model shared by the checks, the Vitest reporter and every report format. */

export type Lang = 'en' | 'ko';
export type Text = Record<Lang, string>;

/** pass; fail (student's work is wrong or missing); blocked (a prerequisite check failed); error (infrastructure) */
export type Status = 'pass' | 'fail' | 'blocked' | 'error';

/**
 * Where a check runs: 'exercise' the day-1 exercise node; 'all' every node; 'control' the control node
 * (control1); 'workers' every node but the control node; 'cluster' once per student, read through the
 * control node (the cluster's API), one grade item per student whatever the number of nodes.
 */
export type Scope = 'exercise' | 'all' | 'control' | 'workers' | 'cluster';
export const SCOPES: readonly Scope[] = ['exercise', 'all', 'control', 'workers', 'cluster'];

/** Scopes graded on more than one node of a student: one grade item (column) per node. */
export function perNode(scope: Scope): boolean {
  return scope === 'all' || scope === 'workers';
}

export interface CheckMeta {
  id: string; // e.g. "d1.pod"
  day: number;
  title: Text;
  /** where this check runs (see Scope) */
  scope: Scope;
  weight: number;
  /** ids of checks that must pass first */
  needs: string[];
}

export interface CheckResult {
  student: string;
  node: string; // node1 | node2 | node3 (the roster's node name)
  host: string; // what was connected to, e.g. 127.77.1.1:22
  checkId: string;
  status: Status;
  weight: number;
  /** weight when passed, else 0 */
  score: number;
  /** English (or language-neutral) text; the student's language is in foundText/expectedText, or see localize() */
  found?: string;
  expected?: string;
  /** set when the check wrote found/expected in both languages ({en, ko}); absent for plain strings */
  foundText?: Text;
  expectedText?: Text;
  hint?: Text;
  /** the failed prerequisite, when status is blocked */
  blockedBy?: string;
  /** when status is error */
  error?: { kind: string; message: string };
  /** raw facts the verdict was made from (parsed probe output), for results.json */
  evidence?: unknown;
}

export interface NodeSummary {
  name: string;
  host: string;
  /** set when the node could not be graded at all */
  infra?: { kind: string; message: string };
}

export interface StudentSummary {
  id: string;
  name?: string;
  nodes: NodeSummary[];
}

/** results.json (documented in docs/results-schema.md) */
export interface RunResults {
  schema: 'labgrade/results@1';
  day: number;
  startedAt: string; // ISO 8601
  finishedAt: string;
  /** present when this is one slice of a sharded run, absent once merged */
  shard?: { index: number; count: number };
  checks: CheckMeta[];
  students: StudentSummary[];
  results: CheckResult[];
}
