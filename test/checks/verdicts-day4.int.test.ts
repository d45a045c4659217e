/**
 * Day 4 judged by its verdicts on a simulated class whose clusters the course's own commands built
 * (scripts/solutions/day3.sh and day4.sh over SSH, the kubeadm/kubectl stand-ins):
 * - a solved student passes every d4 check; a student with days 1-3 solved and nothing of day 4 fails each
 *   with its finding (or is BLOCKED by a failed check);
 * - each day-4 fault of faults-k8s.ts, on a solved student, fails its outcome and only what is BLOCKED by it;
 *   each valid variant passes;
 * - grading is read-only (node files, the cluster's state) and uses one SSH connection per node.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResults } from '../../src/grade/types.ts';
import { applyClusterFault, solveClusterDay, solveDay3 } from '../../src/lab/cluster.ts';
import { DAY4_FAULTS, type ClusterFault } from '../../src/lab/faults-k8s.ts';
import { labDown, labUp, type Lab, type LabNode } from '../../src/lab/index.ts';
import { mapPool } from '../../src/grade/pool.ts';
import { cli, dependants, inOrderPerKey, phases, resultsOf, snapshotAll } from './helpers.ts';

const sid = (i: number) => `s${String(i).padStart(2, '0')}`;
/**
 * Faults and valid variants on disjoint checks share a student (every day-4 fault runs kubectl on control1, so
 * they combine), none beside a fault whose check BLOCKS its own (release-ns blocks the Deployment and Service).
 * s01: days 1-3 only; s02: day 4 solved; then these.
 */
const GROUPS: string[][] = [
  ['ns-second-label-typo', 'deploy-3-replicas', 'context-unset'],
  ['ns-wordpress-label-missing', 'deploy-vsftpd-short-name', 'context-first-namespace'],
  ['ns-first-missing', 'svc-selector-app', 'context-admin-conf-only'],
  ['release-in-default', 'namespaces-imperative', 'context-new-context'],
  ['svc-expose-random-nodeports'],
  ['release-json-named-ports', 'context-kube-config-edited'],
];
const fault = (id: string): ClusterFault => {
  const f = DAY4_FAULTS.find((x) => x.id === id);
  if (!f) throw new Error(`no day-4 fault ${id}`);
  return f;
};
const placed = GROUPS.flatMap((ids, i) => ids.map((id) => ({ student: sid(i + 3), fault: fault(id) })));
const students = GROUPS.length + 2;

let lab: Lab;
let day4: RunResults;
const before = new Map<string, string>();
const after = new Map<string, string>();
let connections = new Map<string, number>();

const key = (n: LabNode) => `${n.student}/${n.name}`;
const accepted = (n: LabNode) => (readFileSync(`${n.dir}/sshd.log`, 'utf8').match(/Accepted publickey/g) ?? []).length;
const show = (x: CheckResult) => `${x.node} ${x.checkId}: ${x.status} ${x.found ?? ''} ${x.error?.message ?? ''} ${x.blockedBy ?? ''}`;

beforeAll(async () => {
  const took = phases('verdicts-day4');
  await labDown().catch(() => undefined);
  lab = await labUp({ students, state: 'fresh' });
  took.mark('lab up');
  // the cluster needs day 1's eth1 addresses, not its containers: day1.sh with no exercise node does just that
  const day1 = readFileSync(new URL('../../scripts/solutions/day1.sh', import.meta.url), 'utf8');
  await mapPool(lab.nodes, 6, async (n) => {
    const r = await lab.exec(n, 'LAB_EXERCISE_NODE=none bash -s', day1);
    if (r.code !== 0) throw new Error(`day1.sh (eth1) on ${key(n)}: ${r.stderr.slice(-2000)}`);
    await lab.solve(n, 2);
  });
  took.mark('days 1-2');
  const all = Array.from({ length: students }, (_, i) => sid(i + 1));
  await mapPool(all, 3, async (s) => {
    await solveDay3(lab, s);
    if (s !== 's01') await solveClusterDay(lab, s, 4);
  });
  // a student's faults in order, students side by side
  await inOrderPerKey(placed, (p) => p.student, 3, (p) => applyClusterFault(lab, p.student, p.fault.id));
  took.mark('cluster days and faults');

  const watched = lab.nodes.filter((n) => n.student === 's01' || n.student === 's02' || n.student === placed[0]!.student);
  await snapshotAll(lab, watched, before);
  took.mark('snapshots');
  const start = new Map(lab.nodes.map((n) => [key(n), accepted(n)]));
  const r = await cli(['grade', '--day', '4', '--roster', lab.rosterPath, '--concurrency', '12']);
  took.mark('grading');
  if (!r.results) throw new Error(`grading wrote no results:\n${r.stderr}`);
  day4 = r.results;
  connections = new Map(lab.nodes.map((n) => [key(n), accepted(n) - (start.get(key(n)) ?? 0)]));
  await snapshotAll(lab, watched, after);
  took.mark('snapshots after');
  took.print();
}, 1_800_000);

afterAll(async () => {
  await labDown();
});

const ALL = ['d4.namespaces', 'd4.release-ns', 'd4.release-deploy', 'd4.release-svc', 'd4.context'];

describe('solved and fresh-for-day-4 students', () => {
  it('a solved student passes every day-4 check, each once, on control1', () => {
    const rows = resultsOf(day4, 's02');
    expect(rows.map((x) => `${x.node} ${x.checkId}`).sort()).toEqual(ALL.map((id) => `node1 ${id}`).sort());
    expect(rows.filter((x) => x.status !== 'pass').map(show)).toEqual([]);
    const by = Object.fromEntries(rows.map((x) => [x.checkId, x]));
    expect(by['d4.release-deploy']?.found).toMatch(/^Deployment release-apache: 5\/5 ready, selector run=release-apache, containers release-apache \(quay\.io\/centos7\/httpd-24-centos7, port 8080\), release-vsftp \(quay\.io\/eformat\/openshift-vsftpd, port 21\)$/);
    expect(by['d4.release-svc']?.found).toMatch(/type NodePort, ports 8080->8080 \(nodePort 32080\)\/TCP, 21->21 \(nodePort 32021\)\/TCP, selector run=release-apache, 5 ready endpoint\(s\)/);
    expect(by['d4.context']?.found).toBe('/etc/kubernetes/admin.conf: current context kubernetes-admin@kubernetes, namespace release-apache');
  });

  it('days 1-3 solved, day 4 not started: every check fails with its finding or is BLOCKED by a failed one', () => {
    const rows = resultsOf(day4, 's01');
    expect(rows.length).toBe(resultsOf(day4, 's02').length);
    for (const x of rows) {
      expect(x.status, show(x)).toMatch(/^(fail|blocked)$/);
      if (x.status === 'fail') {
        expect(x.found, x.checkId).toBeTruthy();
        expect(x.hint?.en && x.hint.ko, x.checkId).toBeTruthy();
      } else {
        const root = rows.find((y) => y.node === x.node && y.checkId === x.blockedBy);
        expect(root?.status, show(x)).toBe('fail');
      }
    }
    const by = Object.fromEntries(rows.map((x) => [x.checkId, x]));
    expect(by['d4.namespaces']?.found).toBe('no namespace first-namespace; no namespace second-namespace; no namespace wordpress-service');
    expect(by['d4.release-ns']?.found).toBe('no namespace release-apache');
    expect(by['d4.release-deploy']).toMatchObject({ status: 'blocked', blockedBy: 'd4.release-ns' });
    expect(by['d4.release-svc']).toMatchObject({ status: 'blocked', blockedBy: 'd4.release-ns' });
    expect(by['d4.context']?.found).toBe('/etc/kubernetes/admin.conf: current context kubernetes-admin@kubernetes, namespace not set (kubectl uses default)');
  });
});

describe('one fault at a time', () => {
  it.each(placed.map((p) => [p.fault.id, p] as const))('%s', (_id, p) => {
    const rows = resultsOf(day4, p.student);
    const f: ClusterFault = p.fault;
    const targets = rows.filter((x) => x.checkId === f.outcome);
    expect(targets.length, `${f.outcome} graded for ${p.student}`).toBe(1);
    for (const t of targets) {
      expect(t.status, show(t)).toBe(f.valid ? 'pass' : 'fail');
      expect(t.found).toBeTruthy();
    }
    // what this student's faults (not its valid variants) may break: their outcomes and what those BLOCK
    const mine = placed.filter((q) => q.student === p.student && !q.fault.valid).map((q) => q.fault);
    const knock = new Set<string>();
    const roots = new Set(mine.map((g) => g.outcome));
    for (const id of roots) for (const k of [id, ...dependants(day4, id)]) knock.add(k);
    const collateral = rows.filter((x) => (f.valid || !targets.includes(x)) && x.status !== 'pass' && !knock.has(x.checkId));
    expect(collateral.map(show)).toEqual([]);
    for (const x of rows.filter((y) => y.status === 'blocked')) expect(roots.has(x.blockedBy ?? ''), show(x)).toBe(true);
  });

  it('the catalogue has a breaking fault and a valid variant for every day-4 id but release-ns and release-svc', () => {
    const ids = day4.checks.map((c) => c.id);
    expect(ids.sort()).toEqual([...ALL].sort());
    const breaking = new Set(DAY4_FAULTS.filter((f) => !f.valid).map((f) => f.outcome));
    expect(ids.filter((id) => !breaking.has(id))).toEqual([]);
    expect(DAY4_FAULTS.map((f) => f.id).sort()).toEqual(placed.map((p) => p.fault.id).sort());
  });

  it('findings say what was found', () => {
    const found = (id: string, check: string) => resultsOf(day4, placed.find((p) => p.fault.id === id)!.student).find((x) => x.checkId === check && x.status === 'fail')?.found ?? '';
    expect(found('ns-second-label-typo', 'd4.namespaces')).toBe('namespace second-namespace has type=namespaces, lacks type=namespace');
    expect(found('ns-wordpress-label-missing', 'd4.namespaces')).toBe('namespace wordpress-service has type=namespace, lacks service=wordpress');
    expect(found('ns-first-missing', 'd4.namespaces')).toBe('no namespace first-namespace');
    expect(found('release-in-default', 'd4.release-ns')).toBe('no namespace release-apache (namespaces: first-namespace, second-namespace, wordpress-service); Deployment release-apache is in default');
    expect(found('deploy-3-replicas', 'd4.release-deploy')).toBe('release-apache: replicas 3, not 5 (3/3 ready)');
    expect(found('deploy-vsftpd-short-name', 'd4.release-deploy')).toMatch(
      /^release-apache: container release-vsftp runs eformat\/openshift-vsftpd; 0\/5 ready: release-apache\/release-apache-\w+-\w+ Pending, 1\/2 ready: container release-vsftp ImagePullBackOff \(Back-off pulling image "eformat\/openshift-vsftpd"\) on worker\d\.example\.com; .*; and 2 more not ready$/,
    );
    expect(found('svc-selector-app', 'd4.release-svc')).toMatch(/selector app=release-apache, 0 ready endpoint\(s\): selector app=release-apache does not select the Deployment's pods \(run=release-apache\); 0 ready endpoint\(s\) for 0 ready pod\(s\) it selects$/);
    expect(found('svc-expose-random-nodeports', 'd4.release-svc')).toMatch(/: port 8080 on nodePort 3\d{4}; port 21 on nodePort 3\d{4}$/);
    expect(found('context-unset', 'd4.context')).toBe('/etc/kubernetes/admin.conf: current context kubernetes-admin@kubernetes, namespace not set (kubectl uses default)');
    expect(found('context-first-namespace', 'd4.context')).toBe('/etc/kubernetes/admin.conf: current context kubernetes-admin@kubernetes, namespace first-namespace');
    expect(found('context-admin-conf-only', 'd4.context')).toBe('/root/.kube/config: current context kubernetes-admin@kubernetes, namespace not set (kubectl uses default)');
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
