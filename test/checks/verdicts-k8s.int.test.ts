/**
 * Day 3 judged by its verdicts on a simulated class whose clusters the course's own commands built
 * (scripts/solutions/day3.sh over SSH, the kubeadm/kubectl stand-ins):
 * - a solved student passes every d3 check; a student with days 1-2 solved and nothing of day 3 fails
 *   each with its finding (or is BLOCKED by a failed check);
 * - each fault of faults-k8s.ts, alone on a solved student, fails its outcome and only what is BLOCKED
 *   by it (or what it names as also broken); each valid variant passes;
 * - grading is read-only (node files, the cluster's state) and uses one SSH connection per node.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResults } from '../../src/grade/types.ts';
import { applyClusterFault, solveDay3 } from '../../src/lab/cluster.ts';
import { CLUSTER_FAULTS, type ClusterFault } from '../../src/lab/faults-k8s.ts';
import { labDown, labUp, type Lab, type LabNode } from '../../src/lab/index.ts';
import { mapPool } from '../../src/grade/pool.ts';
import { cli, dependants, inOrderPerKey, phases, resultsOf, snapshotAll } from './helpers.ts';

const sid = (i: number) => `s${String(i).padStart(2, '0')}`;
/**
 * Faults that touch disjoint checks share a student (fewer clusters to build); the others get one each.
 * s01: days 1-2 only; s02: day 3 solved; then the fault students.
 */
const SHARED: string[][] = [
  ['kubelet-stopped', 'completion-kubeadm-missing'],
  ['kubelet-conf-other-server', 'completion-empty'],
  ['kubeconfig-home', 'test-httpd-yaml'],
  ['kubeconfig-bashrc', 'np-yaml-fixed-nodeport', 'init-endpoint-service-cidr'],
];
const groups = [...SHARED, ...CLUSTER_FAULTS.map((f) => f.id).filter((id) => !SHARED.flat().includes(id)).map((id) => [id])];
const placed = groups.flatMap((ids, i) => ids.map((id) => ({ student: sid(i + 3), fault: CLUSTER_FAULTS.find((f) => f.id === id)! })));
const students = groups.length + 2;

let lab: Lab;
let day3: RunResults;
const before = new Map<string, string>();
const after = new Map<string, string>();
let connections = new Map<string, number>();

const key = (n: LabNode) => `${n.student}/${n.name}`;
const accepted = (n: LabNode) => (readFileSync(`${n.dir}/sshd.log`, 'utf8').match(/Accepted publickey/g) ?? []).length;
const show = (x: CheckResult) => `${x.node} ${x.checkId}: ${x.status} ${x.found ?? ''} ${x.error?.message ?? ''} ${x.blockedBy ?? ''}`;

beforeAll(async () => {
  const took = phases('verdicts-k8s');
  await labDown().catch(() => undefined);
  lab = await labUp({ students, state: 'fresh' });
  took.mark('lab up');
  // day 3 needs day 1's eth1 addresses, not its containers: day1.sh with no exercise node does just that
  const day1 = readFileSync(new URL('../../scripts/solutions/day1.sh', import.meta.url), 'utf8');
  await mapPool(lab.nodes, 6, async (n) => {
    const r = await lab.exec(n, 'LAB_EXERCISE_NODE=none bash -s', day1);
    if (r.code !== 0) throw new Error(`day1.sh (eth1) on ${key(n)}: ${r.stderr.slice(-2000)}`);
    await lab.solve(n, 2);
  });
  took.mark('days 1-2');
  const clusters = Array.from({ length: students - 1 }, (_, i) => sid(i + 2));
  // a variant with its own `kubeadm init` line builds its student's cluster with it (ClusterFault.init)
  await mapPool(clusters, 3, (s) => solveDay3(lab, s, placed.find((p) => p.student === s && p.fault.init)?.fault.init));
  // a student's faults in order, students side by side
  await inOrderPerKey(placed.filter((p) => !p.fault.init), (p) => p.student, 3, (p) => applyClusterFault(lab, p.student, p.fault.id));
  took.mark('cluster days and faults');

  const watched = lab.nodes.filter((n) => n.student === 's01' || n.student === 's02' || n.student === placed[0]!.student);
  await snapshotAll(lab, watched, before);
  took.mark('snapshots');
  const start = new Map(lab.nodes.map((n) => [key(n), accepted(n)]));
  const r = await cli(['grade', '--day', '3', '--roster', lab.rosterPath, '--concurrency', '12']);
  took.mark('grading');
  if (!r.results) throw new Error(`grading wrote no results:\n${r.stderr}`);
  day3 = r.results;
  connections = new Map(lab.nodes.map((n) => [key(n), accepted(n) - (start.get(key(n)) ?? 0)]));
  await snapshotAll(lab, watched, after);
  took.mark('snapshots after');
  took.print();
}, 1_800_000);

afterAll(async () => {
  await labDown();
});

describe('solved and fresh-for-day-3 students', () => {
  it('a solved student passes every day-3 check, each cluster check once', () => {
    const rows = resultsOf(day3, 's02');
    expect(rows.map((x) => `${x.node} ${x.checkId}`).sort()).toEqual(
      [
        'node1 d3.control-plane', 'node1 d3.kubelet', 'node1 d3.nodes-ready', 'node1 d3.calico', 'node1 d3.test-httpd',
        'node1 d3.np-test-httpd', 'node1 d3.completion', 'node2 d3.kubelet', 'node2 d3.joined', 'node3 d3.kubelet', 'node3 d3.joined',
      ].sort(),
    );
    expect(rows.filter((x) => x.status !== 'pass').map(show)).toEqual([]);
  });

  it('days 1-2 solved, day 3 not started: every check fails with its finding or is BLOCKED by a failed one', () => {
    const rows = resultsOf(day3, 's01');
    expect(rows.length).toBe(resultsOf(day3, 's02').length);
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
    const by = Object.fromEntries(rows.filter((x) => x.node === 'node1').map((x) => [x.checkId, x]));
    expect(by['d3.control-plane']?.found).toMatch(/kubeadm init has not run/);
    // the kubelet waits for kubeadm's configuration: activating, as on a real day-2 node
    expect(by['d3.kubelet']?.found).toMatch(/kubelet: is-enabled enabled, is-active activating/);
    expect(by['d3.completion']?.found).toMatch(/bash_completion.d\/kubectl missing/);
    expect(by['d3.calico']).toMatchObject({ status: 'blocked', blockedBy: 'd3.control-plane' });
    expect(by['d3.nodes-ready']).toMatchObject({ status: 'blocked', blockedBy: 'd3.control-plane' });
    expect(resultsOf(day3, 's01', 'node2').find((x) => x.checkId === 'd3.joined')).toMatchObject({ status: 'blocked', blockedBy: 'd3.kubelet' });
  });
});

describe('one fault at a time', () => {
  it.each(placed.map((p) => [p.fault.id, p] as const))('%s', (_id, p) => {
    const rows = resultsOf(day3, p.student);
    const f: ClusterFault = p.fault;
    const targets = rows.filter((x) => x.checkId === f.outcome);
    expect(targets.length, `${f.outcome} graded for ${p.student}`).toBeGreaterThan(0);
    // a check on several nodes breaks on the node the fault touched (the second worker for worker faults)
    const onNode = f.node === 'worker' && targets.length > 1 ? targets.filter((x) => x.node === 'node3') : targets;
    if (f.valid) {
      // valid variants share a student only with valid variants
      expect(rows.filter((x) => x.status !== 'pass').map(show), 'valid variant: everything passes').toEqual([]);
      return;
    }
    for (const t of onNode) {
      expect(t.status, show(t)).toBe('fail');
      expect(t.found).toBeTruthy();
    }
    // what this student's faults may break: their outcomes, what those BLOCK, what they name as also broken
    const mine = placed.filter((q) => q.student === p.student).map((q) => q.fault);
    const knock = new Set<string>();
    const roots = new Set<string>();
    for (const g of mine) {
      for (const id of [g.outcome, ...(g.alsoBreaks ?? [])]) {
        roots.add(id);
        for (const k of [id, ...dependants(day3, id)]) knock.add(k);
      }
    }
    const collateral = rows.filter((x) => !onNode.includes(x) && x.status !== 'pass' && !knock.has(x.checkId));
    expect(collateral.map(show)).toEqual([]);
    // a worker fault leaves the check on the other worker alone
    if (f.node === 'worker') expect(targets.filter((x) => x.node !== 'node3' && x.status !== 'pass').map(show)).toEqual([]);
    // what is BLOCKED names one of these faults' outcomes as the reason
    for (const x of rows.filter((y) => y.status === 'blocked')) expect(roots.has(x.blockedBy ?? ''), show(x)).toBe(true);
  });

  it('the catalogue has a breaking fault and a finding for every day-3 id', () => {
    const ids = day3.checks.map((c) => c.id);
    const covered = new Set(CLUSTER_FAULTS.filter((f) => !f.valid).map((f) => f.outcome));
    expect(ids.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('findings say what was found', () => {
    const found = (id: string, check: string) => resultsOf(day3, placed.find((p) => p.fault.id === id)!.student).find((x) => x.checkId === check && x.status === 'fail')?.found ?? '';
    expect(found('calico-docker-io', 'd3.calico')).toMatch(/registry none \(the default, docker\.io\).*ImagePullBackOff \(Back-off pulling image "docker\.io\/calico\/node:v3\.26\.4"\)/);
    expect(found('kubeconfig-stale', 'd3.control-plane')).toMatch(/x509: certificate signed by unknown authority/);
    expect(found('test-httpd-docker-hub', 'd3.test-httpd')).toMatch(/runs httpd, not .*Pending, 0\/1 ready: container test-httpd ImagePullBackOff \(Back-off pulling image "httpd"\)/);
    expect(found('kubelet-stopped', 'd3.kubelet')).toMatch(/kubelet: is-enabled enabled, is-active inactive/);
    expect(found('kubelet-stopped', 'd3.calico')).toMatch(/calico-node-\w+ Running, 1\/1 ready: Ready condition False .* on worker2\.example\.com/);
    expect(found('np-clusterip', 'd3.np-test-httpd')).toMatch(/type ClusterIP/);
    expect(found('np-port-80', 'd3.np-test-httpd')).toMatch(/ports 80->8080/);
    expect(found('node-deleted', 'd3.nodes-ready')).toMatch(/missing worker2\.example\.com/);
    expect(found('pod-subnet-10', 'd3.control-plane')).toMatch(/podSubnet is 192\.168\.10\.0\/24/);
  });
});

describe('a cluster the student initialised another way', () => {
  it('init-endpoint-service-cidr really built its cluster with service CIDR 10.10.10.0/24 and an endpoint (and passed above)', async () => {
    const student = placed.find((p) => p.fault.id === 'init-endpoint-service-cidr')!.student;
    const control = lab.node(student, 'node1');
    const r = await lab.exec(
      control,
      "export KUBECONFIG=/etc/kubernetes/admin.conf; kubectl get configmap -n kube-system kubeadm-config -o jsonpath='{.data.ClusterConfiguration}'; " +
        "echo; kubectl get service np-test-httpd -o jsonpath='{.spec.clusterIP}'",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/serviceSubnet: 10\.10\.10\.0\/24/);
    expect(r.stdout).toMatch(/controlPlaneEndpoint: 192\.168\.90\.110/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^10\.10\.10\.\d+$/);
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

describe('the stand-ins answer day-2 mistakes as kubeadm and kubectl 1.24 do (after grading, on the day-3-fresh student)', () => {
  it('kubeadm preflight: ip_forward 0, crio stopped; kubectl without a kubeconfig', async () => {
    const n = lab.node('s01', 'node2');
    const r1 = await lab.exec(n, 'sysctl -w net.ipv4.ip_forward=0 >/dev/null; kubeadm init --apiserver-advertise-address=192.168.90.120; echo "rc=$?"; sysctl -w net.ipv4.ip_forward=1 >/dev/null');
    expect(r1.stdout).toContain('[preflight] Running pre-flight checks');
    expect(r1.stderr).toContain('\t[ERROR FileContent--proc-sys-net-ipv4-ip_forward]: /proc/sys/net/ipv4/ip_forward contents are not set to 1\n');
    expect(r1.stderr).toContain('[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`');
    expect(r1.stdout).toContain('rc=1');
    const r2 = await lab.exec(n, 'systemctl stop crio; kubeadm join 192.168.90.110:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:00; echo "rc=$?"; systemctl start crio');
    expect(r2.stderr).toMatch(/\[ERROR CRI\]: container runtime is not running: output: time="[^"]+" level=fatal msg="connect: connect endpoint 'unix:\/\/\/var\/run\/crio\/crio.sock'/);
    expect(r2.stdout).toContain('rc=1');
    const r3 = await lab.exec(n, 'kubectl get nodes; echo "rc=$?"');
    expect(r3.stderr).toBe('The connection to the server localhost:8080 was refused - did you specify the right host or port?\n');
    expect(r3.stdout).toBe('rc=1\n');
  });
});

