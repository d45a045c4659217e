/**
 * Day 3-5 faults: ways a student's cluster can miss (or only seem to miss) an outcome, applied on a
 * student whose nodes scripts/solutions/day1-3.sh solved. Each runs as root over SSH on one node with
 * the node's own tools (the kubectl/kubeadm stand-ins), as a student would have typed it.
 * Kept apart from faults.ts: the day-1/2 fault loop applies every fault there to day-2 nodes.
 */
import type { Fault } from './faults.ts';

export interface ClusterFault extends Omit<Fault, 'node'> {
  /** the node the script runs on: the control node, or a worker (node3, the second worker) */
  node: 'control' | 'worker';
  /** the node whose check this fault breaks, when it is not where the script runs (checks of scope all/workers) */
  breaksOn?: 'control' | 'worker';
  /**
   * Day 3 built with this `kubeadm init` command line instead of day3.sh's (src/lab/cluster.ts withInit): a cluster
   * the student initialised another way, the rest of day 3 as the course does it; `script` then runs as usual.
   */
  init?: string;
}

const K = 'export KUBECONFIG=/etc/kubernetes/admin.conf\n';
const HTTPD = 'quay.io/centos7/httpd-24-centos7';

const CATALOGUE: ClusterFault[] = [
  // ---------------- d3.control-plane
  { id: 'pod-subnet-10', outcome: 'd3.control-plane', node: 'control',
    description: 'the cluster was initialised with --pod-network-cidr=192.168.10.0/24 (the notes\' second variant): kubeadm-config says so',
    script: K + String.raw`cc=$(kubectl get configmap -n kube-system kubeadm-config -o jsonpath='{.data.ClusterConfiguration}' | sed 's#podSubnet: 192.168.0.0/16#podSubnet: 192.168.10.0/24#')
{ printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kubeadm-config\n  namespace: kube-system\ndata:\n  ClusterConfiguration: |\n'; printf '%s\n' "$cc" | sed 's/^/    /'; } | kubectl apply -f -
` },
  { id: 'kubeconfig-stale', outcome: 'd3.control-plane', node: 'control',
    description: "root's ~/.kube/config is from an earlier kubeadm init (another CA): kubectl fails with x509",
    script: String.raw`mkdir -p /root/.kube
sed 's#certificate-authority-data: .*#certificate-authority-data: '"$(printf -- '-----BEGIN CERTIFICATE-----\nlabgrade-ca-id: 0000000000000000\n-----END CERTIFICATE-----\n' | base64 -w0)"'#' /etc/kubernetes/admin.conf > /root/.kube/config
` },
  // ---------------- d3.kubelet
  // (kubelet disabled is d2.k8s-packages' fault: d3.kubelet is then BLOCKED by it)
  { id: 'kubelet-stopped', outcome: 'd3.kubelet', node: 'worker', alsoBreaks: ['d3.calico', 'd3.nodes-ready', 'd3.test-httpd'],
    description: 'kubelet stopped on worker2 after it joined (systemctl stop kubelet), still enabled: the node goes Unknown (NodeStatusUnknown) and its pods not Ready (its calico-node; test-httpd if it runs there)',
    script: 'systemctl stop kubelet\n' },
  // ---------------- d3.joined
  { id: 'kubelet-conf-other-server', outcome: 'd3.joined', node: 'worker',
    description: "worker2's kubelet.conf points at 192.168.90.111:6443 (joined to a mistyped address)",
    script: "sed -i 's#server: https://.*#server: https://192.168.90.111:6443#' /etc/kubernetes/kubelet.conf\n" },
  // ---------------- d3.nodes-ready
  { id: 'node-deleted', outcome: 'd3.nodes-ready', node: 'control', alsoBreaks: ['d3.joined', 'd3.test-httpd'],
    description: 'worker2 deleted from the cluster (kubectl delete node): the API lists two nodes (and the pod GC removes pods that ran there: test-httpd, if it did)',
    script: K + 'kubectl delete node worker2.example.com\n' },
  // ---------------- d3.calico
  { id: 'calico-docker-io', outcome: 'd3.calico', node: 'control',
    description: 'the Installation without `registry: quay.io` (upstream custom-resources.yaml): images from docker.io, blocked, so ImagePullBackOff and NotReady nodes',
    script: K + String.raw`cat <<'EOF' | kubectl apply -f -
apiVersion: operator.tigera.io/v1
kind: Installation
metadata:
  name: default
spec:
  calicoNetwork:
    ipPools:
    - blockSize: 26
      cidr: 192.168.0.0/16
      encapsulation: VXLANCrossSubnet
      natOutgoing: Enabled
      nodeSelector: all()
EOF
` },
  { id: 'calico-pool-10', outcome: 'd3.calico', node: 'control',
    description: 'the Installation\'s IP pool is 192.168.10.0/24 instead of 192.168.0.0/16',
    script: K + String.raw`cat <<'EOF' | kubectl apply -f -
apiVersion: operator.tigera.io/v1
kind: Installation
metadata:
  name: default
spec:
  calicoNetwork:
    ipPools:
    - blockSize: 26
      cidr: 192.168.10.0/24
      encapsulation: VXLANCrossSubnet
      natOutgoing: Enabled
      nodeSelector: all()
  registry: quay.io
EOF
` },
  // ---------------- d3.test-httpd
  { id: 'test-httpd-docker-hub', outcome: 'd3.test-httpd', node: 'control',
    description: 'test-httpd made from `--image=httpd` (Docker Hub, blocked): ImagePullBackOff',
    script: K + 'kubectl delete pod test-httpd\nkubectl run test-httpd --image=httpd\n' },
  { id: 'test-httpd-missing', outcome: 'd3.test-httpd', node: 'control',
    description: 'test-httpd deleted (the Service is left without endpoints)',
    script: K + 'kubectl delete pod test-httpd\n' },
  // ---------------- d3.np-test-httpd
  { id: 'np-clusterip', outcome: 'd3.np-test-httpd', node: 'control',
    description: 'np-test-httpd exposed without --type=NodePort (ClusterIP)',
    script: K + 'kubectl delete service np-test-httpd\nkubectl expose pod --port=8080 --name=np-test-httpd test-httpd\n' },
  { id: 'np-port-80', outcome: 'd3.np-test-httpd', node: 'control',
    description: 'np-test-httpd on port 80 (target 8080)',
    script: K + 'kubectl delete service np-test-httpd\nkubectl expose pod --port=80 --target-port=8080 --type=NodePort --name=np-test-httpd test-httpd\n' },
  // ---------------- d3.completion
  { id: 'completion-kubeadm-missing', outcome: 'd3.completion', node: 'control',
    description: 'only kubectl\'s completion written',
    script: 'rm -f /etc/bash_completion.d/kubeadm\n' },
  { id: 'completion-empty', outcome: 'd3.completion', node: 'control',
    description: '`kubectl completion > /etc/bash_completion.d/kubectl` (no shell named: an error, an empty file)',
    script: 'kubectl completion > /etc/bash_completion.d/kubectl 2>/dev/null || true\n' },
  // ---------------- valid variants
  { id: 'kubeconfig-home', outcome: 'd3.control-plane', node: 'control', valid: true,
    description: 'VALID: admin.conf copied to ~/.kube/config (the notes\' regular-user way), no KUBECONFIG',
    script: 'mkdir -p /root/.kube && cp -i /etc/kubernetes/admin.conf /root/.kube/config </dev/null\n' },
  { id: 'init-endpoint-service-cidr', outcome: 'd3.control-plane', node: 'control', valid: true,
    description: 'VALID: the notes\' other init (course-notes-day2-5.md "kubeadm init --upload-certs ..."): a control-plane endpoint, ' +
      'service CIDR 10.10.10.0/24 instead of 10.90.0.0/16 (outcomes.md: the service CIDR is free), -v3',
    init: 'kubeadm init --upload-certs --control-plane-endpoint=192.168.90.110 --apiserver-advertise-address=192.168.90.110 --pod-network-cidr=192.168.0.0/16 --service-cidr=10.10.10.0/24 -v3',
    script: ':\n' },
  { id: 'kubeconfig-bashrc', outcome: 'd3.control-plane', node: 'control', valid: true,
    description: 'VALID: export KUBECONFIG=/etc/kubernetes/admin.conf in /root/.bashrc',
    script: 'echo \'export KUBECONFIG="/etc/kubernetes/admin.conf"\' >> /root/.bashrc\n' },
  { id: 'test-httpd-yaml', outcome: 'd3.test-httpd', node: 'control', valid: true,
    description: 'VALID: test-httpd made from YAML with an extra label and :latest',
    script: K + String.raw`kubectl delete pod test-httpd
cat <<'EOF' | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: test-httpd
  labels:
    run: test-httpd
    tier: web
spec:
  containers:
  - name: test-httpd
    image: ${HTTPD}:latest
    ports:
    - containerPort: 8080
EOF
`.replace('${HTTPD}', HTTPD) },
  { id: 'np-yaml-fixed-nodeport', outcome: 'd3.np-test-httpd', node: 'control', valid: true,
    description: 'VALID: np-test-httpd from YAML with nodePort 30080 and a named port',
    script: K + String.raw`kubectl delete service np-test-httpd
cat <<'EOF' | kubectl create -f -
apiVersion: v1
kind: Service
metadata:
  name: np-test-httpd
spec:
  type: NodePort
  selector:
    run: test-httpd
  ports:
  - name: http
    port: 8080
    targetPort: 8080
    nodePort: 30080
EOF
` },
];

export const CLUSTER_FAULTS: ClusterFault[] = CATALOGUE.map((f) => ({ ...f, script: `set -e\n${f.script}` }));

// ================ Day 4: applied on a student whose nodes scripts/solutions/day1-4.sh solved (day4.sh's files
// are in /root/basic-cmd). Every kubectl names its namespace: the context's namespace is release-apache then.
const RA = 'kubectl -n release-apache';
const BASIC = '/root/basic-cmd';

const DAY4: ClusterFault[] = [
  // ---------------- d4.namespaces
  { id: 'ns-second-label-typo', outcome: 'd4.namespaces', node: 'control',
    description: 'second-namespace relabelled type=namespaces (a typo, with --overwrite)',
    script: K + 'kubectl label namespace second-namespace type=namespaces --overwrite\n' },
  { id: 'ns-first-missing', outcome: 'd4.namespaces', node: 'control',
    description: 'first-namespace only written to first-namespace.yaml with --dry-run=client, never created',
    script: K + 'kubectl delete namespace first-namespace\n' },
  { id: 'ns-wordpress-label-missing', outcome: 'd4.namespaces', node: 'control',
    description: 'wordpress-service without its service=wordpress label',
    script: K + 'kubectl label namespace wordpress-service service-\n' },
  // ---------------- d4.release-ns
  { id: 'release-in-default', outcome: 'd4.release-ns', node: 'control',
    description: 'no namespace release-apache: the Deployment applied into default instead (the Namespace document and namespace: lines left out)',
    script: K + `kubectl delete namespace release-apache
sed -n '/^kind: Deployment/,$p' ${BASIC}/release-apache.yaml | sed -e '1i apiVersion: apps/v1' -e '/^  namespace: release-apache/d' | kubectl apply -n default -f -
` },
  // ---------------- d4.release-deploy
  { id: 'deploy-3-replicas', outcome: 'd4.release-deploy', node: 'control',
    description: 'release-apache scaled to 3 replicas (3/3 ready, 5 expected)',
    script: K + `${RA} scale deployment release-apache --replicas=3\n` },
  { id: 'deploy-vsftpd-short-name', outcome: 'd4.release-deploy', node: 'control',
    description: 'release-vsftp from `eformat/openshift-vsftpd` (a short name: Docker Hub, blocked): every pod ImagePullBackOff, 0/5 ready',
    script: K + `${RA} delete deployment release-apache
sed 's#image: quay.io/eformat/openshift-vsftpd#image: eformat/openshift-vsftpd#' ${BASIC}/release-apache.yaml | kubectl apply -f -
` },
  // ---------------- d4.release-svc
  { id: 'svc-selector-app', outcome: 'd4.release-svc', node: 'control',
    description: 'the Service selects app=release-apache (the Service\'s own label) instead of run=release-apache: no endpoints',
    script: K + `sed 's#^    run: release-apache#    app: release-apache#' ${BASIC}/release-apache-svc.yaml | kubectl apply -f -\n` },
  { id: 'svc-expose-random-nodeports', outcome: 'd4.release-svc', node: 'control',
    description: 'the Service made by `kubectl expose deployment release-apache --type=NodePort`: ports 8080 and 21 on nodePorts picked at random',
    script: K + `${RA} delete service release-apache\n${RA} expose deployment release-apache --type=NodePort\n` },
  // ---------------- d4.context
  { id: 'context-unset', outcome: 'd4.context', node: 'control',
    description: 'the context\'s namespace emptied (kubectl config set-context --current --namespace=): kubectl uses default',
    script: K + 'kubectl config set-context --current --namespace=\n' },
  { id: 'context-first-namespace', outcome: 'd4.context', node: 'control',
    description: 'the context\'s namespace left on first-namespace (from trying set-context on the namespaces exercise)',
    script: K + 'kubectl config set-context --current --namespace=first-namespace\n' },
  { id: 'context-admin-conf-only', outcome: 'd4.context', node: 'control',
    description: "the namespace set in admin.conf only, while root's kubectl reads ~/.kube/config (copied from admin.conf before day 4)",
    script: `mkdir -p /root/.kube\nsed '/^    namespace: /d' /etc/kubernetes/admin.conf > /root/.kube/config\n` },
  // ---------------- valid variants
  { id: 'namespaces-imperative', outcome: 'd4.namespaces', node: 'control', valid: true,
    description: 'VALID: the namespaces made with kubectl create namespace and kubectl label, with extra labels',
    script: K + `kubectl delete namespace first-namespace second-namespace wordpress-service
kubectl create namespace first-namespace
kubectl create namespace second-namespace
kubectl label namespace second-namespace type=namespace env=lab
kubectl create namespace wordpress-service
kubectl label namespace wordpress-service service=wordpress type=namespace app=wordpress
` },
  { id: 'release-json-named-ports', outcome: 'd4.release-deploy', node: 'control', valid: true,
    description: 'VALID: the Deployment and Service as one JSON List (kubectl create -f), images :latest, named container ports the Service targets by name, extra labels',
    script: K + `${RA} delete service release-apache
${RA} delete deployment release-apache
cat > /root/release-apache.json <<'END_OF_JSON'
{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "apps/v1", "kind": "Deployment",
   "metadata": {"name": "release-apache", "namespace": "release-apache", "labels": {"app": "release-apache"}},
   "spec": {"replicas": 5, "selector": {"matchLabels": {"run": "release-apache"}},
     "template": {"metadata": {"labels": {"run": "release-apache", "tier": "web"}},
       "spec": {"containers": [
         {"name": "release-apache", "image": "quay.io/centos7/httpd-24-centos7:latest", "ports": [{"name": "http", "containerPort": 8080}]},
         {"name": "release-vsftp", "image": "quay.io/eformat/openshift-vsftpd:latest", "ports": [{"name": "ftp", "containerPort": 21, "protocol": "TCP"}]}]}}}},
  {"apiVersion": "v1", "kind": "Service",
   "metadata": {"name": "release-apache", "namespace": "release-apache"},
   "spec": {"type": "NodePort", "selector": {"run": "release-apache"},
     "ports": [{"name": "ftp", "port": 21, "targetPort": "ftp", "nodePort": 32021}, {"name": "web", "port": 8080, "targetPort": "http", "nodePort": 32080}]}}
]}
END_OF_JSON
kubectl create -f /root/release-apache.json
` },
  { id: 'context-kube-config-edited', outcome: 'd4.context', node: 'control', valid: true,
    description: 'VALID: admin.conf copied to ~/.kube/config and the namespace written into it with an editor (sed), not kubectl',
    script: `mkdir -p /root/.kube
sed -e '/^    namespace: /d' -e 's/^- context:$/- context:\\n    namespace: "release-apache"/' /etc/kubernetes/admin.conf > /root/.kube/config
` },
  { id: 'context-new-context', outcome: 'd4.context', node: 'control', valid: true,
    description: 'VALID: a context of its own for the namespace (set-context release --cluster --user --namespace, then use-context release)',
    script: K + 'kubectl config set-context release --cluster=kubernetes --user=kubernetes-admin --namespace=release-apache\nkubectl config use-context release\n' },
];

/** Day 4's faults and valid variants (apart from CLUSTER_FAULTS, whose test applies each to a day-3 student). */
export const DAY4_FAULTS: ClusterFault[] = DAY4.map((f) => ({ ...f, script: `set -e\n${f.script}` }));
