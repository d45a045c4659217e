/**
 * The class, graded again and again while the server runs: on a schedule and on demand, never two runs
 * of one node at once, at most `concurrency` nodes being graded across every run. Each run is graded by
 * the direct engine and written by the same code as `labgrade grade` (writeAll: reports/dayN + history).
 */
import { EventEmitter } from 'node:events';
import { appliesTo, checkMeta, type Day } from '../grade/course.ts';
import { gradeDirect, loadDay } from '../grade/direct.ts';
import { loadPlanFromEnv, type Plan, type PlanNode } from '../grade/plan.ts';
import type { CheckMeta, CheckResult, NodeSummary, RunResults } from '../grade/types.ts';
import { buildGrid } from '../report/model.ts';
import { writeAll } from '../report/vitest-reporter.ts';
import type { Transport } from '../transport/types.ts';

export interface GraderOptions {
  day: number;
  specPath: string;
  rosterPath: string;
  reportsDir: string;
  /** node gradings in flight at once, over every run */
  concurrency: number;
  strictHostKeys?: boolean;
  commandTimeoutS?: number;
  connectTimeoutS?: number;
  /** requests arriving within this window are graded as one run (one report set, one history file) */
  coalesceMs?: number;
  log?: (line: string) => void;
}

export interface Snapshot {
  at: string;
  /** per check id: students passing it on every node it applies to, out of students graded */
  counts: Record<string, { pass: number; total: number }>;
}

interface NodeState {
  summary: NodeSummary;
  results: CheckResult[];
  startedAt: string;
  finishedAt: string;
}

/** A counting semaphore that also records the most permits ever held at once (the load test reads it). */
export class Gate {
  active = 0;
  maxActive = 0;
  private waiting: (() => void)[] = [];
  constructor(readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
  }
  release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

/** The transport holds a permit from connect() to close(): gradeNode always closes, even on errors. */
function gated(t: Transport, gate: Gate): Transport {
  let held = false;
  return {
    label: t.label,
    async connect() {
      if (!held) {
        await gate.acquire();
        held = true;
      }
      await t.connect();
    },
    run: (command, opts) => t.run(command, opts),
    async close() {
      try {
        await t.close();
      } finally {
        if (held) {
          held = false;
          gate.release();
        }
      }
    },
  };
}

export const nodeKey = (student: string, node: string): string => `${student}/${node}`;

interface Waiter {
  keys: Set<string>;
  resolve: () => void;
}

export class ClassGrader extends EventEmitter {
  readonly plan: Plan;
  readonly gate: Gate;
  readonly checks: CheckMeta[];
  readonly series: Snapshot[] = [];
  /** per student: when their score last went up (or was first seen) */
  readonly lastProgress = new Map<string, { at: number; score: number }>();
  runs = 0;
  failedRuns = 0;
  private readonly nodes = new Map<string, NodeState>();
  private readonly pending = new Set<string>();
  private readonly running = new Set<string>();
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private coalesce: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private writing = 0;

  private constructor(
    private readonly day: Day,
    private readonly opts: GraderOptions,
    plan: Plan,
  ) {
    super();
    this.plan = plan;
    this.gate = new Gate(opts.concurrency);
    this.checks = day.checks
      .filter((c) => plan.nodes.some((n) => appliesTo(c, n.node, n.ctx.exerciseNode)))
      .map((c) => checkMeta(day.day, c, plan.weights));
  }

  static async create(opts: GraderOptions): Promise<ClassGrader> {
    const env: NodeJS.ProcessEnv = {
      LABGRADE_ROSTER: opts.rosterPath,
      LABGRADE_CONCURRENCY: String(opts.concurrency),
      ...(opts.strictHostKeys ? { LABGRADE_STRICT_HOST_KEYS: '1' } : {}),
      ...(opts.commandTimeoutS ? { LABGRADE_COMMAND_TIMEOUT: String(opts.commandTimeoutS) } : {}),
      ...(opts.connectTimeoutS ? { LABGRADE_CONNECT_TIMEOUT: String(opts.connectTimeoutS) } : {}),
    };
    return new ClassGrader(await loadDay(opts.specPath), opts, loadPlanFromEnv(env));
  }

  get dayNumber(): number {
    return this.day.day;
  }

  studentIds(): string[] {
    return this.plan.students.map((s) => s.id);
  }

  nodesOf(student: string): PlanNode[] {
    return this.plan.nodes.filter((n) => n.student === student);
  }

  isRunning(student: string): boolean {
    return this.nodesOf(student).some((n) => this.running.has(nodeKey(n.student, n.node)) || this.pending.has(nodeKey(n.student, n.node)));
  }

  /** Grades every node every `ms` (the first run at once). */
  schedule(ms: number): void {
    const tick = () => {
      void this.request(this.plan.nodes.map((n) => nodeKey(n.student, n.node))).catch(() => undefined);
    };
    tick();
    this.timer = setInterval(tick, ms);
    this.timer.unref();
  }

  /**
   * Asks for fresh grades of these nodes; resolves once each of them was graded by a run that started
   * after this call. A node being graded now is graded once more afterwards (its run may predate the change).
   */
  request(keys: string[]): Promise<void> {
    if (this.stopping) return Promise.reject(new Error('the server is stopping'));
    const known = new Set(this.plan.nodes.map((n) => nodeKey(n.student, n.node)));
    const want = keys.filter((k) => known.has(k));
    if (!want.length) return Promise.resolve();
    for (const k of want) this.pending.add(k);
    const p = new Promise<void>((resolve) => this.waiters.push({ keys: new Set(want), resolve }));
    this.emit('busy', this.studentsOf(want));
    this.coalesce ??= setTimeout(() => {
      this.coalesce = undefined;
      this.pump();
    }, this.opts.coalesceMs ?? 150);
    return p;
  }

  private studentsOf(keys: Iterable<string>): Set<string> {
    return new Set([...keys].map((k) => k.slice(0, k.lastIndexOf('/'))));
  }

  private pump(): void {
    if (this.stopping) return;
    const batch = [...this.pending].filter((k) => !this.running.has(k));
    if (!batch.length) return;
    for (const k of batch) {
      this.pending.delete(k);
      this.running.add(k);
    }
    const p = this.runBatch(new Set(batch)).finally(() => {
      this.inFlight.delete(p);
      for (const k of batch) this.running.delete(k);
      for (const w of this.waiters) for (const k of batch) if (!this.pending.has(k)) w.keys.delete(k);
      const done = this.waiters.filter((w) => w.keys.size === 0);
      this.waiters = this.waiters.filter((w) => w.keys.size > 0);
      for (const w of done) w.resolve();
      this.emit('idle', this.studentsOf(batch));
      if (this.pending.size) this.pump();
    });
    this.inFlight.add(p);
  }

  private async runBatch(keys: Set<string>): Promise<void> {
    const nodes = this.plan.nodes.filter((n) => keys.has(nodeKey(n.student, n.node))).map((n) => ({ ...n, open: () => gated(n.open(), this.gate) }));
    const ids = new Set(nodes.map((n) => n.student));
    const sub: Plan = { ...this.plan, nodes, students: this.plan.students.filter((s) => ids.has(s.id)) };
    try {
      const results = await gradeDirect(this.day, sub);
      this.runs++;
      if (this.stopping && this.cancelled) return;
      this.writing++;
      try {
        // exactly what `labgrade grade --student ... --node ...` writes for these nodes
        await writeAll(results, this.opts.reportsDir);
      } finally {
        this.writing--;
      }
      this.absorb(results);
      this.emit('update', ids);
    } catch (err) {
      // A grading error must not take the server down: log it, keep the last good state, go on.
      this.failedRuns++;
      this.opts.log?.(`grading run failed: ${(err as Error)?.message ?? String(err)}`);
      this.emit('update', ids);
    }
  }

  private absorb(r: RunResults): void {
    for (const s of r.students) {
      for (const n of s.nodes) {
        this.nodes.set(nodeKey(s.id, n.name), {
          summary: n,
          results: r.results.filter((x) => x.student === s.id && x.node === n.name),
          startedAt: r.startedAt,
          finishedAt: r.finishedAt,
        });
      }
    }
    const now = Date.now();
    const grid = buildGrid(this.current());
    for (const row of grid.rows) {
      const prev = this.lastProgress.get(row.student.id);
      if (!prev || row.total > prev.score) this.lastProgress.set(row.student.id, { at: now, score: row.total });
      else prev.score = row.total;
    }
    const counts: Snapshot['counts'] = {};
    for (const c of this.checks) counts[c.id] = { pass: 0, total: 0 };
    for (const row of grid.rows) {
      for (const c of this.checks) {
        const cells = [...row.cells.values()].filter((x) => x.column.check.id === c.id);
        if (!cells.length) continue;
        counts[c.id]!.total++;
        if (cells.every((x) => x.status === 'pass')) counts[c.id]!.pass++;
      }
    }
    this.series.push({ at: new Date(now).toISOString(), counts });
    if (this.series.length > 500) this.series.shift();
  }

  /** Everything graded so far, as one run: the latest verdicts of each node. */
  current(student?: string): RunResults {
    const states = [...this.nodes.entries()].filter(([k]) => !student || k.startsWith(`${student}/`)).map(([, v]) => v);
    const students = this.plan.students
      .filter((s) => !student || s.id === student)
      .map((s) => ({
        ...s,
        nodes: this.nodesOf(s.id)
          .map((n) => this.nodes.get(nodeKey(s.id, n.node))?.summary)
          .filter((x): x is NodeSummary => Boolean(x)),
      }))
      .filter((s) => s.nodes.length > 0);
    const times = (f: 'startedAt' | 'finishedAt') => states.map((s) => s[f]).sort();
    const now = new Date().toISOString();
    return {
      schema: 'labgrade/results@1',
      day: this.day.day,
      startedAt: times('startedAt')[0] ?? now,
      finishedAt: times('finishedAt').at(-1) ?? now,
      checks: this.checks,
      students,
      results: states.flatMap((s) => s.results),
    };
  }

  private cancelled = false;

  /**
   * Stops: no new runs; waits up to `graceMs` for running ones to finish and write. A run still grading
   * after that is cancelled (its results are dropped, nothing of it is written); a report being written is
   * always finished, and every file is written whole (write then rename).
   */
  async stop(graceMs: number): Promise<{ finished: boolean }> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.coalesce) clearTimeout(this.coalesce);
    const all = Promise.all([...this.inFlight]).then(() => true);
    const finished = await Promise.race([all, new Promise<boolean>((r) => setTimeout(() => r(false), graceMs).unref())]);
    if (!finished) {
      this.cancelled = true;
      while (this.writing > 0) await new Promise((r) => setTimeout(r, 20));
    }
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
    return { finished };
  }
}
