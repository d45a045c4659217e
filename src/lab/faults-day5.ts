/**
 * Day 5 faults: applied on a student whose day 5 scripts/solutions/day5.sh built (after day 3), each as
 * root over SSH on the control node with the node's own tools, as a student would have typed it.
 * A list of its own: the day-3 fault loop applies every CLUSTER_FAULTS entry to day-3 clusters, where
 * day-5 objects are absent.
 */
import type { ClusterFault } from './faults-k8s.ts';

const K = 'export KUBECONFIG=/etc/kubernetes/admin.conf\n';
const D = K + 'K="kubectl -n default"\n';
const CENTOS = 'quay.io/centos/centos:stream9';
const CSI = 'https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/v4.5.0/deploy/v4.5.0';
const PV = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: nfs-pv
spec:
  storageClassName: ""
  capacity:
    storage: 1Gi
  accessModes:
    - ReadWriteMany
  nfs:
    server: control1.example.com
    path: "/nfs/manual-pv"
`;
const pvc = (modes: string, size: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: nfs-pvc
spec:
  storageClassName: ""
  accessModes:
    - ${modes}
  resources:
    requests:
      storage: ${size}
`;
const yaml = (cmd: string, doc: string) => `cat <<'YAML' | ${cmd} apply -f -\n${doc}YAML\n`;
/** the claim remade from scratch (a claim's spec is immutable, and its PV would stay Released) */
const remakeClaim = (modes: string, size: string) =>
  D + '$K delete pod pvc-pod\n$K delete pvc nfs-pvc\nkubectl delete pv nfs-pv\n' + yaml('kubectl', PV) + yaml('$K', pvc(modes, size));
const storageClass = (params: string, extra = '') =>
  K +
  'kubectl delete storageclass nfs-csi\n' +
  yaml(
    'kubectl',
    `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-csi
provisioner: nfs.csi.k8s.io
parameters:
${params}reclaimPolicy: Delete
volumeBindingMode: Immediate
${extra}`,
  );

const CATALOGUE: ClusterFault[] = [
  // ---------------- d5.test-centos
  { id: 'centos-no-command', outcome: 'd5.test-centos', node: 'control',
    description: "test-centos run without a command (the notes' first try): /bin/bash exits at once, CrashLoopBackOff",
    script: D + `$K delete pod test-centos\n$K run test-centos --image=${CENTOS}\n` },
  // ---------------- d5.np-test-centos
  { id: 'np-centos-port-8080', outcome: 'd5.np-test-centos', node: 'control',
    description: 'np-test-centos on port 8080 (target 80)',
    script: D + '$K delete service np-test-centos\n$K expose pod test-centos --name=np-test-centos --type=NodePort --port=8080 --target-port=80\n' },
  { id: 'np-centos-selector', outcome: 'd5.np-test-centos', node: 'control',
    description: 'np-test-centos from YAML selecting app=test-centos (the pod is labelled run=test-centos): no endpoints',
    script: D + '$K delete service np-test-centos\n' + yaml('$K', `apiVersion: v1
kind: Service
metadata:
  name: np-test-centos
spec:
  type: NodePort
  selector:
    app: test-centos
  ports:
  - port: 80
    targetPort: 80
`) },
  // ---------------- d5.nfs-server
  { id: 'exportfs-file', outcome: 'd5.nfs-server', node: 'control',
    description: 'the export written to /etc/exportfs as the notes have it (no /etc/exports): exportfs -avrs exports nothing',
    script: "rm -f /etc/exports\nprintf '/nfs *(rw,no_root_squash)\\n' > /etc/exportfs\nexportfs -avrs\n" },
  { id: 'exports-space', outcome: 'd5.nfs-server', node: 'control',
    description: "`/nfs *(rw, no_root_squash)` with the notes' space: exportfs says bad option list and withdraws /nfs",
    script: "printf '/nfs *(rw, no_root_squash)\\n' > /etc/exports\nexportfs -avrs || true\n" },
  { id: 'nfs-server-stopped', outcome: 'd5.nfs-server', node: 'control',
    description: 'nfs-server stopped (still enabled): its ExecStopPost exportfs -au empties the export list',
    script: 'systemctl stop nfs-server\n' },
  // ---------------- d5.csi-driver
  { id: 'csi-missing', outcome: 'd5.csi-driver', node: 'control',
    description: "csi-driver-nfs uninstalled (uninstall-driver.sh v4.5.0's deletes)",
    script: K + ['csi-nfs-controller', 'csi-nfs-node', 'csi-nfs-driverinfo', 'rbac-csi-nfs'].map((f) => `kubectl delete -f ${CSI}/${f}.yaml`).join('\n') + '\n' },
  // ---------------- d5.storageclass
  { id: 'sc-wrong-server', outcome: 'd5.storageclass', node: 'control',
    description: "StorageClass nfs-csi naming server 192.168.90.111 (a storage class's parameters are immutable: deleted and made again)",
    script: storageClass('  server: 192.168.90.111\n  path: /nfs\n') },
  // ---------------- d5.pv-pvc
  { id: 'pvc-rwo', outcome: 'd5.pv-pvc', node: 'control',
    description: 'nfs-pvc asks ReadWriteOnce (the PV offers ReadWriteMany only): Pending',
    script: remakeClaim('ReadWriteOnce', '1Gi') },
  { id: 'pvc-2gi', outcome: 'd5.pv-pvc', node: 'control',
    description: 'nfs-pvc asks 2Gi (the PV has 1Gi): Pending',
    script: remakeClaim('ReadWriteMany', '2Gi') },
  // ---------------- d5.pvc-pod
  { id: 'pvc-pod-mount-elsewhere', outcome: 'd5.pvc-pod', node: 'control',
    description: 'pvc-pod mounts nfs-pvc at /data instead of /app/data',
    script: D + '$K delete pod pvc-pod\n' + yaml('$K', `apiVersion: v1
kind: Pod
metadata:
  name: pvc-pod
spec:
  containers:
  - name: pvc-pod
    image: quay.io/redhattraining/hello-world-nginx
    volumeMounts:
      - mountPath: /data
        name: htdocs
  volumes:
  - name: htdocs
    persistentVolumeClaim:
      claimName: nfs-pvc
`) },
  // ---------------- d5.nfs-csi-pod
  { id: 'nfs-csi-pod-path', outcome: 'd5.nfs-csi-pod', node: 'control',
    description: 'nfs-csi-pod mounting 192.168.90.110:/srv/nfs (a path nothing exports) instead of /nfs',
    script: D + '$K delete deployment nfs-csi-pod\n' + yaml('$K', `kind: Deployment
apiVersion: apps/v1
metadata:
  name: nfs-csi-pod
spec:
  selector:
    matchLabels:
      app: nfs-csi-pod
  replicas: 1
  template:
    metadata:
      labels:
        app: nfs-csi-pod
    spec:
      containers:
        - name: sc-nginx
          image: quay.io/redhattraining/hello-world-nginx
          volumeMounts:
            - name: csi-nfs
              mountPath: /var/www/html/
      volumes:
        - name: csi-nfs
          nfs:
            server: 192.168.90.110
            path: /srv/nfs
`) },
  // ---------------- valid variants
  { id: 'exports-d', outcome: 'd5.nfs-server', node: 'control', valid: true,
    description: 'VALID: the export in /etc/exports.d/nfs.exports for the course network, with extra options; /etc/exports empty',
    script: ": > /etc/exports\nmkdir -p /etc/exports.d\nprintf '# day 5\\n/nfs 192.168.90.0/24(rw,sync,no_root_squash,no_subtree_check)\\n' > /etc/exports.d/nfs.exports\nexportfs -ra\n" },
  { id: 'sc-share', outcome: 'd5.storageclass', node: 'control', valid: true,
    description: "VALID: StorageClass nfs-csi with upstream's parameter name share: /nfs (csi-driver-nfs deploy/example/storageclass-nfs.yaml)",
    script: storageClass('  server: 192.168.90.110\n  share: /nfs\n', 'mountOptions:\n  - nfsvers=4.1\n') },
  { id: 'context-release-apache', outcome: 'd5.test-centos', node: 'control', valid: true,
    description: 'VALID: day 4 left the context on release-apache; test-centos (command sleep infinity, an extra label) and np-test-centos (nodePort 30180, a named port) made there from YAML without -n',
    script: K + `kubectl -n default delete service np-test-centos
kubectl -n default delete pod test-centos
kubectl get namespace release-apache >/dev/null 2>&1 || kubectl create namespace release-apache
kubectl config set-context --current --namespace=release-apache
` + yaml('kubectl', `apiVersion: v1
kind: Pod
metadata:
  name: test-centos
  labels:
    run: test-centos
    tier: os
spec:
  containers:
  - name: test-centos
    image: quay.io/centos/centos:stream9
    command: ["sleep", "infinity"]
---
apiVersion: v1
kind: Service
metadata:
  name: np-test-centos
spec:
  type: NodePort
  selector:
    run: test-centos
  ports:
  - name: http
    port: 80
    targetPort: 80
    nodePort: 30180
`) },
];

export const DAY5_FAULTS: ClusterFault[] = CATALOGUE.map((f) => ({ ...f, script: `set -e\n${f.script}` }));
