/**
 * Day 3: a kubeadm cluster, Calico, a first pod and its NodePort (../shared/course/outcomes.md, "Day 3").
 * Cluster checks read the API once per node through control1, as root's kubectl would.
 */
import { check, k8sName, type NodeContext } from '../src/grade/course.ts';
import {
  apiFailure,
  byKind,
  clip,
  describePod,
  describeService,
  deploymentReady,
  find,
  imageName,
  nodeReady,
  podReady,
  readyEndpoints,
  selectorMatches,
} from '../src/grade/k8s-verdicts.ts';
import { checksOf } from '../src/grade/prior.ts';
import { describeUnit, fail, pass, unit } from '../src/grade/verdicts.ts';
import { gradeDay } from '../src/grade/vitest.ts';
import { clusterConfiguration, courseApi, describeKubectlError, k8sNodeFiles, nodePortHttp, nodeRegistration, systemdUnits } from '../src/probes/index.ts';

// the cluster days' one read (COURSE_KINDS: nodes, pods, Deployments, Services, namespaces, storage...; and the
// Installation CRD kind): days 4 and 5 grade the day-3 checks they need from the same read
const api = courseApi;
const POD_SUBNET = '192.168.0.0/16';
const MANIFESTS = ['etcd.yaml', 'kube-apiserver.yaml', 'kube-controller-manager.yaml', 'kube-scheduler.yaml'];
const HTTPD = 'quay.io/centos7/httpd-24-centos7';
const apiHost = (ctx: NodeContext) => ctx.apiServer.split(':')[0]!;
/** every node of the student, by its Kubernetes name */
const clusterNodes = (ctx: NodeContext) => Object.keys(ctx.eth1ByNode).map((n) => k8sName(ctx, n));
const short = (n: string) => n.split('.')[0]!;

gradeDay({
  day: 3,
  // compiled (dist/checks/day3.spec.js) or source: day 2's spec of the same kind
  prerequisites: await checksOf(new URL(`./day2.spec${import.meta.url.endsWith('.js') ? '.js' : '.ts'}`, import.meta.url), 2),
  checks: [
    check({
      id: 'd3.control-plane',
      title: { en: 'kubeadm init: control plane on 192.168.90.110, pod subnet 192.168.0.0/16', ko: 'kubeadm init: 192.168.90.110 컨트롤 플레인, pod 서브넷 192.168.0.0/16' },
      scope: 'control',
      needs: ['d2.k8s-packages'],
      probes: () => ({ f: k8sNodeFiles(), a: api() }),
      verdict: ({ f, a }, ctx) => {
        const host = apiHost(ctx);
        const expected = `/etc/kubernetes/admin.conf and the static pod manifests (${MANIFESTS.join(', ')}); API server answering on ${ctx.apiServer}, advertise address ${host}; kubeadm-config podSubnet ${POD_SUBNET}`;
        const hint = {
          en: `kubeadm init --apiserver-advertise-address=${host} --pod-network-cidr=${POD_SUBNET} --service-cidr=10.90.0.0/16 (after kubeadm reset --force if a first init went wrong)`,
          ko: `kubeadm init --apiserver-advertise-address=${host} --pod-network-cidr=${POD_SUBNET} --service-cidr=10.90.0.0/16 (처음 init 이 잘못됐다면 kubeadm reset --force 후)`,
        };
        if (!f.adminConf.exists && !f.manifests.length) return fail('no /etc/kubernetes/admin.conf and no static pod manifests: kubeadm init has not run', expected, hint);
        const problems: string[] = [];
        if (!f.adminConf.exists) problems.push('no /etc/kubernetes/admin.conf');
        const missing = MANIFESTS.filter((m) => !f.manifests.includes(m));
        if (missing.length) problems.push(`/etc/kubernetes/manifests lacks ${missing.join(', ')}`);
        if (f.advertiseAddress !== host) problems.push(`kube-apiserver.yaml advertises ${f.advertiseAddress ?? 'no address'}`);
        if (!a.core.ok) problems.push(`the API does not answer: ${describeKubectlError(a.core.error)}`);
        else {
          const cc = clusterConfiguration(a.core.items);
          if (!cc) problems.push('no kubeadm-config ConfigMap in kube-system');
          else if (cc.error) problems.push(`kubeadm-config's ClusterConfiguration does not parse: ${cc.error}`);
          else if (cc.podSubnet !== POD_SUBNET) problems.push(`kubeadm-config podSubnet is ${cc.podSubnet ?? 'not set (no --pod-network-cidr)'}`);
        }
        const found = `admin.conf ${f.adminConf.exists ? `(server ${f.adminConf.server ?? '?'})` : 'missing'}; manifests ${f.manifests.join(', ') || 'none'}; advertise ${f.advertiseAddress ?? '?'}; API ${a.core.ok ? `answers (kubeconfig ${a.kubeconfig.used ?? '?'})` : 'does not answer'}`;
        return problems.length ? fail(problems.join('; '), expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd3.kubelet',
      title: { en: 'kubelet enabled and active, crio active', ko: 'kubelet enable + 실행, crio 실행' },
      scope: 'all',
      needs: ['d2.k8s-packages', 'd2.crio-service'],
      probes: () => ({ s: systemdUnits(['crio', 'kubelet', 'firewalld']) }),
      verdict: ({ s }) => {
        const expected = 'kubelet: enabled, active; crio: active';
        const hint = {
          en: 'systemctl enable --now crio kubelet (the kubelet keeps restarting, "activating", until kubeadm init or join gives it its configuration)',
          ko: 'systemctl enable --now crio kubelet (kubeadm init/join 전에는 kubelet 이 설정이 없어 activating 상태로 재시작을 반복합니다)',
        };
        if (s.missing || s.error) return fail(`systemctl failed: ${s.missing ?? s.error}`, expected, hint);
        const k = unit(s, 'kubelet');
        const c = unit(s, 'crio');
        const found = `${describeUnit(k, 'kubelet')}; ${describeUnit(c, 'crio')}`;
        return k?.enabled === 'enabled' && k.active === 'active' && c?.active === 'active' ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
    check({
      id: 'd3.joined',
      title: { en: 'worker joined: kubelet.conf points at the API, the API lists the node', ko: '워커 join: kubelet.conf 가 API 를 가리키고 API 에 노드가 있음' },
      scope: 'workers',
      needs: ['d3.kubelet'],
      probes: (ctx) => ({ f: k8sNodeFiles(), r: nodeRegistration(k8sName(ctx)) }),
      verdict: ({ f, r }, ctx) => {
        const name = k8sName(ctx);
        const server = `https://${ctx.apiServer}`;
        const expected = `/etc/kubernetes/kubelet.conf with server ${server}; the API lists node ${name}`;
        const hint = {
          en: `on control1: kubeadm token create --print-join-command; run the printed kubeadm join ${ctx.apiServer} ... here`,
          ko: `control1 에서 kubeadm token create --print-join-command 로 나온 kubeadm join ${ctx.apiServer} ... 명령을 이 노드에서 실행하세요`,
        };
        if (!f.kubeletConf.exists) return fail('no /etc/kubernetes/kubelet.conf: this node never joined', expected, hint);
        if (f.kubeletConf.server !== server) return fail(`kubelet.conf points at ${f.kubeletConf.server ?? 'no server'}`, expected, hint);
        if (!r.read.ok) return fail(`kubelet.conf (server ${f.kubeletConf.server}) but the API cannot be read with it: ${describeKubectlError(r.read.error)}`, expected, hint);
        const node = r.read.items.find((o) => o.kind === 'Node' && o.metadata.name === name);
        return node ? pass(`kubelet.conf -> ${f.kubeletConf.server}; node ${name} registered`, expected) : fail(`the API has no node ${name}`, expected, hint);
      },
    }),
    check({
      id: 'd3.calico',
      title: { en: 'Calico (tigera operator, Installation from quay.io) runs on every node; coredns Running', ko: 'Calico (tigera operator, quay.io Installation) 가 모든 노드에서 실행, coredns Running' },
      scope: 'cluster',
      needs: ['d3.control-plane'],
      probes: () => ({ a: api() }),
      verdict: ({ a }, ctx) => {
        const expected = `Deployment tigera-operator available; Installation default with registry quay.io and IP pool ${POD_SUBNET}; a Running, ready calico-node pod on each of ${clusterNodes(ctx).length} nodes; coredns pods Running`;
        const hint = {
          en: 'kubectl create -f https://raw.githubusercontent.com/projectcalico/calico/v3.26.4/manifests/tigera-operator.yaml, then kubectl create -f the course\'s calico-quay-crd.yaml (registry: quay.io: docker.io is blocked)',
          ko: 'tigera-operator.yaml 을 kubectl create -f 로 만든 다음, 과정의 calico-quay-crd.yaml (registry: quay.io, docker.io 는 막혀 있음) 을 kubectl create -f 하세요',
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const items = a.core.items;
        const problems: string[] = [];
        const op = find(items, 'Deployment', 'tigera-operator', 'tigera-operator');
        if (!op) problems.push('no Deployment tigera-operator in namespace tigera-operator');
        else {
          const r = deploymentReady(op);
          if (!r.available) problems.push(`tigera-operator ${r.ready}/${r.desired} ready: ${byKind(items, 'Pod', 'tigera-operator').map(describePod).join('; ') || 'no pods'}`);
        }
        const inst = a.crds['installations.operator.tigera.io'];
        let registry = '';
        if (!inst || !inst.ok) problems.push(inst ? `Installation cannot be read: ${describeKubectlError(inst.error)}` : 'Installation not read');
        else {
          const d = inst.items.find((o) => o.metadata.name === 'default');
          if (!d) problems.push(`no Installation default (found ${inst.items.map((o) => o.metadata.name).join(', ') || 'none'})`);
          else {
            registry = String(d.spec?.registry ?? '');
            if (registry.replace(/\/$/, '') !== 'quay.io') problems.push(`Installation default uses registry ${registry || 'none (the default, docker.io)'}`);
            const pools = ((d.spec?.calicoNetwork?.ipPools ?? []) as { cidr?: string }[]).map((p) => p.cidr);
            if (!pools.includes(POD_SUBNET)) problems.push(`Installation IP pools ${pools.join(', ') || 'none'}`);
          }
        }
        const calicoNode = byKind(items, 'Pod', 'calico-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'calico-node');
        const nodes = byKind(items, 'Node').map((n) => n.metadata.name);
        const notRunning = calicoNode.filter((p) => !podReady(p));
        const covered = new Set(calicoNode.filter(podReady).map((p) => p.spec?.nodeName));
        const uncovered = nodes.filter((n) => !covered.has(n));
        if (!calicoNode.length) problems.push('no calico-node pods in calico-system');
        else {
          if (notRunning.length) problems.push(`calico-node not ready: ${notRunning.map(describePod).join('; ')}`);
          else if (uncovered.length) problems.push(`no ready calico-node on ${uncovered.join(', ')}`);
        }
        const dns = byKind(items, 'Pod', 'kube-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns');
        const dnsBad = dns.filter((p) => !podReady(p));
        if (!dns.length) problems.push('no coredns pods in kube-system');
        else if (dnsBad.length) problems.push(`coredns not Running: ${dnsBad.map(describePod).join('; ')}`);
        const found = `tigera-operator available; Installation default registry ${registry}; calico-node ready on ${[...covered].join(', ')}; coredns ${dns.length} Running`;
        return problems.length ? fail(clip(problems.join('; '), 1200), expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd3.nodes-ready',
      title: { en: 'control1, worker1, worker2 all Ready', ko: 'control1, worker1, worker2 모두 Ready' },
      scope: 'cluster',
      needs: ['d3.calico'],
      probes: () => ({ a: api() }),
      verdict: ({ a }, ctx) => {
        const want = clusterNodes(ctx);
        const expected = `exactly the nodes ${want.join(', ')}, each Ready=True`;
        const bad = apiFailure(a.core, expected);
        if (bad) return bad;
        const hint = {
          en: 'a missing node: join it (kubeadm join ...); a NotReady node: see its message (kubectl describe node <name>); the CNI (Calico) must run on it',
          ko: '없는 노드는 kubeadm join 으로 추가하고, NotReady 노드는 메시지를 보세요 (kubectl describe node <이름>): 그 노드에서 CNI(Calico)가 돌아야 합니다',
        };
        if (!a.core.ok) return bad!;
        const nodes = byKind(a.core.items, 'Node');
        const names = nodes.map((n) => n.metadata.name);
        const matchName = (w: string) => (n: string) => n === w || n === short(w);
        const missing = want.filter((w) => !names.some(matchName(w)));
        const extra = names.filter((n) => !want.some((w) => matchName(w)(n)));
        const states = nodes.map(nodeReady);
        const problems = [
          ...(missing.length ? [`missing ${missing.join(', ')}`] : []),
          ...(extra.length ? [`unexpected ${extra.join(', ')}`] : []),
          ...states.filter((x) => !x.ready).map((x) => x.text),
        ];
        const found = states.map((x) => x.text).join('; ') || 'no nodes';
        return problems.length ? fail(`${problems.join('; ')} (nodes: ${names.join(', ') || 'none'})`, expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd3.test-httpd',
      title: { en: 'pod test-httpd (httpd-24-centos7) Running', ko: 'pod test-httpd (httpd-24-centos7) Running' },
      scope: 'cluster',
      needs: ['d3.calico'],
      probes: () => ({ a: api() }),
      verdict: ({ a }) => {
        const expected = `pod test-httpd in default, image ${HTTPD}, Running and ready`;
        const hint = { en: `kubectl run test-httpd --image=${HTTPD}`, ko: `kubectl run test-httpd --image=${HTTPD}` };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const p = find(a.core.items, 'Pod', 'default', 'test-httpd');
        if (!p) {
          const others = byKind(a.core.items, 'Pod', 'default').map((x) => x.metadata.name);
          return fail(`no pod test-httpd in default${others.length ? ` (pods there: ${others.join(', ')})` : ''}`, expected, hint);
        }
        const images = ((p.spec?.containers ?? []) as { image: string }[]).map((c) => c.image);
        if (!images.some((i) => imageName(i) === HTTPD)) return fail(`test-httpd runs ${images.join(', ')}, not ${HTTPD}: ${describePod(p)}`, expected, hint);
        return podReady(p) ? pass(describePod(p), expected) : fail(describePod(p), expected, hint);
      },
    }),
    check({
      id: 'd3.np-test-httpd',
      title: { en: 'Service np-test-httpd: NodePort 8080 -> test-httpd, answering', ko: 'Service np-test-httpd: NodePort 8080 -> test-httpd, 응답' },
      scope: 'cluster',
      needs: ['d3.test-httpd'],
      probes: (ctx) => ({ a: api(), http: nodePortHttp('default', 'np-test-httpd', apiHost(ctx)) }),
      verdict: ({ a, http }, ctx) => {
        const host = apiHost(ctx);
        const expected = `Service np-test-httpd in default: type NodePort, port 8080 -> targetPort 8080, selector matching test-httpd (run=test-httpd), a ready endpoint; curl http://${host}:<nodePort>/ answers`;
        const hint = {
          en: 'kubectl expose pod --port=8080 --type=NodePort --name=np-test-httpd test-httpd',
          ko: 'kubectl expose pod --port=8080 --type=NodePort --name=np-test-httpd test-httpd',
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const s = find(a.core.items, 'Service', 'default', 'np-test-httpd');
        if (!s) {
          const others = byKind(a.core.items, 'Service', 'default').map((x) => `${x.metadata.name} (${x.spec?.type})`);
          return fail(`no Service np-test-httpd in default (services there: ${others.join(', ') || 'none'})`, expected, hint);
        }
        const ep = find(a.core.items, 'Endpoints', 'default', 'np-test-httpd');
        const found = describeService(s, ep);
        const pod = find(a.core.items, 'Pod', 'default', 'test-httpd');
        const problems: string[] = [];
        if (s.spec?.type !== 'NodePort') problems.push(`type ${s.spec?.type ?? 'ClusterIP'}`);
        const ports = (s.spec?.ports ?? []) as { port: number; targetPort?: number | string }[];
        if (!ports.some((p) => p.port === 8080 && String(p.targetPort ?? p.port) === '8080')) problems.push(`ports ${ports.map((p) => `${p.port}->${p.targetPort ?? p.port}`).join(', ')}`);
        if (!selectorMatches(s.spec?.selector, pod?.metadata.labels)) problems.push(`selector does not match test-httpd's labels (${JSON.stringify(pod?.metadata.labels ?? {})})`);
        if (!readyEndpoints(ep)) problems.push('no ready endpoint');
        if (!problems.length && !http.status) {
          problems.push(http.error ? `nodePort unreadable: ${describeKubectlError(http.error)}` : `curl http://${host}:${http.nodePort ?? '?'}/ got no HTTP answer (curl exit ${http.curlExit})`);
        }
        return problems.length ? fail(`${found}: ${problems.join('; ')}`, expected, hint) : pass(`${found}; curl :${http.nodePort} -> HTTP ${http.status}`, expected);
      },
    }),
    check({
      id: 'd3.completion',
      title: { en: 'bash completion for kubectl and kubeadm', ko: 'kubectl, kubeadm bash 자동완성' },
      scope: 'control',
      needs: ['d2.k8s-packages'],
      probes: () => ({ f: k8sNodeFiles() }),
      verdict: ({ f }) => {
        const expected = '/etc/bash_completion.d/kubectl and /etc/bash_completion.d/kubeadm hold their bash completion scripts';
        const hint = {
          en: 'kubeadm completion bash > /etc/bash_completion.d/kubeadm; kubectl completion bash > /etc/bash_completion.d/kubectl',
          ko: 'kubeadm completion bash > /etc/bash_completion.d/kubeadm; kubectl completion bash > /etc/bash_completion.d/kubectl',
        };
        const say = (c: string) => {
          const x = f.completion[c];
          return !x?.exists ? `/etc/bash_completion.d/${c} missing` : x.script ? `/etc/bash_completion.d/${c} (${x.bytes} bytes)` : `/etc/bash_completion.d/${c} is not a ${c} completion script (${x.bytes} bytes)`;
        };
        const found = `${say('kubectl')}; ${say('kubeadm')}`;
        return f.completion.kubectl?.script && f.completion.kubeadm?.script ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
  ],
});
