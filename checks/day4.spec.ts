/**
 * Day 4: namespaces, a Deployment and its NodePort Service, the context's namespace (../shared/course/outcomes.md,
 * "Day 4"). Cluster checks read the API once per node through control1, as root's kubectl would (the same read
 * grades the day-3 checks they need: a cluster that is not there BLOCKS them, named); d4.context reads the
 * kubeconfig root's kubectl uses.
 */
import { check } from '../src/grade/course.ts';
import {
  apiFailure,
  byKind,
  clip,
  deploymentReady,
  describeNotReady,
  describeService,
  find,
  imageName,
  labelsText,
  podReady,
  podsSelected,
  readyEndpoints,
  selectorMatches,
} from '../src/grade/k8s-verdicts.ts';
import { checksOf } from '../src/grade/prior.ts';
import { fail, pass } from '../src/grade/verdicts.ts';
import { gradeDay } from '../src/grade/vitest.ts';
import { courseApi, describeKubectlError, kubeconfigContext, type K8sObject } from '../src/probes/index.ts';

const api = courseApi;
const NS = 'release-apache';
const NAME = 'release-apache';
const SELECTOR = { run: 'release-apache' };
const REPLICAS = 5;
const CONTAINERS = [
  { name: 'release-apache', image: 'quay.io/centos7/httpd-24-centos7', port: 8080 },
  { name: 'release-vsftp', image: 'quay.io/eformat/openshift-vsftpd', port: 21 },
];
const PORTS = [
  { port: 8080, targetPort: 8080, nodePort: 32080 },
  { port: 21, targetPort: 21, nodePort: 32021 },
];
/** the namespaces of d4.namespaces and the labels each must carry */
const NAMESPACES: { name: string; labels: Record<string, string> }[] = [
  { name: 'first-namespace', labels: {} },
  { name: 'second-namespace', labels: { type: 'namespace' } },
  { name: 'wordpress-service', labels: { service: 'wordpress', type: 'namespace' } },
];
const SYSTEM_NS = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'tigera-operator', 'calico-system', 'calico-apiserver']);
/** a list field as a list, whatever the node sent */
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const kv = (m: Record<string, unknown> | undefined) => Object.entries(m ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(',') || 'none';
/** where else an object of that name is, e.g. a Deployment made in default instead */
const elsewhere = (items: K8sObject[], kind: string, name: string) =>
  byKind(items, kind).filter((o) => o.metadata.name === name && o.metadata.namespace !== NS).map((o) => o.metadata.namespace ?? '');

// compiled (dist/checks/day4.spec.js) or source: the earlier days' specs of the same kind
const ext = import.meta.url.endsWith('.js') ? '.js' : '.ts';
const day3 = await checksOf(new URL(`./day3.spec${ext}`, import.meta.url), 3);
// day 3's checks need day 2's (d3.control-plane needs d2.k8s-packages): graded too, day order first
const day2 = await checksOf(new URL(`./day2.spec${ext}`, import.meta.url), 2);

gradeDay({
  day: 4,
  prerequisites: [...day2, ...day3],
  checks: [
    check({
      id: 'd4.namespaces',
      title: { en: 'namespaces first-namespace, second-namespace (type=namespace), wordpress-service (service=wordpress, type=namespace)', ko: '네임스페이스 first-namespace, second-namespace (type=namespace), wordpress-service (service=wordpress, type=namespace)' },
      scope: 'cluster',
      needs: ['d3.control-plane'],
      probes: () => ({ a: api() }),
      verdict: ({ a }) => {
        const expected = 'namespace first-namespace; second-namespace labelled type=namespace; wordpress-service labelled service=wordpress and type=namespace (other labels allowed)';
        const hint = {
          en: 'kubectl create namespace first-namespace; kubectl create -f second-namespace.yaml and kubectl apply -f wordpress-namespace.yaml (metadata.labels as in the notes), or kubectl label namespace <name> key=value (--overwrite to change a value)',
          ko: 'kubectl create namespace first-namespace; 노트의 metadata.labels 를 넣은 second-namespace.yaml 은 kubectl create -f, wordpress-namespace.yaml 은 kubectl apply -f 로 만들거나, kubectl label namespace <이름> key=value (값을 바꿀 때는 --overwrite)',
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const items = a.core.items;
        const problems: string[] = [];
        const seen: string[] = [];
        let missing = false;
        for (const want of NAMESPACES) {
          const ns = find(items, 'Namespace', undefined, want.name);
          if (!ns) {
            problems.push(`no namespace ${want.name}`);
            missing = true;
            continue;
          }
          const labels = ns.metadata.labels ?? {};
          const wrong = Object.entries(want.labels).filter(([k, v]) => labels[k] !== v);
          const phase = String(ns.status?.phase ?? 'Active');
          if (wrong.length) problems.push(`namespace ${want.name} has ${labelsText(labels)}, lacks ${wrong.map(([k, v]) => `${k}=${v}`).join(', ')}`);
          else if (phase !== 'Active') problems.push(`namespace ${want.name} is ${phase}`);
          seen.push(`${want.name} (${labelsText(labels)})`);
        }
        if (problems.length) {
          // a missing one may be there under another name (a typo): name the student's other namespaces
          const others = byKind(items, 'Namespace').map((n) => n.metadata.name).filter((n) => !SYSTEM_NS.has(n) && n !== NS && !NAMESPACES.some((w) => w.name === n));
          return fail(`${problems.join('; ')}${missing && others.length ? ` (other namespaces: ${others.join(', ')})` : ''}`, expected, hint);
        }
        return pass(`namespaces ${seen.join('; ')}`, expected);
      },
    }),
    check({
      id: 'd4.release-ns',
      title: { en: 'namespace release-apache', ko: '네임스페이스 release-apache' },
      scope: 'cluster',
      needs: ['d3.control-plane'],
      probes: () => ({ a: api() }),
      verdict: ({ a }) => {
        const expected = `namespace ${NS}`;
        const hint = {
          en: `kubectl create namespace ${NS} (or the Namespace document at the top of release-apache.yaml: kubectl apply -f release-apache.yaml)`,
          ko: `kubectl create namespace ${NS} (또는 release-apache.yaml 맨 위의 Namespace 문서: kubectl apply -f release-apache.yaml)`,
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const items = a.core.items;
        const ns = find(items, 'Namespace', undefined, NS);
        if (!ns) {
          const others = byKind(items, 'Namespace').map((n) => n.metadata.name).filter((n) => !SYSTEM_NS.has(n));
          const misplaced = elsewhere(items, 'Deployment', NAME);
          return fail(
            `no namespace ${NS}${others.length ? ` (namespaces: ${others.join(', ')})` : ''}${misplaced.length ? `; Deployment ${NAME} is in ${misplaced.join(', ')}` : ''}`,
            expected,
            hint,
          );
        }
        const phase = String(ns.status?.phase ?? 'Active');
        return phase === 'Active' ? pass(`namespace ${NS} (${labelsText(ns.metadata.labels)})`, expected) : fail(`namespace ${NS} is ${phase}`, expected, hint);
      },
    }),
    check({
      id: 'd4.release-deploy',
      title: { en: 'Deployment release-apache: 5 replicas of httpd + vsftpd, 5/5 ready', ko: 'Deployment release-apache: httpd + vsftpd 5개 복제본, 5/5 ready' },
      scope: 'cluster',
      needs: ['d4.release-ns', 'd3.nodes-ready'],
      probes: () => ({ a: api() }),
      verdict: ({ a }) => {
        const expected = `Deployment ${NAME} in ${NS}: ${REPLICAS} replicas, selector ${kv(SELECTOR)}, containers ${CONTAINERS.map((c) => `${c.name} (${c.image}, port ${c.port})`).join(' and ')}; ${REPLICAS}/${REPLICAS} ready`;
        const hint = {
          en: 'kubectl apply -f release-apache.yaml (the notes\' Deployment: replicas: 5, selector.matchLabels run: release-apache, the two containers with their containerPort); kubectl get pods -n release-apache shows why a pod is not ready',
          ko: 'kubectl apply -f release-apache.yaml (노트의 Deployment: replicas: 5, selector.matchLabels run: release-apache, 두 컨테이너와 containerPort); 준비되지 않은 pod 는 kubectl get pods -n release-apache 로 이유를 보세요',
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const items = a.core.items;
        const d = find(items, 'Deployment', NS, NAME);
        if (!d) {
          const here = byKind(items, 'Deployment', NS).map((x) => x.metadata.name);
          const there = elsewhere(items, 'Deployment', NAME);
          return fail(
            `no Deployment ${NAME} in ${NS}${here.length ? ` (Deployments there: ${here.join(', ')})` : ''}${there.length ? `; one is in ${there.join(', ')}` : ''}`,
            expected,
            hint,
          );
        }
        const problems: string[] = [];
        const replicas = Number(d.spec?.replicas ?? 1);
        const r = deploymentReady(d);
        if (replicas !== REPLICAS) problems.push(`replicas ${replicas}, not ${REPLICAS} (${r.ready}/${replicas} ready)`);
        const sel = (d.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
        if (sel.run !== SELECTOR.run) problems.push(`selector ${kv(sel)}`);
        const containers = arr<{ name: string; image: string; ports?: unknown }>(d.spec?.template?.spec?.containers).map((c) => ({ ...c, ports: arr<{ containerPort: number }>(c?.ports) }));
        const listed = containers.map((c) => `${c.name} (${c.image}${c.ports.length ? `, port ${c.ports.map((p) => p.containerPort).join('/')}` : ''})`).join(', ') || 'none';
        for (const want of CONTAINERS) {
          const c = containers.find((x) => x.name === want.name);
          if (!c) problems.push(`no container ${want.name} (containers: ${listed})`);
          else {
            if (imageName(String(c.image)) !== want.image) problems.push(`container ${want.name} runs ${c.image}`);
            if (!c.ports.some((p) => Number(p?.containerPort) === want.port)) problems.push(`container ${want.name} declares ${c.ports.length ? `port ${c.ports.map((p) => p?.containerPort).join(', ')}` : 'no port'}`);
          }
        }
        const pods = podsSelected(items, NS, sel);
        const ready = pods.filter(podReady).length;
        const readyText = `${r.ready}/${replicas} ready`;
        // fewer ready than asked for: how many, and each pod's reason (its containers' waiting reasons)
        if (r.ready < replicas || ready < replicas) {
          const why = describeNotReady(pods);
          problems.push(`${readyText}${why ? `: ${why}` : pods.length ? '' : ' (no pods)'}`);
        }
        const found = `Deployment ${NAME}: ${readyText}, selector ${kv(sel)}, containers ${listed}`;
        return problems.length ? fail(clip(`${NAME}: ${problems.join('; ')}`, 1200), expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd4.release-svc',
      title: { en: 'Service release-apache: NodePort 8080->32080 and 21->32021, endpoints', ko: 'Service release-apache: NodePort 8080->32080, 21->32021, 엔드포인트' },
      scope: 'cluster',
      needs: ['d4.release-deploy'],
      probes: () => ({ a: api() }),
      verdict: ({ a }) => {
        const expected = `Service ${NAME} in ${NS}: type NodePort, ports ${PORTS.map((p) => `${p.port}->${p.targetPort} on nodePort ${p.nodePort}`).join(' and ')}, selector ${kv(SELECTOR)}, an endpoint for each ready pod`;
        const hint = {
          en: 'kubectl apply -f release-apache-svc.yaml (the notes\' Service: type: NodePort, the two ports with nodePort 32080 and 32021, selector run: release-apache); a wrong Service: kubectl delete service release-apache -n release-apache, then apply again',
          ko: 'kubectl apply -f release-apache-svc.yaml (노트의 Service: type: NodePort, nodePort 32080, 32021 인 두 포트, selector run: release-apache); 잘못 만든 Service 는 kubectl delete service release-apache -n release-apache 후 다시 apply',
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const items = a.core.items;
        const s = find(items, 'Service', NS, NAME);
        if (!s) {
          const here = byKind(items, 'Service', NS).map((x) => `${x.metadata.name} (${x.spec?.type ?? 'ClusterIP'})`);
          const there = elsewhere(items, 'Service', NAME);
          return fail(`no Service ${NAME} in ${NS}${here.length ? ` (Services there: ${here.join(', ')})` : ''}${there.length ? `; one is in ${there.join(', ')}` : ''}`, expected, hint);
        }
        const ep = find(items, 'Endpoints', NS, NAME);
        const found = describeService(s, ep);
        const d = find(items, 'Deployment', NS, NAME);
        const template = (d?.spec?.template ?? {}) as { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { ports?: { name?: string; containerPort: number }[] }[] } };
        const problems: string[] = [];
        if (s.spec?.type !== 'NodePort') problems.push(`type ${s.spec?.type ?? 'ClusterIP'}`);
        const ports = arr<{ port: number; targetPort?: number | string; nodePort?: number; protocol?: string }>(s.spec?.ports);
        // a named targetPort is the container port of that name (the Service's own rule)
        const named = new Map(arr<{ ports?: unknown }>(template.spec?.containers).flatMap((c) => arr<{ name?: string; containerPort: number }>(c?.ports)).filter((p) => p?.name).map((p) => [p.name!, p.containerPort]));
        const target = (p: { port: number; targetPort?: number | string }) => (typeof p.targetPort === 'string' && !/^\d+$/.test(p.targetPort) ? named.get(p.targetPort) : Number(p.targetPort ?? p.port));
        for (const want of PORTS) {
          const p = ports.find((x) => Number(x.port) === want.port);
          if (!p) problems.push(`no port ${want.port}`);
          else {
            if (target(p) !== want.targetPort) problems.push(`port ${want.port} targets ${p.targetPort ?? p.port}`);
            if (Number(p.nodePort) !== want.nodePort) problems.push(`port ${want.port} on nodePort ${p.nodePort ?? 'none'}`);
            if ((p.protocol ?? 'TCP') !== 'TCP') problems.push(`port ${want.port} is ${p.protocol}`);
          }
        }
        const sel = s.spec?.selector as Record<string, string> | undefined;
        const podLabels = template.metadata?.labels;
        if (sel?.run !== SELECTOR.run || !selectorMatches(sel, podLabels)) problems.push(`selector ${kv(sel)} does not select the Deployment's pods (${kv(podLabels)})`);
        const readyPods = sel && Object.keys(sel).length ? podsSelected(items, NS, sel).filter(podReady).length : 0;
        const eps = readyEndpoints(ep);
        if (!eps || eps < readyPods) problems.push(`${eps} ready endpoint(s) for ${readyPods} ready pod(s) it selects`);
        return problems.length ? fail(`${found}: ${problems.join('; ')}`, expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd4.context',
      title: { en: "root's kubeconfig: current context's namespace is release-apache", ko: 'root 의 kubeconfig: 현재 컨텍스트의 네임스페이스가 release-apache' },
      scope: 'control',
      needs: ['d3.control-plane'],
      probes: () => ({ k: kubeconfigContext() }),
      verdict: ({ k }) => {
        const file = k.kubeconfig.used ?? 'no kubeconfig';
        const expected = `the current context of the kubeconfig root's kubectl uses (${file}) has namespace ${NS}`;
        const hint = {
          en: `kubectl config set-context --current --namespace=${NS} (as root, with the kubeconfig you use: KUBECONFIG or ~/.kube/config); kubectl config get-contexts shows it`,
          ko: `kubectl config set-context --current --namespace=${NS} (root 로, 평소 쓰는 kubeconfig 로: KUBECONFIG 또는 ~/.kube/config); kubectl config get-contexts 로 확인하세요`,
        };
        if (!k.read.ok) return fail(`kubectl config view failed with ${file}: ${describeKubectlError(k.read.error)}`, expected, hint);
        const c = k.read.context;
        if (!c) return fail(`${file} names no current-context`, expected, hint);
        const found = `${file}: current context ${c.name}, namespace ${c.namespace ?? 'not set (kubectl uses default)'}${k.kubeconfig.envFrom ? ` (KUBECONFIG from ${k.kubeconfig.envFrom})` : ''}`;
        return c.namespace === NS ? pass(found, expected) : fail(found, expected, hint);
      },
    }),
  ],
});
