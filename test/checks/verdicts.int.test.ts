/**
 * The grader judged by its verdicts, on real simulated nodes (src/lab):
 * - a solved node passes every check, a fresh node passes none, each failure naming what it found;
 * - for every fault in the catalogue, a solved node with only that fault fails that outcome (or passes
 *   it, for the valid variants) while every check that does not depend on it still passes;
 * - grading is read-only;
 * - one SSH connection per node.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/grade/types.ts';
import { FAULTS, type Fault } from '../../src/lab/faults.ts';
import { labDown, labUp, type Lab, type LabNode } from '../../src/lab/index.ts';
import { mapPool } from '../../src/grade/pool.ts';
import { byCheck, cli, dependants, resultsOf } from './helpers.ts';

const EXERCISE = (f: Fault) => f.outcome.startsWith('d1.') && f.outcome !== 'd1.eth1';

/** Fault placement: exercise-node faults on node1 of a student each, the others on node2/node3. */
function placeFaults(firstStudent: number): { student: string; node: 'node1' | 'node2' | 'node3'; fault: Fault }[] {
  const ex = FAULTS.filter(EXERCISE);
  const other = FAULTS.filter((f) => !EXERCISE(f));
  const out: { student: string; node: 'node1' | 'node2' | 'node3'; fault: Fault }[] = [];
  const sid = (i: number) => `s${String(firstStudent + i).padStart(2, '0')}`;
  ex.forEach((fault, i) => out.push({ student: sid(i), node: 'node1', fault }));
  other.forEach((fault, i) => out.push({ student: sid(Math.floor(i / 2)), node: i % 2 === 0 ? 'node2' : 'node3', fault }));
  return out;
}

const placed = placeFaults(3);
const students = Math.max(2, ...placed.map((p) => Number(p.student.slice(1))));

let lab: Lab;
let day1: RunResults;
let day2: RunResults;
const before = new Map<string, string>();
const after = new Map<string, string>();
let sshdLogLines = new Map<string, number>();

const key = (n: LabNode) => `${n.student}/${n.name}`;
const accepted = (n: LabNode) => (readFileSync(`${n.dir}/sshd.log`, 'utf8').match(/Accepted publickey/g) ?? []).length;

beforeAll(async () => {
  await labDown().catch(() => undefined);
  lab = await labUp({ students, state: 'fresh' });
  const solved = lab.nodes.filter((n) => n.student !== 's01');
  // day 1 then day 2, as in class; nodes in parallel, a bounded few at a time (2 cores)
  await mapPool(solved, 6, async (n) => {
    await lab.solve(n, 1);
    await lab.solve(n, 2);
  });
  for (const p of placed) await lab.applyFault(lab.node(p.student, p.node), p.fault.id);
  const watched = [...lab.nodes.filter((n) => n.student === 's01' || n.student === 's02'), lab.node(placed[0]!.student, 'node1')];
  for (const n of watched) before.set(key(n), await lab.snapshot(n));
  sshdLogLines = new Map(lab.nodes.map((n) => [key(n), accepted(n)]));

  // ~115 simulated nodes share this machine's 2 cores (on a real class each node has its own CPU):
  // a bounded few at a time keeps every node's commands well inside the 30 s command timeout
  const grade = (day: string) => cli(['grade', '--day', day, '--roster', lab.rosterPath, '--concurrency', '12']);
  const r1 = await grade('1');
  const connections = new Map(lab.nodes.map((n) => [key(n), accepted(n) - (sshdLogLines.get(key(n)) ?? 0)]));
  sshdLogLines = connections;
  const r2 = await grade('2');
  if (!r1.results || !r2.results) throw new Error(`grading wrote no results:\n${r1.stderr}\n${r2.stderr}`);
  day1 = r1.results;
  day2 = r2.results;
  for (const n of watched) after.set(key(n), await lab.snapshot(n));
}, 1_800_000);

afterAll(async () => {
  await labDown();
});

describe('solved and fresh nodes', () => {
  it('a solved student passes every day-1 and day-2 check on every node', () => {
    for (const r of [day1, day2]) {
      const rows = resultsOf(r, 's02');
      expect(rows.length).toBeGreaterThan(0);
      const notPassed = rows.filter((x) => x.status !== 'pass').map((x) => `${x.node} ${x.checkId}: ${x.status} ${x.found ?? ''} ${x.error?.message ?? ''}`);
      expect(notPassed).toEqual([]);
    }
  });

  it('a fresh student passes nothing; every failure names what it found, every BLOCKED names a failed check', () => {
    for (const r of [day1, day2]) {
      const rows = resultsOf(r, 's01');
      expect(rows.length).toBe(resultsOf(r, 's02').length);
      for (const x of rows) {
        expect(x.status, `${x.node} ${x.checkId}: ${x.found}`).toMatch(/^(fail|blocked)$/);
        if (x.status === 'fail') {
          expect(x.found, x.checkId).toBeTruthy();
          expect(x.expected, x.checkId).toBeTruthy();
          expect(x.hint?.en && x.hint.ko, x.checkId).toBeTruthy();
        } else {
          const root = rows.find((y) => y.node === x.node && y.checkId === x.blockedBy);
          expect(root?.status, `${x.checkId} blocked by ${x.blockedBy}`).toBe('fail');
        }
      }
      // messages are each check's own, not one generic line
      const found = rows.filter((x) => x.status === 'fail' && x.node === 'node1').map((x) => `${x.found} / ${x.expected}`);
      expect(new Set(found).size).toBe(found.length);
    }
  });
});

describe('one fault at a time', () => {
  it.each(placed.map((p) => [p.fault.id, p] as const))('%s', (_id, p) => {
    const r = p.fault.outcome.startsWith('d1.') ? day1 : day2;
    const rows = byCheck(resultsOf(r, p.student, p.node));
    const target = rows[p.fault.outcome];
    expect(target, `${p.fault.outcome} graded on ${p.student}/${p.node}`).toBeDefined();
    if (p.fault.valid) {
      expect(target!.status, `valid variant must pass: ${target!.found}`).toBe('pass');
    } else {
      expect(target!.status, `found: ${target!.found}`).toBe('fail');
      expect(target!.found).toBeTruthy();
    }
    const knock = dependants(r, p.fault.outcome);
    for (const also of p.fault.alsoBreaks ?? []) knock.add(also);
    const collateral = Object.values(rows)
      .filter((x) => x.checkId !== p.fault.outcome && !knock.has(x.checkId) && x.status !== 'pass')
      .map((x) => `${x.checkId}: ${x.status} (${x.found ?? x.error?.message ?? x.blockedBy})`);
    expect(collateral).toEqual([]);
    // and the other day is untouched by this fault
    const other = p.fault.outcome.startsWith('d1.') ? day2 : day1;
    const otherBad = resultsOf(other, p.student, p.node).filter((x) => x.status !== 'pass' && !(p.fault.alsoBreaks ?? []).includes(x.checkId));
    expect(otherBad.map((x) => `${x.checkId}: ${x.found}`)).toEqual([]);
  });

  it('the catalogue has at least one breaking fault for every outcome id', () => {
    const ids = [...day1.checks, ...day2.checks].map((c) => c.id);
    const covered = new Set(FAULTS.filter((f) => !f.valid).map((f) => f.outcome));
    expect(ids.filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('grading is read-only and cheap on connections', () => {
  it('leaves files, rpm database and podman objects as they were', () => {
    expect(after.size).toBeGreaterThan(0);
    for (const [k, digest] of after) expect(digest, k).toBe(before.get(k));
  });

  it('opens one SSH connection per node for a day', () => {
    for (const n of lab.nodes) expect(sshdLogLines.get(key(n)), key(n)).toBe(1);
  });
});
