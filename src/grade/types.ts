/** The grading model shared by the checks, the Vitest reporter and every report format. */

export type Lang = 'en' | 'ko';
export type Text = Record<Lang, string>;

/** pass; fail (student's work is wrong or missing); blocked (a prerequisite check failed); error (infrastructure) */
export type Status = 'pass' | 'fail' | 'blocked' | 'error';

export interface CheckMeta {
  id: string; // e.g. "d1.pod"
  day: number;
  title: Text;
  /** the node(s) this check runs on: the day-1 exercise node, or every node */
  scope: 'exercise' | 'all';
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
