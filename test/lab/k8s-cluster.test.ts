// The simulated cluster's model (src/lab/standins/lib/k8s): what kubectl 1.24 would show after the
// course's commands, run in-process on the state the kube-apiserver stand-in keeps. Fast, no namespaces;
// the stand-ins over SSH are exercised by the day-3 verdict tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { list, newCluster, nodeObject, put, reconcile, get, isReady } from '../../src/lab/standins/lib/k8s/cluster.mjs';
import { kubectl } from '../../src/lab/standins/lib/k8s/commands.mjs';
import { jsonpath, table } from '../../src/lab/standins/lib/k8s/print.mjs';
import { STANDINS_DIR } from '../../src/lab/paths.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const MANIFESTS = join(STANDINS_DIR, 'lib/k8s/manifests');
const manifest = (f: string) => ({ source: f, text: readFileSync(join(MANIFESTS, f), 'utf8') });

function cluster(workers = 2) {
  const st = newCluster({ caId: 'x', caHash: 'sha256:0', endpoint: '192.168.90.110:6443', advertise: '192.168.90.110', podSubnet: '192.168.0.0/16', serviceSubnet: '10.90.0.0/16', dnsDomain: 'cluster.local', nodeName: 'control1.example.com' });
  put(st, nodeObject('control1.example.com', '192.168.90.110', true));
  for (let i = 1; i <= workers; i++) put(st, nodeObject(`worker${i}.example.com`, `192.168.90.1${i + 1}0`, false));
  reconcile(st);
  return st;
}
const k = async (st: ReturnType<typeof newCluster>, line: string, docs?: { source: string; text: string }[]) => kubectl(st, { argv: line.split(' '), docs });
const ready = (n: Obj) => n.status.conditions.find((c: Obj) => c.type === 'Ready');

describe('a cluster before its CNI', () => {
  it('nodes are NotReady with the runtime network message; coredns is Pending on the not-ready taint', async () => {
    const st = cluster();
    for (const n of list(st, 'Node')) {
      expect(ready(n)).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
      expect(ready(n).message).toContain('NetworkReady=false reason:NetworkPluginNotReady');
    }
    const dns = list(st, 'Pod', 'kube-system').filter((p: Obj) => p.metadata.labels['k8s-app'] === 'kube-dns');
    expect(dns).toHaveLength(2);
    for (const p of dns) {
      expect(p.status.phase).toBe('Pending');
      expect(p.status.conditions[0].message).toMatch(/^0\/3 nodes are available: 3 node\(s\) had untolerated taint \{node\.kubernetes\.io\/not-ready: \}\./);
    }
  });

  it('an Installation before the operator manifest is a resource mapping error; get of an absent CRD kind is a finding', async () => {
    const st = cluster();
    const r = await k(st, 'create -f calico-quay-crd.yaml', [manifest('calico-quay-crd.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no matches for kind "Installation" in version "operator.tigera.io/v1"');
    const g = await k(st, 'get pods,installations.operator.tigera.io -A -o json');
    expect(g).toMatchObject({ code: 1, stdout: '', stderr: 'error: the server doesn\'t have a resource type "installations"\n' });
  });
});

describe('Calico from the course manifests', () => {
  it('quay.io: calico-system pods Run, nodes Ready, coredns Runs', async () => {
    const st = cluster();
    expect((await k(st, 'create -f x', [manifest('tigera-operator.yaml')])).code).toBe(0);
    const r = await k(st, 'create -f x', [manifest('calico-quay-crd.yaml')]);
    expect(r.stdout).toBe('installation.operator.tigera.io/default created\n');
    const nodes = list(st, 'Node');
    expect(nodes.map((n: Obj) => ready(n).status)).toEqual(['True', 'True', 'True']);
    const calicoNode = list(st, 'Pod', 'calico-system').filter((p: Obj) => p.metadata.labels['k8s-app'] === 'calico-node');
    expect(calicoNode.map((p: Obj) => p.spec.containers[0].image)).toEqual(Array(3).fill('quay.io/calico/node:v3.26.4'));
    expect(list(st, 'Pod', 'kube-system').every(isReady)).toBe(true);
    expect(get(st, 'Installation', '', 'default').spec.registry).toBe('quay.io/');
  });

  it('without a registry (docker.io, blocked): ImagePullBackOff and nodes stay NotReady', async () => {
    const st = cluster();
    await k(st, 'create -f x', [manifest('tigera-operator.yaml')]);
    const docker = manifest('calico-quay-crd.yaml').text.replace(/\n\s*registry: quay.io\s*$/, '\n');
    await k(st, 'create -f x', [{ source: 'custom-resources.yaml', text: docker }]);
    const cn = list(st, 'Pod', 'calico-system').filter((p: Obj) => p.metadata.labels['k8s-app'] === 'calico-node');
    expect(cn[0].status.containerStatuses[0].state.waiting).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "docker.io/calico/node:v3.26.4"' });
    expect(list(st, 'Node').map((n: Obj) => ready(n).status)).toEqual(['False', 'False', 'False']);
  });
});

async function withCalico(workers = 2) {
  const st = cluster(workers);
  await k(st, 'create -f x', [manifest('tigera-operator.yaml')]);
  await k(st, 'create -f x', [manifest('calico-quay-crd.yaml')]);
  return st;
}

describe('a kubelet that stops posting', () => {
  it('its node goes Unknown (NodeStatusUnknown) and comes back Ready', async () => {
    const st = await withCalico();
    st.cluster.kubeletDown = { 'worker2.example.com': true };
    reconcile(st);
    const c = ready(get(st, 'Node', '', 'worker2.example.com'));
    expect(c).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    st.cluster.kubeletDown = {};
    reconcile(st);
    const n = get(st, 'Node', '', 'worker2.example.com');
    expect(ready(n).status).toBe('True');
    expect(n.spec.taints).toBeUndefined();
  });
});

describe('the course objects', () => {
  it('kubectl run + expose --type=NodePort: run=<name> labels, selector copied, endpoints from the ready pod', async () => {
    const st = await withCalico();
    expect((await k(st, 'run test-httpd --image=quay.io/centos7/httpd-24-centos7')).stdout).toBe('pod/test-httpd created\n');
    expect((await k(st, 'expose pod --port=8080 --type=NodePort --name=np-test-httpd test-httpd')).stdout).toBe('service/np-test-httpd exposed\n');
    const pod = get(st, 'Pod', 'default', 'test-httpd');
    expect(pod.metadata.labels).toEqual({ run: 'test-httpd' });
    expect(isReady(pod)).toBe(true);
    expect(pod.spec.nodeName).toMatch(/^worker/);
    const svc = get(st, 'Service', 'default', 'np-test-httpd');
    expect(svc.spec).toMatchObject({ type: 'NodePort', selector: { run: 'test-httpd' } });
    expect(svc.spec.ports[0]).toMatchObject({ port: 8080, targetPort: 8080, protocol: 'TCP' });
    expect(svc.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(svc.spec.clusterIP).toMatch(/^10\.90\./);
    expect(get(st, 'Endpoints', 'default', 'np-test-httpd').subsets[0].addresses[0].ip).toBe(pod.status.podIP);
  });

  it('an image the class cannot pull is ImagePullBackOff; centos without a command CrashLoopBackOff', async () => {
    const st = await withCalico();
    await k(st, 'run web --image=docker.io/library/nginx');
    await k(st, 'run test-centos --image=quay.io/centos/centos:stream9');
    await k(st, 'run ok-centos --image=quay.io/centos/centos:stream9 sleep 10000');
    expect(get(st, 'Pod', 'default', 'web').status.containerStatuses[0].state.waiting.reason).toBe('ImagePullBackOff');
    const c = get(st, 'Pod', 'default', 'test-centos').status.containerStatuses[0];
    expect(c.state.waiting.reason).toBe('CrashLoopBackOff');
    expect(c.lastState.terminated.exitCode).toBe(0);
    const ok = get(st, 'Pod', 'default', 'ok-centos');
    expect(ok.spec.containers[0].args).toEqual(['sleep', '10000']);
    expect(isReady(ok)).toBe(true);
  });

  it('a Deployment makes a ReplicaSet and its pods; status counters omit zeros', async () => {
    const st = await withCalico();
    await k(st, 'create namespace release-apache');
    await k(st, 'create deployment web -n release-apache --image=quay.io/centos7/httpd-24-centos7 --replicas=5 --port=8080');
    const d = get(st, 'Deployment', 'release-apache', 'web');
    expect(d.status).toMatchObject({ replicas: 5, readyReplicas: 5, availableReplicas: 5 });
    expect(d.status.unavailableReplicas).toBeUndefined();
    expect(list(st, 'ReplicaSet', 'release-apache')).toHaveLength(1);
    expect(list(st, 'Pod', 'release-apache')).toHaveLength(5);
    await k(st, 'create deployment bad -n release-apache --image=httpd --replicas=2');
    expect(get(st, 'Deployment', 'release-apache', 'bad').status.readyReplicas).toBeUndefined();
  });

  it('a PVC binds the PV that fits its class, modes and size; a bigger claim stays Pending', async () => {
    const st = await withCalico();
    const pv = (name: string, size: string) => `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: ${name}\nspec:\n  capacity:\n    storage: ${size}\n  accessModes: [ReadWriteMany]\n  nfs:\n    server: 192.168.90.110\n    path: /nfs/manual-pv\n`;
    const pvc = (name: string, size: string) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${name}\nspec:\n  storageClassName: ""\n  accessModes: [ReadWriteMany]\n  resources:\n    requests:\n      storage: ${size}\n`;
    await k(st, 'apply -f pv.yaml', [{ source: 'pv.yaml', text: pv('nfs-pv', '1Gi') }]);
    await k(st, 'apply -f pvc.yaml', [{ source: 'pvc.yaml', text: `${pvc('nfs-pvc', '1Gi')}---\n${pvc('big', '2Gi')}` }]);
    expect(get(st, 'PersistentVolumeClaim', 'default', 'nfs-pvc')).toMatchObject({ spec: { volumeName: 'nfs-pv' }, status: { phase: 'Bound' } });
    expect(get(st, 'PersistentVolume', '', 'nfs-pv').spec.claimRef.name).toBe('nfs-pvc');
    expect(get(st, 'PersistentVolumeClaim', 'default', 'big').status.phase).toBe('Pending');
  });

  it('apply is idempotent: unchanged the second time, no new resourceVersion', async () => {
    const st = await withCalico();
    const ns = { source: 'ns.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: second-namespace\n  labels:\n    type: namespace\n' };
    expect((await k(st, 'apply -f ns.yaml', [ns])).stdout).toBe('namespace/second-namespace created\n');
    const rv = st.rv;
    expect((await k(st, 'apply -f ns.yaml', [ns])).stdout).toBe('namespace/second-namespace unchanged\n');
    expect(st.rv).toBe(rv);
  });
});

describe('output', () => {
  it('get -o json: a List with sorted keys and 4-space indent; a named object bare; -o name', async () => {
    const st = await withCalico();
    const r = await k(st, 'get nodes -o json');
    expect(r.stdout.startsWith('{\n    "apiVersion": "v1",\n    "items": [\n')).toBe(true);
    expect(r.stdout.endsWith('    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')).toBe(true);
    expect(JSON.parse((await k(st, 'get ns default -o json')).stdout).kind).toBe('Namespace');
    expect((await k(st, 'get deploy -n tigera-operator -o name')).stdout).toBe('deployment.apps/tigera-operator\n');
    expect((await k(st, 'get pod nope')).stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect((await k(st, 'get pods')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('tables are padded by 3 like kubectl\'s tabwriter; jsonpath reads fields, lists and ranges', () => {
    expect(table([['NAME', 'STATUS'], ['control1.example.com', 'Ready']])).toBe('NAME                   STATUS\ncontrol1.example.com   Ready\n');
    const data = { items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }], spec: { ports: [{ nodePort: 31000 }] } };
    expect(jsonpath('{.spec.ports[0].nodePort}', data)).toBe('31000');
    expect(jsonpath('{.items[*].metadata.name}', data)).toBe('a b');
    expect(jsonpath('{range .items[*]}{.metadata.name}{"\\n"}{end}', data)).toBe('a\nb\n');
  });
});

describe('day 4: namespaces, the release-apache Deployment and Service (the files of scripts/solutions/day4.sh)', () => {
  const script = readFileSync(join(import.meta.dirname, '../../scripts/solutions/day4.sh'), 'utf8');
  /** a heredoc of day4.sh, as the script writes it */
  const file = (name: string) => {
    const start = script.indexOf(`cat >${name} <<'EOF'\n`);
    if (start < 0) throw new Error(`day4.sh writes no ${name}`);
    const body = script.slice(start + `cat >${name} <<'EOF'\n`.length);
    return { source: name, text: body.slice(0, body.indexOf('\nEOF\n') + 1) };
  };

  it('create namespace --dry-run=client -o yaml prints the typed object; create, label and get --show-labels', async () => {
    const st = await withCalico();
    const dry = await k(st, 'create namespace first-namespace -o=yaml --dry-run=client');
    expect(dry.stdout).toBe('apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: null\n  name: first-namespace\nspec: {}\nstatus: {}\n');
    expect(get(st, 'Namespace', '', 'first-namespace')).toBeUndefined();
    expect((await k(st, 'create -f first-namespace.yaml', [{ source: 'first-namespace.yaml', text: dry.stdout }])).stdout).toBe('namespace/first-namespace created\n');
    expect(get(st, 'Namespace', '', 'first-namespace').spec).toEqual({ finalizers: ['kubernetes'] });
    expect((await k(st, 'create -f second-namespace.yaml', [file('second-namespace.yaml')])).stdout).toBe('namespace/second-namespace created\n');
    expect((await k(st, 'apply -f wordpress-namespace.yaml', [file('wordpress-namespace.yaml')])).stdout).toBe('namespace/wordpress-service created\n');
    expect((await k(st, 'label namespace first-namespace tier=web')).stdout).toBe('namespace/first-namespace labeled\n');
    expect((await k(st, 'label ns second-namespace type=other')).stderr).toBe("error: 'type' already has a value (namespace), and --overwrite is false\n");
    const t = (await k(st, 'get ns -l type=namespace --show-labels')).stdout.split('\n');
    expect(t[0]).toMatch(/^NAME {16}STATUS {3}AGE {3}LABELS$/);
    expect(t[1]).toMatch(/^second-namespace {4}Active {3}\d+s +kubernetes\.io\/metadata\.name=second-namespace,type=namespace$/);
    expect(t[2]).toMatch(/^wordpress-service {3}Active .*service=wordpress,type=namespace$/);
  });

  it('release-apache.yaml: namespace and Deployment, 5 pods of two containers Running on the workers; the Service gets its nodePorts and 5 endpoints', async () => {
    const st = await withCalico();
    expect((await k(st, 'apply -f release-apache.yaml', [file('release-apache.yaml')])).stdout).toBe('namespace/release-apache created\ndeployment.apps/release-apache created\n');
    const d = get(st, 'Deployment', 'release-apache', 'release-apache');
    expect(d.status).toMatchObject({ replicas: 5, readyReplicas: 5, availableReplicas: 5 });
    const pods = list(st, 'Pod', 'release-apache');
    expect(pods).toHaveLength(5);
    expect(pods.every(isReady)).toBe(true);
    expect(pods.every((p: Obj) => p.metadata.labels.run === 'release-apache' && /^worker/.test(p.spec.nodeName))).toBe(true);
    expect(pods[0].status.containerStatuses.map((c: Obj) => c.name)).toEqual(['release-apache', 'release-vsftp']);
    expect((await k(st, 'apply -f release-apache-svc.yaml', [file('release-apache-svc.yaml')])).stdout).toBe('service/release-apache created\n');
    const svc = get(st, 'Service', 'release-apache', 'release-apache');
    expect(svc.spec.ports.map((p: Obj) => `${p.name} ${p.port}->${p.targetPort} ${p.nodePort}`)).toEqual(['apache 8080->8080 32080', 'vsftpd 21->21 32021']);
    const ep = get(st, 'Endpoints', 'release-apache', 'release-apache');
    expect(ep.subsets[0].addresses).toHaveLength(5);
    expect(ep.subsets[0].ports).toEqual([{ name: 'apache', port: 8080, protocol: 'TCP' }, { name: 'vsftpd', port: 21, protocol: 'TCP' }]);
    const svcTable = (await k(st, 'get svc -n release-apache')).stdout;
    expect(svcTable).toMatch(/^release-apache {3}NodePort {3}10\.90\.\d+\.\d+ +<none> {8}8080:32080\/TCP,21:32021\/TCP {3}\d+s\n$/m);
  });

  it('the API server refuses a nodePort out of range or already allocated, as kubectl prints an Invalid status', async () => {
    const st = await withCalico();
    await k(st, 'apply -f release-apache.yaml', [file('release-apache.yaml')]);
    await k(st, 'apply -f release-apache-svc.yaml', [file('release-apache-svc.yaml')]);
    const other = (np: number) => ({ source: 'x.yaml', text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  type: NodePort\n  selector:\n    run: x\n  ports:\n  - port: 80\n    nodePort: ${np}\n` });
    expect(await k(st, 'apply -f x.yaml', [other(32080)])).toMatchObject({ code: 1, stderr: 'The Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 32080: provided port is already allocated\n' });
    expect((await k(st, 'create -f x.yaml', [other(80)])).stderr).toBe('The Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767\n');
    // applying the same Service again keeps its own ports
    expect((await k(st, 'apply -f release-apache-svc.yaml', [file('release-apache-svc.yaml')])).stdout).toBe('service/release-apache unchanged\n');
  });

  it('scale to 3; a container image the class cannot pull: 0/5 ready, each pod ImagePullBackOff; create deployment names containers after images', async () => {
    const st = await withCalico();
    await k(st, 'apply -f release-apache.yaml', [file('release-apache.yaml')]);
    expect((await k(st, 'scale deployment release-apache -n release-apache --replicas=3')).stdout).toBe('deployment.apps/release-apache scaled\n');
    expect(list(st, 'Pod', 'release-apache')).toHaveLength(3);
    const bad = file('release-apache.yaml').text.replace('image: quay.io/eformat/openshift-vsftpd', 'image: eformat/openshift-vsftpd');
    await k(st, 'delete namespace release-apache');
    await k(st, 'apply -f release-apache.yaml', [{ source: 'release-apache.yaml', text: bad }]);
    expect(get(st, 'Deployment', 'release-apache', 'release-apache').status.readyReplicas).toBeUndefined();
    const w = list(st, 'Pod', 'release-apache').map((p: Obj) => p.status.containerStatuses[1].state.waiting);
    expect(w).toEqual(Array(5).fill({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "eformat/openshift-vsftpd"' }));
    await k(st, 'create deployment two --image=quay.io/centos7/httpd-24-centos7 --image=quay.io/eformat/openshift-vsftpd:latest --port=8080');
    const c = get(st, 'Deployment', 'default', 'two').spec.template.spec.containers;
    expect(c.map((x: Obj) => [x.name, x.ports])).toEqual([['httpd-24-centos7', [{ containerPort: 8080, protocol: 'TCP' }]], ['openshift-vsftpd', undefined]]);
  });
});

describe('withInit: day 3 built with another kubeadm init line (ClusterFault.init)', async () => {
  const { withInit } = await import('../../src/lab/cluster.ts');
  const { SOLUTIONS_DIR } = await import('../../src/lab/paths.ts');
  const day3 = readFileSync(join(SOLUTIONS_DIR, 'day3.sh'), 'utf8');
  const other = 'kubeadm init --apiserver-advertise-address=192.168.90.110 --pod-network-cidr=192.168.0.0/16';

  it('replaces the course\'s init line and nothing else', () => {
    const out = withInit(day3, other);
    expect(out).toContain(`      ${other} >&2\n`);
    expect(out).not.toContain('--service-cidr=10.90.0.0/16 >&2');
    expect(out.split('\n').length).toBe(day3.split('\n').length);
  });

  it('refuses a line that is not a plain kubeadm init, and a script without the course\'s line', () => {
    expect(() => withInit(day3, 'kubeadm init; rm -rf /')).toThrow(/not a plain kubeadm init/);
    expect(() => withInit(day3, 'kubeadm reset --force')).toThrow(/not a plain kubeadm init/);
    expect(() => withInit('echo hi\n', other)).toThrow(/no `kubeadm init` line/);
  });
});
