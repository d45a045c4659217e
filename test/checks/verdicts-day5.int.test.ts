/**
 * Day 5 judged by its verdicts on a simulated class: days 1-3 solved by their scripts, then
 * scripts/solutions/day5.sh over SSH in the cluster days' steps (control, worker, finish):
 * - a solved student passes every d5 check; a student with day 3 solved and nothing of day 5 fails each
 *   with its finding (or is BLOCKED by a failed check);
 * - each day-5 fault (faults-day5.ts), alone for its checks, fails its outcome and only what is BLOCKED by
 *   it; each valid variant passes;
 * - grading is read-only (node files, the cluster's state) and uses one SSH connection per node;
 * - the exportfs stand-in answers the notes' slips as exportfs does.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResults } from '../../src/grade/types.ts';
import { applyClusterFault, solveClusterDay, solveDay3 } from '../../src/lab/cluster.ts';
import { DAY5_FAULTS } from '../../src/lab/faults-day5.ts';
import type { ClusterFault } from '../../src/lab/faults-k8s.ts';
import { labDown, labUp, type Lab, type LabNode } from '../../src/lab/index.ts';
import { mapPool } from '../../src/grade/pool.ts';
import { cli, dependants, inOrderPerKey, phases, resultsOf, snapshotAll } from './helpers.ts';

const sid = (i: number) => `s${String(i).padStart(2, '0')}`;
/**
 * Faults and valid variants that touch disjoint checks share a student (a valid variant's check must pass
 * beside the faults). s01: day 3 only; s02: day 5 solved; then these.
 */
const GROUPS: string[][] = [
  ['centos-no-command', 'exportfs-file', 'csi-missing', 'pvc-2gi', 'sc-share'],
  ['np-centos-port-8080', 'exports-space', 'sc-wrong-server', 'pvc-rwo'],
  ['np-centos-selector', 'nfs-server-stopped', 'pvc-pod-mount-elsewhere'],
  ['nfs-csi-pod-path', 'exports-d', 'context-release-apache'],
];
const placed = GROUPS.flatMap((ids, i) => ids.map((id) => ({ student: sid(i + 3), fault: DAY5_FAULTS.find((f) => f.id === id)! })));
const students = GROUPS.length + 2;

let lab: Lab;
let day5: RunResults;
const before = new Map<string, string>();
const after = new Map<string, string>();
let connections = new Map<string, number>();

const key = (n: LabNode) => `${n.student}/${n.name}`;
const accepted = (n: LabNode) => (readFileSync(`${n.dir}/sshd.log`, 'utf8').match(/Accepted publickey/g) ?? []).length;
const show = (x: CheckResult) => `${x.node} ${x.checkId}: ${x.status} ${x.found ?? ''} ${x.error?.message ?? ''} ${x.blockedBy ?? ''}`;

beforeAll(async () => {
  const took = phases('verdicts-day5');
  expect(placed.every((p) => p.fault)).toBe(true);
  await labDown().catch(() => undefined);
  lab = await labUp({ students, state: 'fresh' });
  took.mark('lab up');
  const day1 = readFileSync(new URL('../../scripts/solutions/day1.sh', import.meta.url), 'utf8');
  await mapPool(lab.nodes, 6, async (n) => {
    const r = await lab.exec(n, 'LAB_EXERCISE_NODE=none bash -s', day1);
    if (r.code !== 0) throw new Error(`day1.sh (eth1) on ${key(n)}: ${r.stderr.slice(-2000)}`);
    await lab.solve(n, 2);
  });
  took.mark('days 1-2');
  const all = Array.from({ length: students }, (_, i) => sid(i + 1));
  await mapPool(all, 3, (s) => solveDay3(lab, s));
  // day 4 is another helper's: day 5 straight after day 3 (day5.sh makes its objects with -n default either way)
  await mapPool(all.slice(1), 3, (s) => solveClusterDay(lab, s, 5));
  // a student's faults in order, students side by side
  await inOrderPerKey(placed, (p) => p.student, 3, (p) => applyClusterFault(lab, p.student, p.fault.id));
  took.mark('cluster days and faults');

  const watched = lab.nodes.filter((n) => n.student === 's01' || n.student === 's02' || n.student === placed[0]!.student);
  await snapshotAll(lab, watched, before);
  took.mark('snapshots');
  const start = new Map(lab.nodes.map((n) => [key(n), accepted(n)]));
  const r = await cli(['grade', '--day', '5', '--roster', lab.rosterPath, '--concurrency', '12']);
  took.mark('grading');
  if (!r.results) throw new Error(`grading wrote no results:\n${r.stderr}`);
  day5 = r.results;
  connections = new Map(lab.nodes.map((n) => [key(n), accepted(n) - (start.get(key(n)) ?? 0)]));
  await snapshotAll(lab, watched, after);
  took.mark('snapshots after');
  took.print();
}, 1_800_000);

afterAll(async () => {
  await labDown();
});

const IDS = ['d5.test-centos', 'd5.np-test-centos', 'd5.nfs-server', 'd5.csi-driver', 'd5.storageclass', 'd5.nfs-csi-pod', 'd5.pv-pvc', 'd5.pvc-pod'];

describe('solved and fresh-for-day-5 students', () => {
  it('a solved student passes every day-5 check, each once, on control1', () => {
    const rows = resultsOf(day5, 's02');
    expect(rows.map((x) => `${x.node} ${x.checkId}`).sort()).toEqual(IDS.map((id) => `node1 ${id}`).sort());
    expect(rows.filter((x) => x.status !== 'pass').map(show)).toEqual([]);
  });

  it('day 3 solved, day 5 not started: every check fails with its finding or is BLOCKED by a failed one', () => {
    const rows = resultsOf(day5, 's01');
    expect(rows.length).toBe(IDS.length);
    for (const x of rows) {
      expect(x.status, show(x)).toMatch(/^(fail|blocked)$/);
      if (x.status === 'fail') {
        expect(x.found, x.checkId).toBeTruthy();
        expect(x.hint?.en && x.hint.ko, x.checkId).toBeTruthy();
      } else expect(rows.find((y) => y.checkId === x.blockedBy)?.status, show(x)).toBe('fail');
    }
    const by = Object.fromEntries(rows.map((x) => [x.checkId, x]));
    expect(by['d5.test-centos']?.found).toMatch(/no pod test-centos in any namespace \(pods in default: test-httpd\)/);
    expect(by['d5.np-test-centos']).toMatchObject({ status: 'blocked', blockedBy: 'd5.test-centos' });
    expect(by['d5.nfs-server']?.found).toBe('nfs-utils is not installed');
    expect(by['d5.csi-driver']?.found).toMatch(/no Deployment csi-nfs-controller.*no csi-nfs-node pods/);
    expect(by['d5.storageclass']?.found).toMatch(/no StorageClass nfs-csi \(storage classes: none\)/);
    expect(by['d5.nfs-csi-pod']).toMatchObject({ status: 'blocked', blockedBy: 'd5.nfs-server' });
    expect(by['d5.pv-pvc']?.found).toMatch(/no PV nfs-pv \(PVs: none\); no PVC nfs-pvc in any namespace/);
    expect(by['d5.pvc-pod']).toMatchObject({ status: 'blocked', blockedBy: 'd5.pv-pvc' });
  });
});

describe('one fault at a time', () => {
  it.each(placed.map((p) => [p.fault.id, p] as const))('%s', (_id, p) => {
    const rows = resultsOf(day5, p.student);
    const f: ClusterFault = p.fault;
    const targets = rows.filter((x) => x.checkId === f.outcome);
    expect(targets.length, `${f.outcome} graded for ${p.student}`).toBe(1);
    if (f.valid) expect(targets[0]!.status, `valid variant: ${show(targets[0]!)}`).toBe('pass');
    else {
      expect(targets[0]!.status, show(targets[0]!)).toBe('fail');
      expect(targets[0]!.found).toBeTruthy();
    }
    // what this student's faults may break: their outcomes and what those BLOCK; everything else passes
    const mine = placed.filter((q) => q.student === p.student && !q.fault.valid).map((q) => q.fault);
    const knock = new Set<string>();
    const roots = new Set<string>();
    for (const g of mine) {
      for (const id of [g.outcome, ...(g.alsoBreaks ?? [])]) {
        roots.add(id);
        for (const k of [id, ...dependants(day5, id)]) knock.add(k);
      }
    }
    expect(rows.filter((x) => x.status !== 'pass' && !knock.has(x.checkId)).map(show)).toEqual([]);
    for (const x of rows.filter((y) => y.status === 'blocked')) expect(roots.has(x.blockedBy ?? ''), show(x)).toBe(true);
  });

  it('the catalogue has a breaking fault for every day-5 id, and a valid variant is graded', () => {
    const covered = new Set(DAY5_FAULTS.filter((f) => !f.valid).map((f) => f.outcome));
    expect(day5.checks.map((c) => c.id).filter((id) => !covered.has(id))).toEqual([]);
    expect(placed.map((p) => p.fault.id).sort()).toEqual(DAY5_FAULTS.map((f) => f.id).sort());
  });

  it('findings say what was found', () => {
    const found = (id: string, check: string) => resultsOf(day5, placed.find((p) => p.fault.id === id)!.student).find((x) => x.checkId === check && x.status === 'fail')?.found ?? '';
    expect(found('centos-no-command', 'd5.test-centos')).toMatch(/no command: .*CrashLoopBackOff.*container test-centos CrashLoopBackOff \(back-off .*\), last exit code 0 \(Completed\)/);
    expect(found('np-centos-port-8080', 'd5.np-test-centos')).toMatch(/ports 8080->80/);
    expect(found('np-centos-selector', 'd5.np-test-centos')).toMatch(/selector app=test-centos.*selector does not match test-centos's labels/);
    expect(found('exportfs-file', 'd5.nfs-server')).toMatch(/\/nfs is not exported \(exportfs -s: nothing\): \/nfs is only in \/etc\/exportfs, a file exportfs never reads: the file is \/etc\/exports/);
    expect(found('exports-space', 'd5.nfs-server')).toMatch(/\/etc\/exports line 1 `\/nfs \*\(rw, no_root_squash\)` has a space inside the options: exportfs rejects it \(exportfs: \/etc\/exports:1: syntax error: bad option list\)/);
    expect(found('nfs-server-stopped', 'd5.nfs-server')).toMatch(/nfs-server: is-enabled enabled, is-active inactive; \/nfs is not exported \(exportfs -s: nothing\)/);
    expect(found('csi-missing', 'd5.csi-driver')).toMatch(/no Deployment csi-nfs-controller/);
    expect(found('sc-wrong-server', 'd5.storageclass')).toMatch(/server 192\.168\.90\.111/);
    expect(found('pvc-rwo', 'd5.pv-pvc')).toMatch(/nfs-pvc is Pending: no matching PersistentVolume \(nfs-pv: access modes ReadWriteMany lack ReadWriteOnce\)/);
    expect(found('pvc-2gi', 'd5.pv-pvc')).toMatch(/nfs-pvc requests 2Gi; nfs-pvc is Pending: no matching PersistentVolume \(nfs-pv: capacity 1Gi < request 2Gi\)/);
    expect(found('pvc-pod-mount-elsewhere', 'd5.pvc-pod')).toMatch(/nfs-pvc is mounted at \/data, not \/app\/data/);
    expect(found('nfs-csi-pod-path', 'd5.nfs-csi-pod')).toMatch(/volumes csi-nfs nfs 192\.168\.90\.110:\/srv\/nfs.*no NFS volume of 192\.168\.90\.110:\/nfs/);
    const ns = resultsOf(day5, placed.find((p) => p.fault.id === 'context-release-apache')!.student).find((x) => x.checkId === 'd5.test-centos');
    expect(ns?.found).toMatch(/in namespace release-apache, not default/);
  });
});

describe('grading is read-only and cheap on connections', () => {
  it('leaves node files and the cluster state as they were', () => {
    expect(after.size).toBeGreaterThan(0);
    for (const [k, digest] of after) expect(digest, k).toBe(before.get(k));
  });

  it('opens one SSH connection per node', () => {
    for (const n of lab.nodes) expect(connections.get(key(n)), key(n)).toBe(1);
  });
});

describe('the exportfs stand-in (after grading, on the day-5-fresh student)', () => {
  it('without nfs-utils it is not there; with it, the notes\' slips answer as exportfs 2.5.4 does', async () => {
    const n = lab.node('s01', 'node1');
    const r0 = await lab.exec(n, 'exportfs -s; echo "rc=$?"');
    expect(r0.stderr).toBe('bash: exportfs: command not found\n');
    expect(r0.stdout).toBe('rc=127\n');
    const r1 = await lab.exec(n, [
      'dnf install nfs-utils -y >/dev/null 2>&1',
      "printf '/nfs *(rw, no_root_squash)\\n' > /etc/exports",
      'exportfs -avrs; echo "rc=$?"',
      "printf '/nfs *(rw,no_root_squash)\\n' > /etc/exports",
      'exportfs -avrs; echo "rc=$?"',
      'exportfs -s; exportfs -v',
      'systemctl enable --now nfs-server 2>/dev/null; systemctl stop nfs-server; exportfs -s; echo "after stop: rc=$?"',
      'systemctl start nfs-server; exportfs -s',
    ].join('\n'));
    expect(r1.stdout).toBe(
      [
        'rc=1',
        'exporting *:/nfs',
        'rc=0',
        '/nfs *(sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,no_root_squash,no_all_squash)',
        '/nfs          \t<world>(sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,no_root_squash,no_all_squash)',
        'after stop: rc=0',
        '/nfs *(sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,no_root_squash,no_all_squash)',
        '',
      ].join('\n'),
    );
    expect(r1.stderr).toContain('exportfs: /etc/exports:1: syntax error: bad option list\n');
    expect(r1.stderr).toContain(`exportfs: /etc/exports [1]: Neither 'subtree_check' or 'no_subtree_check' specified for export "*:/nfs".\n  Assuming default behaviour ('no_subtree_check').\n  NOTE: this default has changed since nfs-utils version 1.0.x\n`);
  });
});
