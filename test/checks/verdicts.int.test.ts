/**
 * The grader judged by its verdicts, on real simulated nodes (src/lab):
 * - a solved node passes every check, a fresh node passes none, each failure naming what it found;
 * - for every fault in the catalogue, a solved node with only that fault fails that outcome, the checks the
 *   course orders after it are BLOCKED (a fixed list, BLOCKS) and every other check still passes; a valid
 *   variant passes everything;
 * - grading is read-only;
 * - one SSH connection per node.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResults } from '../../src/grade/types.ts';
import { FAULTS, type Fault } from '../../src/lab/faults.ts';
import { labDown, labUp, type Lab, type LabNode } from '../../src/lab/index.ts';
import { TEST_LAB_DIR } from '../lab/helpers.ts';
import { mapPool } from '../../src/grade/pool.ts';
import { byCheck, cli, inOrderPerKey, phases, resultsOf, snapshotAll } from './helpers.ts';

const EXERCISE = (f: Fault) => f.outcome.startsWith('d1.') && f.outcome !== 'd1.eth1';

/**
 * Each day's check ids and the nodes they apply to, written out from ../shared/course/outcomes.md: a check dropped
 * from a spec, or graded on fewer nodes, fails here instead of silently shrinking every loop below.
 */
const DAY1_EXERCISE = [
  'd1.epel', 'd1.podman', 'd1.registries', 'd1.image', 'd1.publish', 'd1.port', 'd1.network', 'd1.pod',
  'd1.pod-containers', 'd1.kube-yaml', 'd1.eth1',
];
const DAY2 = [
  'd2.libcontainers-repo', 'd2.crio-repo', 'd2.crio', 'd2.cri-tools', 'd2.crio-service', 'd2.selinux', 'd2.k8s-repo',
  'd2.k8s-packages', 'd2.firewalld', 'd2.swap', 'd2.br-netfilter', 'd2.ip-forward', 'd2.hosts', 'd2.policy',
];
const NODE_CHECKS: Record<'1' | '2', Record<'node1' | 'node2' | 'node3', string[]>> = {
  1: { node1: DAY1_EXERCISE, node2: ['d1.eth1'], node3: ['d1.eth1'] },
  2: { node1: DAY2, node2: DAY2, node3: DAY2 },
};
/**
 * What a broken outcome must leave BLOCKED, from the course's order (no image, no container to publish; nothing
 * published, nothing answers on 58080; no network, no pod; no pod, no pod containers; no cri-o, no crio service).
 * Written out, not read from the run's own `needs`: a wrong `needs` in a spec must show up as a wrong verdict here.
 */
const BLOCKS: Record<string, string[]> = {
  'd1.image': ['d1.publish', 'd1.port'],
  'd1.publish': ['d1.port'],
  'd1.network': ['d1.pod', 'd1.pod-containers'],
  'd1.pod': ['d1.pod-containers'],
  'd2.crio': ['d2.crio-service'],
};
/** The faults of the days this file grades (days 3-5 have their own tests). */
const DAY12_FAULTS = FAULTS.filter((f) => /^d[12]\./.test(f.outcome));

/**
 * Faults that cannot touch each other share a node, so the class is a third of one-fault-per-node (14 students
 * instead of 35, the same 92 faults): faults on one node come from different GROUPS (each group: the outcomes whose
 * faults edit the same files or objects, e.g. every yum repo file, the httpd container and what publishes it), and
 * their footprints (outcome, what it BLOCKS, alsoBreaks) are disjoint. Each fault's test then asserts its own
 * outcome and every check outside its node-mates' footprints, on both days, so a fault that changes anything
 * beyond its footprint still fails a test (its own, or its mate's through the other day).
 */
const GROUPS: Record<string, string> = {
  'd1.epel': 'repos', 'd2.libcontainers-repo': 'repos', 'd2.crio-repo': 'repos', 'd2.k8s-repo': 'repos',
  'd1.podman': 'packages', 'd2.crio': 'packages', 'd2.cri-tools': 'packages', 'd2.crio-service': 'packages', 'd2.k8s-packages': 'packages',
  'd1.registries': 'registries',
  'd1.image': 'httpd', 'd1.publish': 'httpd', 'd1.port': 'httpd',
  'd1.network': 'pod', 'd1.pod': 'pod', 'd1.pod-containers': 'pod', 'd1.kube-yaml': 'pod',
  'd1.eth1': 'eth1',
  'd2.ip-forward': 'kernel', 'd2.br-netfilter': 'kernel',
  'd2.selinux': 'selinux', 'd2.firewalld': 'firewalld', 'd2.swap': 'swap', 'd2.hosts': 'hosts', 'd2.policy': 'policy',
};
/** Applied in this order on a node: podman objects first, then packages and files (a broken registries.conf last). */
const GROUP_ORDER = ['pod', 'httpd', 'packages', 'repos', 'eth1', 'kernel', 'selinux', 'firewalld', 'swap', 'hosts', 'policy', 'registries'];
const PER_NODE = 3;
const footprint = (f: Fault): string[] => [f.outcome, ...(BLOCKS[f.outcome] ?? []), ...(f.alsoBreaks ?? [])];

interface Placed { student: string; node: 'node1' | 'node2' | 'node3'; fault: Fault }

/** Exercise-node faults on node1, the others on node2/node3, first fit from s<firstStudent>, biggest groups first. */
function placeFaults(firstStudent: number): Placed[] {
  const sid = (i: number) => `s${String(firstStudent + i).padStart(2, '0')}`;
  const groupOf = (f: Fault): string => {
    const g = GROUPS[f.outcome];
    if (!g) throw new Error(`fault ${f.id}: outcome ${f.outcome} has no group in GROUPS`);
    return g;
  };
  const size = (g: string) => DAY12_FAULTS.filter((f) => groupOf(f) === g).length;
  const todo = [...DAY12_FAULTS].sort((a, b) => Number(EXERCISE(b)) - Number(EXERCISE(a)) || size(groupOf(b)) - size(groupOf(a)));
  const out: Placed[] = [];
  for (const fault of todo) {
    const names = EXERCISE(fault) ? (['node1'] as const) : (['node2', 'node3'] as const);
    for (let i = 0; ; i++) {
      const node = names.find((name) => {
        const mates = out.filter((p) => p.student === sid(i) && p.node === name);
        return (
          mates.length < PER_NODE &&
          mates.every((m) => groupOf(m.fault) !== groupOf(fault) && !footprint(m.fault).some((c) => footprint(fault).includes(c)))
        );
      });
      if (node) {
        out.push({ student: sid(i), node, fault });
        break;
      }
    }
  }
  const rank = (p: Placed) => GROUP_ORDER.indexOf(groupOf(p.fault));
  return out.sort((a, b) => a.student.localeCompare(b.student) || a.node.localeCompare(b.node) || rank(a) - rank(b));
}

/** The other faults on a fault's node: what they may change is not this fault's test to judge. */
const matesOf = (p: Placed): Placed[] => placed.filter((q) => q !== p && q.student === p.student && q.node === p.node);

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
  const took = phases('verdicts');
  await labDown(TEST_LAB_DIR).catch(() => undefined);
  lab = await labUp({ students, state: 'fresh', dir: TEST_LAB_DIR });
  took.mark('lab up');
  const solved = lab.nodes.filter((n) => n.student !== 's01');
  // day 1 then day 2, as in class; nodes in parallel, a bounded few at a time (2 cores)
  await mapPool(solved, 6, async (n) => {
    await lab.solve(n, 1);
    await lab.solve(n, 2);
  });
  took.mark('days 1-2');
  // a node's faults one after the other, in GROUP_ORDER (placed is sorted so); nodes side by side
  await inOrderPerKey(placed, (p) => `${p.student}/${p.node}`, 6, (p) => lab.applyFault(lab.node(p.student, p.node), p.fault.id));
  took.mark('faults');
  const watched = [...lab.nodes.filter((n) => n.student === 's01' || n.student === 's02'), lab.node(placed[0]!.student, 'node1')];
  await snapshotAll(lab, watched, before);
  took.mark('snapshots');
  sshdLogLines = new Map(lab.nodes.map((n) => [key(n), accepted(n)]));

  // ~115 simulated nodes share this machine's 2 cores (on a real class each node has its own CPU):
  // a bounded few at a time keeps every node's commands well inside the 30 s command timeout
  const grade = (day: string) => cli(['grade', '--day', day, '--roster', lab.rosterPath, '--concurrency', '12']);
  const r1 = await grade('1');
  const connections = new Map(lab.nodes.map((n) => [key(n), accepted(n) - (sshdLogLines.get(key(n)) ?? 0)]));
  sshdLogLines = connections;
  const r2 = await grade('2');
  took.mark('grading');
  if (!r1.results || !r2.results) throw new Error(`grading wrote no results:\n${r1.stderr}\n${r2.stderr}`);
  day1 = r1.results;
  day2 = r2.results;
  await snapshotAll(lab, watched, after);
  took.mark('snapshots after');
  took.print();
}, 1_800_000);

afterAll(async () => {
  await labDown(TEST_LAB_DIR);
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
  it('each day grades exactly the course\'s checks, each on its nodes', () => {
    for (const [day, r] of [['1', day1], ['2', day2]] as const) {
      expect(r.checks.map((c) => c.id).sort()).toEqual([...new Set(Object.values(NODE_CHECKS[day]).flat())].sort());
      for (const s of ['s01', 's02'])
        for (const node of ['node1', 'node2', 'node3'] as const)
          expect(resultsOf(r, s, node).map((x) => x.checkId).sort(), `day ${day} ${s}/${node}`).toEqual([...NODE_CHECKS[day][node]].sort());
    }
  });

  it.each(placed.map((p) => [p.fault.id, p] as const))('%s', (_id, p) => {
    const r = p.fault.outcome.startsWith('d1.') ? day1 : day2;
    const rows = byCheck(resultsOf(r, p.student, p.node));
    const target = rows[p.fault.outcome];
    expect(target, `${p.fault.outcome} graded on ${p.student}/${p.node}`).toBeDefined();
    // the checks the node's other faults may break: judged by their own tests
    const excused = new Set(matesOf(p).flatMap((m) => footprint(m.fault)));
    const wrong: string[] = [];
    const expectStatus = (id: string, ok: (x: CheckResult) => boolean, want: string) => {
      const x = rows[id]!;
      if (!ok(x)) wrong.push(`${id}: ${x.status} (${x.found ?? x.error?.message ?? ''}${x.blockedBy ? ` blocked by ${x.blockedBy}` : ''}), expected ${want}`);
    };
    if (p.fault.valid) {
      // a valid variant is a solved node: it excuses nothing, not even the outcome's dependants
      for (const id of Object.keys(rows).filter((id) => !excused.has(id))) expectStatus(id, (x) => x.status === 'pass', 'pass');
    } else {
      expectStatus(p.fault.outcome, (x) => x.status === 'fail' && Boolean(x.found), 'fail naming what it found');
      const blocked = BLOCKS[p.fault.outcome] ?? [];
      for (const id of Object.keys(rows).filter((id) => id !== p.fault.outcome && !excused.has(id))) {
        if (blocked.includes(id)) expectStatus(id, (x) => x.status === 'blocked' && x.blockedBy === p.fault.outcome, `blocked by ${p.fault.outcome}`);
        else if (p.fault.alsoBreaks?.includes(id)) expectStatus(id, (x) => x.status === 'fail' || x.status === 'blocked', 'fail (alsoBreaks)');
        else expectStatus(id, (x) => x.status === 'pass', 'pass');
      }
    }
    expect(wrong).toEqual([]);
    // and the other day is untouched by this fault (beyond its node-mates' footprints)
    const other = p.fault.outcome.startsWith('d1.') ? day2 : day1;
    const otherBad = resultsOf(other, p.student, p.node).filter(
      (x) => x.status !== 'pass' && !(p.fault.alsoBreaks ?? []).includes(x.checkId) && !excused.has(x.checkId),
    );
    expect(otherBad.map((x) => `${x.checkId}: ${x.found}`)).toEqual([]);
  });

  it('shares nodes only between faults of different groups with disjoint footprints', () => {
    for (const p of placed)
      for (const m of matesOf(p)) {
        expect(GROUPS[m.fault.outcome], `${p.fault.id} with ${m.fault.id}`).not.toBe(GROUPS[p.fault.outcome]);
        expect(footprint(m.fault).filter((c) => footprint(p.fault).includes(c)), `${p.fault.id} with ${m.fault.id}`).toEqual([]);
      }
    // every fault placed exactly once
    expect(placed.map((p) => p.fault.id).sort()).toEqual(DAY12_FAULTS.map((f) => f.id).sort());
  });

  it('the catalogue has at least one breaking fault for every outcome id', () => {
    const covered = new Set(DAY12_FAULTS.filter((f) => !f.valid).map((f) => f.outcome));
    expect([...DAY1_EXERCISE, ...DAY2].filter((id) => !covered.has(id))).toEqual([]);
    // and every fault is about one of them
    expect(DAY12_FAULTS.filter((f) => ![...DAY1_EXERCISE, ...DAY2].includes(f.outcome)).map((f) => f.id)).toEqual([]);
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
