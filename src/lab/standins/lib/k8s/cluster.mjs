// Not @ts-check: Kubernetes objects are untyped JSON here, as in kubectl's unstructured client.
// The simulated cluster's state and controllers. State is one JSON file on the student's control1
// (/var/lib/etcd/lg-cluster.json: etcd's data dir on a kubeadm node), owned by the kube-apiserver
// stand-in. Controllers run after every change and never on a read, so grading (reads) changes nothing.
// Object shapes: kubernetes/api @ kubernetes-1.24.17 (core/v1, apps/v1, storage/v1 types.go);
// condition reasons and messages: ../shared/reference/kubernetes-1.24.md §3-§5, §8 with their sources.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const K8S_VERSION = 'v1.24.17';
export const CALICO_VERSION = 'v3.26.4';
export const OPERATOR_VERSION = 'v1.30.9';

/**
 * Resource types: plural, short names, kind, apiVersion, namespaced, and the CRD that must exist first.
 * Names and short names: `kubectl api-resources` of a 1.24 cluster.
 */
export const RESOURCES = [
  { plural: 'pods', singular: 'pod', short: ['po'], kind: 'Pod', apiVersion: 'v1', namespaced: true },
  { plural: 'services', singular: 'service', short: ['svc'], kind: 'Service', apiVersion: 'v1', namespaced: true },
  { plural: 'endpoints', singular: 'endpoints', short: ['ep'], kind: 'Endpoints', apiVersion: 'v1', namespaced: true },
  { plural: 'namespaces', singular: 'namespace', short: ['ns'], kind: 'Namespace', apiVersion: 'v1', namespaced: false },
  { plural: 'nodes', singular: 'node', short: ['no'], kind: 'Node', apiVersion: 'v1', namespaced: false },
  { plural: 'configmaps', singular: 'configmap', short: ['cm'], kind: 'ConfigMap', apiVersion: 'v1', namespaced: true },
  { plural: 'serviceaccounts', singular: 'serviceaccount', short: ['sa'], kind: 'ServiceAccount', apiVersion: 'v1', namespaced: true },
  { plural: 'persistentvolumes', singular: 'persistentvolume', short: ['pv'], kind: 'PersistentVolume', apiVersion: 'v1', namespaced: false },
  { plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', short: ['pvc'], kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespaced: true },
  { plural: 'deployments', singular: 'deployment', short: ['deploy'], kind: 'Deployment', apiVersion: 'apps/v1', namespaced: true },
  { plural: 'replicasets', singular: 'replicaset', short: ['rs'], kind: 'ReplicaSet', apiVersion: 'apps/v1', namespaced: true },
  { plural: 'daemonsets', singular: 'daemonset', short: ['ds'], kind: 'DaemonSet', apiVersion: 'apps/v1', namespaced: true },
  { plural: 'storageclasses', singular: 'storageclass', short: ['sc'], kind: 'StorageClass', apiVersion: 'storage.k8s.io/v1', namespaced: false },
  { plural: 'csidrivers', singular: 'csidriver', short: [], kind: 'CSIDriver', apiVersion: 'storage.k8s.io/v1', namespaced: false },
  { plural: 'clusterroles', singular: 'clusterrole', short: [], kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: false },
  { plural: 'clusterrolebindings', singular: 'clusterrolebinding', short: [], kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: false },
  { plural: 'roles', singular: 'role', short: [], kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: true },
  { plural: 'rolebindings', singular: 'rolebinding', short: [], kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: true },
  { plural: 'customresourcedefinitions', singular: 'customresourcedefinition', short: ['crd', 'crds'], kind: 'CustomResourceDefinition', apiVersion: 'apiextensions.k8s.io/v1', namespaced: false },
  { plural: 'installations', singular: 'installation', short: [], kind: 'Installation', apiVersion: 'operator.tigera.io/v1', namespaced: false, crd: 'installations.operator.tigera.io' },
  { plural: 'apiservers', singular: 'apiserver', short: [], kind: 'APIServer', apiVersion: 'operator.tigera.io/v1', namespaced: false, crd: 'apiservers.operator.tigera.io' },
  { plural: 'tigerastatuses', singular: 'tigerastatus', short: [], kind: 'TigeraStatus', apiVersion: 'operator.tigera.io/v1', namespaced: false, crd: 'tigerastatuses.operator.tigera.io' },
];

/** @typedef {typeof RESOURCES[number]} Resource */
/** @typedef {Record<string, any>} Obj */
/** @typedef {{ rv: number, seq: number, cluster: Record<string, any>, objects: Record<string, Obj> }} State */

/** Images the offline class can pull: the course's (quay.io) and the control plane's (registry.k8s.io). docker.io is blocked ([course] notes, day 3). */
export function pullable(image) {
  const ref = String(image ?? '');
  const name = ref.split(/[:@]/)[0];
  const known = [
    'quay.io/centos7/httpd-24-centos7',
    'quay.io/centos/centos',
    'quay.io/eformat/openshift-vsftpd',
    'quay.io/redhattraining/hello-world-nginx',
    'quay.io/tigera/operator',
    'quay.io/calico/node',
    'quay.io/calico/cni',
    'quay.io/calico/pod2daemon-flexvol',
    'quay.io/calico/kube-controllers',
    'quay.io/calico/typha',
    'quay.io/calico/csi',
    'quay.io/calico/node-driver-registrar',
    'quay.io/calico/apiserver',
  ];
  if (known.includes(name)) return true;
  return name.startsWith('registry.k8s.io/') || name.startsWith('k8s.gcr.io/');
}

export function resourceFor(word) {
  const w = String(word).toLowerCase();
  const [base, ...group] = w.split('.');
  return RESOURCES.find(
    (r) =>
      (r.plural === base || r.singular === base || r.short.includes(base) || r.kind.toLowerCase() === base) &&
      (!group.length || r.apiVersion.startsWith(group.join('.')) || (r.apiVersion === 'v1' && group.join('.') === '')),
  );
}
export const resourceOfKind = (kind, apiVersion) =>
  RESOURCES.find((r) => r.kind === kind && (!apiVersion || r.apiVersion === apiVersion || r.apiVersion.split('/')[0] === apiVersion.split('/')[0]));

/** Whether the resource type is served now (a CRD kind only once its CRD exists). */
export function served(st, r) {
  return !r.crd || Boolean(st.objects[key('CustomResourceDefinition', '', r.crd)]);
}

export const key = (kind, ns, name) => `${kind}/${ns || ''}/${name}`;

export function load(path) {
  if (!existsSync(path)) return undefined;
  return /** @type {State} */ (JSON.parse(readFileSync(path, 'utf8')));
}
export function save(path, st) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(st));
  renameSync(`${path}.tmp`, path);
}

/** Deterministic names: kube-controller-manager's pod-template-hash uses these 27 characters (apimachinery rand.SafeEncodeString). */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
export function safeHash(s, n) {
  const h = createHash('sha256').update(s).digest();
  let out = '';
  for (let i = 0; i < n; i++) out += SAFE[h[i] % SAFE.length];
  return out;
}
const uid = (st) => {
  const h = createHash('sha256').update(`${st.cluster.caId}/${st.seq++}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
export const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** A new cluster, as kubeadm init leaves it (before any CNI). */
export function newCluster(opts) {
  /** @type {State} */
  const st = { rv: 1000, seq: 1, cluster: { ...opts, tokens: [], nodePorts: [], serviceIPs: [] }, objects: {} };
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) put(st, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  put(st, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], type: 'ClusterIP' },
  });
  put(st, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' } },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }, { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 }],
      type: 'ClusterIP',
    },
  });
  // kubeadm's addons: CoreDNS (2 replicas) and kube-proxy (a DaemonSet); its ConfigMaps (reference §6).
  put(st, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.8.6', ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }] }],
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoSchedule', key: 'node-role.kubernetes.io/master' }, { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }],
        },
      },
    },
  });
  put(st, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: { hostNetwork: true, containers: [{ name: 'kube-proxy', image: `registry.k8s.io/kube-proxy:${K8S_VERSION}` }], tolerations: [{ operator: 'Exists' }] },
      },
    },
  });
  // the control plane's static pods, as their mirror pods (kubelet), on the control-plane node
  const statics = {
    etcd: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${opts.advertise}:2379` },
    'kube-apiserver': { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${opts.advertise}:6443` },
    'kube-controller-manager': {},
    'kube-scheduler': {},
  };
  for (const [c, annotations] of Object.entries(statics)) {
    put(st, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${c}-${opts.nodeName}`, namespace: 'kube-system', labels: { component: c, tier: 'control-plane' }, annotations: { ...annotations, 'kubernetes.io/config.source': 'file' } },
      spec: { nodeName: opts.nodeName, hostNetwork: true, priorityClassName: 'system-node-critical', containers: [{ name: c, image: `k8s.gcr.io/${c}:${c === 'etcd' ? '3.5.6-0' : K8S_VERSION}` }], tolerations: [{ effect: 'NoExecute', operator: 'Exists' }] },
    });
  }
  const cc = clusterConfiguration(opts);
  put(st, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { ClusterConfiguration: cc } });
  put(st, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubelet-config', namespace: 'kube-system' }, data: { kubelet: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n' } });
  put(st, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public' }, data: { kubeconfig: `apiVersion: v1\nclusters:\n- cluster:\n    server: https://${opts.endpoint}\n  name: ""\n` } });
  return st;
}

/** kubeadm-config's ClusterConfiguration (kubeadm.k8s.io/v1beta3, fields of a 1.24 cluster: reference §6). */
export function clusterConfiguration(o) {
  return [
    'apiServer:',
    '  extraArgs:',
    '    authorization-mode: Node,RBAC',
    '  timeoutForControlPlane: 4m0s',
    'apiVersion: kubeadm.k8s.io/v1beta3',
    'certificatesDir: /etc/kubernetes/pki',
    'clusterName: kubernetes',
    ...(o.controlPlaneEndpoint ? [`controlPlaneEndpoint: ${o.controlPlaneEndpoint}`] : []),
    'controllerManager: {}',
    'dns: {}',
    'etcd:',
    '  local:',
    '    dataDir: /var/lib/etcd',
    'imageRepository: k8s.gcr.io',
    'kind: ClusterConfiguration',
    `kubernetesVersion: ${K8S_VERSION}`,
    'networking:',
    `  dnsDomain: ${o.dnsDomain}`,
    ...(o.podSubnet ? [`  podSubnet: ${o.podSubnet}`] : []),
    `  serviceSubnet: ${o.serviceSubnet}`,
    'scheduler: {}',
    '',
  ].join('\n');
}

export function get(st, kind, ns, name) {
  return st.objects[key(kind, ns, name)];
}
export function list(st, kind, ns) {
  return Object.values(st.objects)
    .filter((o) => o.kind === kind && (ns === undefined || (o.metadata.namespace ?? '') === ns))
    .sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
}

/** Stores an object, filling what the API server fills (uid, resourceVersion, creationTimestamp, defaults). */
export function put(st, obj) {
  const r = resourceOfKind(obj.kind, obj.apiVersion);
  const md = (obj.metadata ??= {});
  if (!r?.namespaced) delete md.namespace;
  else md.namespace ??= 'default';
  const k = key(obj.kind, md.namespace, md.name);
  const old = st.objects[k];
  if (old) {
    md.uid = old.metadata.uid;
    md.creationTimestamp = old.metadata.creationTimestamp;
    defaults(st, obj);
    if (canonical(stripMeta(old)) === canonical(stripMeta(obj))) return old;
  } else {
    md.uid ??= uid(st);
    md.creationTimestamp ??= now();
    defaults(st, obj);
  }
  md.resourceVersion = String(++st.rv);
  st.objects[k] = obj;
  return obj;
}
/** JSON with sorted keys: an applied object whose fields come in another order is unchanged (the API compares values). */
const canonical = (v) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
const stripMeta = (o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, uid: undefined, creationTimestamp: undefined } });

export function remove(st, kind, ns, name) {
  const k = key(kind, ns, name);
  const o = st.objects[k];
  if (!o) return undefined;
  delete st.objects[k];
  st.rv++;
  if (kind === 'Namespace') for (const [k2, x] of Object.entries(st.objects)) if (x.metadata.namespace === name) delete st.objects[k2];
  if (kind === 'Service') {
    delete st.objects[key('Endpoints', ns, name)];
    st.cluster.nodePorts = st.cluster.nodePorts.filter((p) => !(o.spec.ports ?? []).some((q) => q.nodePort === p));
  }
  // owned objects go with their owner (garbage collector, background propagation)
  for (const x of Object.values(st.objects)) if ((x.metadata.ownerReferences ?? []).some((r) => r.uid === o.metadata.uid)) remove(st, x.kind, x.metadata.namespace, x.metadata.name);
  return o;
}

/** Server-side defaults the course's objects show (API defaults, apiserver allocation). */
function defaults(st, o) {
  if (o.kind === 'Namespace') {
    o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name };
    // the namespace strategy's PrepareForCreate sets the finalizer whatever spec came in (`spec: {}` from kubectl create)
    o.spec = { ...(o.spec ?? {}), finalizers: ['kubernetes'] };
    o.status = { phase: 'Active' };
  }
  if (o.kind === 'Service') {
    const s = (o.spec ??= {});
    s.type ??= 'ClusterIP';
    s.sessionAffinity ??= 'None';
    for (const p of s.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
      if ((s.type === 'NodePort' || s.type === 'LoadBalancer') && !p.nodePort) p.nodePort = allocNodePort(st);
      if (p.nodePort && !st.cluster.nodePorts.includes(p.nodePort)) st.cluster.nodePorts.push(p.nodePort);
    }
    if (!s.clusterIP) s.clusterIP = allocServiceIP(st, o.metadata.name === 'kubernetes' ? 1 : o.metadata.name === 'kube-dns' ? 10 : undefined);
    s.clusterIPs = [s.clusterIP];
    s.ipFamilies ??= ['IPv4'];
    s.ipFamilyPolicy ??= 'SingleStack';
    if (s.type === 'NodePort') s.externalTrafficPolicy ??= 'Cluster';
    s.internalTrafficPolicy ??= 'Cluster';
    o.status ??= { loadBalancer: {} };
  }
  if (o.kind === 'Pod') {
    const s = (o.spec ??= {});
    s.restartPolicy ??= 'Always';
    s.dnsPolicy ??= 'ClusterFirst';
    s.schedulerName ??= 'default-scheduler';
    s.terminationGracePeriodSeconds ??= 30;
    for (const c of s.containers ?? []) {
      c.imagePullPolicy ??= /:latest$|^[^:]*$/.test(c.image ?? '') ? 'Always' : 'IfNotPresent';
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      for (const p of c.ports ?? []) p.protocol ??= 'TCP';
    }
    s.tolerations ??= [];
    for (const k of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      if (!s.tolerations.some((t) => t.key === k)) s.tolerations.push({ effect: 'NoExecute', key: k, operator: 'Exists', tolerationSeconds: 300 });
    }
    o.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
  }
  if (o.kind === 'Deployment') {
    const s = (o.spec ??= {});
    // SetDefaults_ContainerPort applies to pod templates too
    for (const c of s.template?.spec?.containers ?? []) for (const p of c.ports ?? []) p.protocol ??= 'TCP';
    s.replicas ??= 1;
    s.revisionHistoryLimit ??= 10;
    s.progressDeadlineSeconds ??= 600;
    s.strategy ??= { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' };
    o.status ??= {};
  }
  if (o.kind === 'PersistentVolume') {
    o.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    o.spec.volumeMode ??= 'Filesystem';
    o.status ??= { phase: 'Available' };
  }
  if (o.kind === 'PersistentVolumeClaim') {
    o.spec.volumeMode ??= 'Filesystem';
    if (o.spec.storageClassName === undefined) {
      const def = list(st, 'StorageClass').find((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
      if (def) o.spec.storageClassName = def.metadata.name;
    }
    o.status ??= { phase: 'Pending' };
  }
  if (o.kind === 'StorageClass') {
    o.reclaimPolicy ??= 'Delete';
    o.volumeBindingMode ??= 'Immediate';
  }
}

/** Service IPs: the service CIDR's .1 is the kubernetes Service, .10 kube-dns (kubeadm), others counted up. */
function allocServiceIP(st, fixed) {
  const [base, bits] = String(st.cluster.serviceSubnet).split('/');
  const b = base.split('.').map(Number);
  const n = ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
  const size = 2 ** (32 - Number(bits));
  let off = fixed;
  if (off === undefined) {
    off = 100 + (st.seq * 37) % Math.max(1, size - 110);
    while (st.cluster.serviceIPs.includes(off)) off = off + 1 >= size - 1 ? 11 : off + 1;
  }
  st.cluster.serviceIPs.push(off);
  const ip = n + off;
  return [ip >>> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255].join('.');
}
function allocNodePort(st) {
  let p = 30000 + ((st.seq * 7919) % 2768);
  while (st.cluster.nodePorts.includes(p)) p = p >= 32767 ? 30000 : p + 1;
  st.cluster.nodePorts.push(p);
  return p;
}

const matches = (sel, labels) => Object.entries(sel ?? {}).every(([k, v]) => (labels ?? {})[k] === v);
export const selectorMatches = (sel, labels) => Boolean(sel) && Object.keys(sel).length > 0 && matches(sel, labels);

/** Node condition texts: kubelet setters.go and CRI-O's NotReady message (reference §4). */
const NOT_READY_MSG =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/cni/net.d/. Has your network provider started?';

/** A Node as the kubelet registers it (kubeadm init: control-plane label and taints, reference §4). */
export function nodeObject(name, ip, controlPlane) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
      },
      annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/crio/crio.sock', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: controlPlane
      ? { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/master' }, { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] }
      : {},
    status: {
      addresses: [{ address: ip, type: 'InternalIP' }, { address: name, type: 'Hostname' }],
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: 'cri-o://1.24.6',
        kernelVersion: '5.14.0-362.8.1.el9_3.x86_64',
        kubeProxyVersion: K8S_VERSION,
        kubeletVersion: K8S_VERSION,
        operatingSystem: 'linux',
        osImage: 'Rocky Linux 9.3 (Blue Onyx)',
      },
      conditions: [],
    },
  };
}

function setNodeReady(st, n, ready) {
  const since = n.metadata.creationTimestamp;
  const c = (type, status, reason, message) => ({ lastHeartbeatTime: since, lastTransitionTime: since, message, reason, status, type });
  const conds = [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready ? c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status') : c('Ready', 'False', 'KubeletNotReady', NOT_READY_MSG),
  ];
  // Calico sets NetworkUnavailable when it runs on the node (calico node/pkg/lifecycle/utils/utils.go)
  if (ready) conds.unshift(c('NetworkUnavailable', 'False', 'CalicoIsUp', 'Calico is running on this node'));
  const taints = (n.spec.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/not-ready' && t.key !== 'node.kubernetes.io/unreachable');
  if (!ready) taints.push({ effect: 'NoSchedule', key: 'node.kubernetes.io/not-ready' });
  const next = { ...n, spec: { ...n.spec, ...(taints.length ? { taints } : {}) }, status: { ...n.status, conditions: conds } };
  if (!taints.length) delete next.spec.taints;
  put(st, next);
}

/** The node lifecycle controller when a kubelet stops posting (kube-controller-manager node_lifecycle_controller.go). */
function setNodeUnknown(st, n) {
  const since = n.metadata.creationTimestamp;
  const conds = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
    lastHeartbeatTime: since, lastTransitionTime: since, message: 'Kubelet stopped posting node status.', reason: 'NodeStatusUnknown', status: 'Unknown', type,
  }));
  const taints = [...(n.spec.taints ?? []).filter((t) => !t.key.startsWith('node.kubernetes.io/')), { effect: 'NoSchedule', key: 'node.kubernetes.io/unreachable' }, { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable' }];
  put(st, { ...n, spec: { ...n.spec, taints }, status: { ...n.status, conditions: conds } });
}

const ownerRef = (o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true });

/** Runs every controller until nothing changes. */
export function reconcile(st) {
  for (let i = 0; i < 8; i++) {
    const before = st.rv;
    nodeReadiness(st);
    operator(st);
    workloads(st);
    schedule(st);
    endpoints(st);
    volumes(st);
    if (st.rv === before) return;
  }
}

/** The tigera operator (tigera/operator v1.30, reference §8): renders calico-system from Installation `default`. */
function operator(st) {
  const inst = get(st, 'Installation', '', 'default');
  const op = list(st, 'Pod', 'tigera-operator').find((p) => p.metadata.labels?.name === 'tigera-operator' && isReady(p));
  if (!inst || !op) return;
  let reg = inst.spec?.registry ?? '';
  if (reg && !reg.endsWith('/')) reg += '/';
  const registry = reg || 'docker.io/';
  if (inst.spec?.registry && inst.spec.registry !== reg) put(st, { ...inst, spec: { ...inst.spec, registry: reg } });
  if (!get(st, 'Namespace', '', 'calico-system')) put(st, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'calico-system', labels: { name: 'calico-system' } } });
  const img = (n) => `${registry}calico/${n}:${CALICO_VERSION}`;
  const tol = [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoSchedule', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }];
  const ds = (name, image) => ({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'calico-system', ownerReferences: [ownerRef(inst)] },
    spec: { selector: { matchLabels: { 'k8s-app': name } }, template: { metadata: { labels: { 'k8s-app': name } }, spec: { hostNetwork: name === 'calico-node', containers: [{ name, image }], tolerations: tol } } },
  });
  const dep = (name, image, replicas, hostNetwork) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'calico-system', ownerReferences: [ownerRef(inst)] },
    spec: { replicas, selector: { matchLabels: { 'k8s-app': name } }, template: { metadata: { labels: { 'k8s-app': name } }, spec: { hostNetwork, containers: [{ name, image }], tolerations: tol } } },
  });
  const nodes = list(st, 'Node').length;
  for (const o of [
    ds('calico-node', img('node')),
    ds('csi-node-driver', img('csi')),
    dep('calico-typha', img('typha'), nodes <= 2 ? 1 : 2, true),
    dep('calico-kube-controllers', img('kube-controllers'), 1, false),
  ]) {
    const cur = get(st, o.kind, 'calico-system', o.metadata.name);
    if (!cur || JSON.stringify(cur.spec) !== JSON.stringify({ ...cur.spec, ...o.spec })) put(st, { ...(cur ?? {}), ...o, metadata: { ...(cur?.metadata ?? {}), ...o.metadata }, status: cur?.status ?? {} });
  }
  const calicoPods = list(st, 'Pod', 'calico-system');
  const up = calicoPods.length > 0 && calicoPods.every(isReady);
  const status = up
    ? { calicoVersion: CALICO_VERSION, computed: { ...inst.spec, registry }, variant: 'Calico', mtu: 1450, conditions: [{ type: 'Ready', status: 'True', reason: 'AllObjectsAvailable', message: 'All Objects Available' }] }
    : { conditions: [{ type: 'Ready', status: 'False', reason: 'ResourceNotReady', message: 'DaemonSet "calico-system/calico-node" is not available' }] };
  const cur = get(st, 'Installation', '', 'default');
  if (JSON.stringify(cur.status) !== JSON.stringify(status)) put(st, { ...cur, status });
}

/** Deployment -> ReplicaSet -> Pods, DaemonSet -> a Pod per node (kube-controller-manager). */
function workloads(st) {
  for (const d of list(st, 'Deployment')) {
    const hash = safeHash(JSON.stringify(d.spec.template), 10);
    const rsName = `${d.metadata.name}-${hash}`;
    const ns = d.metadata.namespace;
    for (const old of list(st, 'ReplicaSet', ns).filter((r) => r.metadata.ownerReferences?.[0]?.uid === d.metadata.uid && r.metadata.name !== rsName)) remove(st, 'ReplicaSet', ns, old.metadata.name);
    let rs = get(st, 'ReplicaSet', ns, rsName);
    const labels = { ...(d.spec.template.metadata?.labels ?? {}), 'pod-template-hash': hash };
    const spec = { replicas: d.spec.replicas, selector: { matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } }, template: { ...d.spec.template, metadata: { ...(d.spec.template.metadata ?? {}), labels } } };
    if (!rs || JSON.stringify(rs.spec) !== JSON.stringify(spec)) {
      rs = put(st, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: rsName, namespace: ns, labels, ownerReferences: [ownerRef(d)], ...(rs ? { uid: rs.metadata.uid } : {}) }, spec, status: rs?.status ?? {} });
    }
    const pods = ownedPods(st, rs);
    const ready = pods.filter(isReady).length;
    const status = compact({ observedGeneration: 1, replicas: pods.length, updatedReplicas: pods.length, readyReplicas: ready, availableReplicas: ready, unavailableReplicas: Math.max(0, d.spec.replicas - ready), conditions: [
      { type: 'Available', status: ready >= d.spec.replicas ? 'True' : 'False', reason: ready >= d.spec.replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: ready >= d.spec.replicas ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.' },
      { type: 'Progressing', status: 'True', reason: ready >= d.spec.replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" ${ready >= d.spec.replicas ? 'has successfully progressed' : 'is progressing'}.` },
    ] });
    if (JSON.stringify(d.status) !== JSON.stringify(status)) put(st, { ...d, status });
  }
  for (const rs of list(st, 'ReplicaSet')) {
    const pods = ownedPods(st, rs);
    for (let i = pods.length; i < rs.spec.replicas; i++) makePod(st, rs, `${rs.metadata.name}-${safeHash(`${rs.metadata.uid}/${st.seq}/${i}`, 5)}`);
    for (const extra of pods.slice(rs.spec.replicas)) remove(st, 'Pod', rs.metadata.namespace, extra.metadata.name);
    const now2 = ownedPods(st, rs);
    const status = compact({ replicas: now2.length, readyReplicas: now2.filter(isReady).length, availableReplicas: now2.filter(isReady).length, fullyLabeledReplicas: now2.length, observedGeneration: 1 });
    if (JSON.stringify(rs.status) !== JSON.stringify(status)) put(st, { ...rs, status });
  }
  for (const ds of list(st, 'DaemonSet')) {
    // a changed template replaces the pods (RollingUpdate), as controller-revision-hash tells
    const rev = safeHash(JSON.stringify(ds.spec.template), 10);
    for (const old of ownedPods(st, ds).filter((p) => p.metadata.labels?.['controller-revision-hash'] !== rev)) remove(st, 'Pod', old.metadata.namespace, old.metadata.name);
    const pods = ownedPods(st, ds);
    for (const n of list(st, 'Node')) {
      if (pods.some((p) => p.spec.nodeName === n.metadata.name)) continue;
      makePod(st, ds, `${ds.metadata.name}-${safeHash(`${ds.metadata.uid}/${n.metadata.name}/${rev}`, 5)}`, n.metadata.name, { 'controller-revision-hash': rev });
    }
    const now2 = ownedPods(st, ds);
    const nodes = list(st, 'Node').length;
    const ready = now2.filter(isReady).length;
    const status = compact({ currentNumberScheduled: now2.length, desiredNumberScheduled: nodes, numberAvailable: ready, numberReady: ready, numberMisscheduled: 0, updatedNumberScheduled: now2.length, numberUnavailable: nodes - ready, observedGeneration: 1 });
    if (JSON.stringify(ds.status) !== JSON.stringify(status)) put(st, { ...ds, status });
  }
}
/** API types use omitempty for these counters: a 0 is absent (reference §5). */
function compact(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0));
}
function ownedPods(st, owner) {
  return list(st, 'Pod', owner.metadata.namespace).filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid));
}
function makePod(st, owner, name, nodeName, extraLabels = {}) {
  const t = owner.spec.template;
  put(st, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: owner.metadata.namespace, labels: { ...(t.metadata?.labels ?? {}), ...extraLabels }, ownerReferences: [ownerRef(owner)], ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}) },
    spec: { ...structuredClone(t.spec), ...(nodeName ? { nodeName } : {}) },
  });
}

export function isReady(p) {
  return p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function nodeIsReady(n) {
  return (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The scheduler: taints (NoSchedule) against tolerations, least-loaded node (kube-scheduler's default plugins, simplified). */
function schedule(st) {
  const nodes = list(st, 'Node');
  for (const p of list(st, 'Pod')) if (p.spec.nodeName && !nodes.some((n) => n.metadata.name === p.spec.nodeName)) remove(st, 'Pod', p.metadata.namespace, p.metadata.name);
  const down = st.cluster.kubeletDown ?? {};
  for (const p of list(st, 'Pod')) {
    if (p.spec.nodeName && down[p.spec.nodeName]) {
      // no kubelet reports for it: the node lifecycle controller only marks it not Ready (MarkPodsNotReady)
      const conds = (p.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
      if (JSON.stringify(conds) !== JSON.stringify(p.status?.conditions ?? [])) put(st, { ...p, status: { ...p.status, conditions: conds } });
      continue;
    }
    if (p.spec.nodeName) {
      runPod(st, p);
      continue;
    }
    const claims = (p.spec.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean);
    const unbound = claims.filter((c) => get(st, 'PersistentVolumeClaim', p.metadata.namespace, c)?.status?.phase !== 'Bound');
    const fits = [];
    const why = new Map();
    for (const n of nodes) {
      const bad = (n.spec.taints ?? []).find((t) => t.effect === 'NoSchedule' && !(p.spec.tolerations ?? []).some((tol) => tolerates(tol, t)));
      if (bad) {
        const r = `node(s) had untolerated taint {${bad.key}: ${bad.value ?? ''}}`;
        why.set(r, (why.get(r) ?? 0) + 1);
      } else fits.push(n);
    }
    if (unbound.length || !fits.length) {
      // kube-scheduler's FitError (reference §3): "0/N nodes are available: <count> <reason>, ...", reasons sorted
      const reasons = unbound.length
        ? [`${nodes.length} pod has unbound immediate PersistentVolumeClaims`]
        : [...why.entries()].map(([r, c]) => `${c} ${r}`).sort();
      const message = `0/${nodes.length} nodes are available: ${reasons.join(', ')}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
      const status = { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ lastProbeTime: null, lastTransitionTime: p.metadata.creationTimestamp, message, reason: 'Unschedulable', status: 'False', type: 'PodScheduled' }] };
      if (JSON.stringify(p.status) !== JSON.stringify(status)) put(st, { ...p, status });
      continue;
    }
    const load = (n) => list(st, 'Pod').filter((x) => x.spec.nodeName === n.metadata.name).length;
    const best = [...fits].sort((a, b) => load(a) - load(b) || a.metadata.name.localeCompare(b.metadata.name))[0];
    const placed = put(st, { ...p, spec: { ...p.spec, nodeName: best.metadata.name } });
    runPod(st, placed);
  }
}
function tolerates(tol, t) {
  if (tol.effect && tol.effect !== t.effect) return false;
  if (tol.operator === 'Exists') return !tol.key || tol.key === t.key;
  return tol.key === t.key && (tol.value ?? '') === (t.value ?? '');
}

/** The kubelet on the pod's node: pull (offline store), start, report (reference §3 for reasons and messages). */
function runPod(st, p) {
  const node = get(st, 'Node', '', p.spec.nodeName);
  if (!node) return;
  const nodeIP = node.status.addresses.find((a) => a.type === 'InternalIP')?.address;
  const t0 = p.metadata.creationTimestamp;
  const cniUp = nodeIsReady(node);
  const statuses = [];
  let running = true;
  for (const c of p.spec.containers ?? []) {
    const base = { image: c.image, imageID: '', lastState: {}, name: c.name, ready: false, restartCount: 0, started: false };
    if (!p.spec.hostNetwork && !cniUp) {
      statuses.push({ ...base, state: { waiting: { reason: 'ContainerCreating' } } });
      running = false;
    } else if (!pullable(c.image)) {
      statuses.push({ ...base, state: { waiting: { message: `Back-off pulling image "${c.image}"`, reason: 'ImagePullBackOff' } } });
      running = false;
    } else if (/^quay\.io\/centos\/centos(:|$)/.test(c.image) && !(c.command?.length || c.args?.length)) {
      // centos's CMD is /bin/bash: with no terminal it exits 0 at once, and restartPolicy Always restarts it
      const id = `cri-o://${createHash('sha256').update(p.metadata.uid + c.name).digest('hex')}`;
      statuses.push({
        ...base,
        containerID: id,
        imageID: `${c.image.split(':')[0]}@sha256:${createHash('sha256').update(c.image).digest('hex')}`,
        lastState: { terminated: { containerID: id, exitCode: 0, finishedAt: t0, reason: 'Completed', startedAt: t0 } },
        restartCount: 5,
        state: { waiting: { message: `back-off 2m40s restarting failed container=${c.name} pod=${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`, reason: 'CrashLoopBackOff' } },
      });
      running = false;
    } else {
      const id = `cri-o://${createHash('sha256').update(p.metadata.uid + c.name).digest('hex')}`;
      statuses.push({ ...base, containerID: id, imageID: `${c.image.split(':')[0]}@sha256:${createHash('sha256').update(c.image).digest('hex')}`, ready: true, started: true, state: { running: { startedAt: t0 } } });
    }
  }
  const podIP = p.spec.hostNetwork ? nodeIP : p.status?.podIP ?? podAddress(st, node);
  const cond = (type, ok) => ({ lastProbeTime: null, lastTransitionTime: t0, status: ok ? 'True' : 'False', type, ...(ok || type === 'PodScheduled' || type === 'Initialized' ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${statuses.filter((s) => !s.ready).map((s) => s.name).join(' ')}]` }) });
  const status = {
    conditions: [cond('Initialized', true), cond('Ready', running), cond('ContainersReady', running), cond('PodScheduled', true)],
    containerStatuses: statuses,
    hostIP: nodeIP,
    // kubelet getPhase: a container waiting to start (no earlier run) keeps the pod Pending; running or restarting ones make it Running
    phase: statuses.some((s) => s.state.waiting && !s.lastState.terminated) ? 'Pending' : statuses.some((s) => s.state.running || s.lastState.terminated) ? 'Running' : 'Pending',
    ...(podIP && (cniUp || p.spec.hostNetwork) ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    qosClass: 'BestEffort',
    startTime: t0,
  };
  if (JSON.stringify(p.status) !== JSON.stringify(status)) put(st, { ...p, status });
}
/** Calico IPAM: a /26 block per node from the pool (blockSize 26, reference §8). */
function podAddress(st, node) {
  const pool = String(get(st, 'Installation', '', 'default')?.spec?.calicoNetwork?.ipPools?.[0]?.cidr ?? st.cluster.podSubnet ?? '192.168.0.0/16');
  const b = pool.split('/')[0].split('.').map(Number);
  const idx = list(st, 'Node').findIndex((n) => n.metadata.name === node.metadata.name);
  const used = (st.cluster.podIPs ??= {});
  const n = (used[node.metadata.name] = (used[node.metadata.name] ?? 0) + 1);
  const blockBase = ((b[2] + 100 + idx * 2) & 255) * 256 + 64 * (idx % 4);
  const off = blockBase + (n % 62) + 1;
  return `${b[0]}.${b[1]}.${(off >> 8) & 255}.${off & 255}`;
}

function nodeReadiness(st) {
  const calicoOn = new Set(list(st, 'Pod', 'calico-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'calico-node' && isReady(p)).map((p) => p.spec.nodeName));
  const down = st.cluster.kubeletDown ?? {};
  for (const n of list(st, 'Node')) {
    if (down[n.metadata.name]) {
      if (!(n.status.conditions ?? []).some((c) => c.reason === 'NodeStatusUnknown')) setNodeUnknown(st, n);
      continue;
    }
    const ready = calicoOn.has(n.metadata.name);
    const unknown = (n.status.conditions ?? []).some((c) => c.reason === 'NodeStatusUnknown');
    if (nodeIsReady(n) !== ready || !(n.status.conditions ?? []).length || unknown) setNodeReady(st, n, ready);
  }
}

/** The endpoints controller: ready pods matching the selector (core/v1 EndpointSubset). */
function endpoints(st) {
  for (const s of list(st, 'Service')) {
    if (!s.spec.selector) continue;
    const pods = list(st, 'Pod', s.metadata.namespace).filter((p) => matches(s.spec.selector, p.metadata.labels) && p.status?.podIP);
    const addr = (p) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, targetRef: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid } });
    const ready = pods.filter(isReady).map(addr);
    const notReady = pods.filter((p) => !isReady(p)).map(addr);
    // a named targetPort is the port of that name in the pods' containers (endpoints controller, podutil.FindPort)
    const named = (name) => pods.flatMap((p) => (p.spec.containers ?? []).flatMap((c) => c.ports ?? [])).find((cp) => cp.name === name)?.containerPort;
    const ports = (s.spec.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: typeof p.targetPort === 'number' ? p.targetPort : named(p.targetPort) ?? p.port, protocol: p.protocol }));
    const subsets = ready.length || notReady.length ? [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }] : undefined;
    const cur = get(st, 'Endpoints', s.metadata.namespace, s.metadata.name);
    const next = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: s.metadata.name, namespace: s.metadata.namespace, labels: s.metadata.labels ?? {} }, ...(subsets ? { subsets } : {}) };
    if (!cur || JSON.stringify(cur.subsets) !== JSON.stringify(next.subsets)) put(st, { ...next, metadata: { ...(cur?.metadata ?? {}), ...next.metadata } });
  }
}

const QTY = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
export function quantity(q) {
  const m = /^(\d+(?:\.\d+)?)([KMGT]i?|k)?$/.exec(String(q ?? ''));
  return m ? Number(m[1]) * (m[2] ? QTY[m[2]] ?? 1 : 1) : NaN;
}

/** The PV controller: binds a Pending claim to the smallest Available PV that fits (class, modes, size). */
function volumes(st) {
  for (const c of list(st, 'PersistentVolumeClaim')) {
    if (c.status?.phase === 'Bound') continue;
    const cls = c.spec.storageClassName ?? '';
    const want = quantity(c.spec.resources?.requests?.storage);
    const fits = list(st, 'PersistentVolume').filter(
      (v) =>
        v.status?.phase === 'Available' &&
        (v.spec.storageClassName ?? '') === cls &&
        (c.spec.accessModes ?? []).every((m) => (v.spec.accessModes ?? []).includes(m)) &&
        quantity(v.spec.capacity?.storage) >= want &&
        (!v.spec.claimRef || (v.spec.claimRef.name === c.metadata.name && v.spec.claimRef.namespace === c.metadata.namespace)),
    );
    const v = fits.sort((a, b) => quantity(a.spec.capacity?.storage) - quantity(b.spec.capacity?.storage))[0];
    if (!v) continue;
    put(st, { ...v, spec: { ...v.spec, claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: c.metadata.name, namespace: c.metadata.namespace, resourceVersion: c.metadata.resourceVersion, uid: c.metadata.uid } }, status: { phase: 'Bound' } });
    put(st, {
      ...c,
      metadata: { ...c.metadata, annotations: { ...(c.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' } },
      spec: { ...c.spec, volumeName: v.metadata.name },
      status: { accessModes: v.spec.accessModes, capacity: v.spec.capacity, phase: 'Bound' },
    });
  }
}
