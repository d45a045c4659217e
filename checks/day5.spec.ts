/**
 * Day 5: a CentOS pod, NFS, a StorageClass, a PV/PVC (../shared/course/outcomes.md, "Day 5").
 * Cluster checks read the API once per node through control1 (the kinds of days 3-5 in one read);
 * d5.nfs-server reads control1's packages, nfs-server unit and the kernel's export list (`exportfs -s`).
 * Objects are looked for in every namespace, default first: day 4 leaves kubectl's context on
 * release-apache, so an object made without -n may be there (the finding says so).
 */
import { check, k8sName, type NodeContext } from '../src/grade/course.ts';
import {
  apiFailure,
  byKind,
  clip,
  deploymentReady,
  describePod,
  describeService,
  describeVolume,
  findNamed,
  imageName,
  podReady,
  quantityBytes,
  readyEndpoints,
  selectorMatches,
  whyUnbound,
} from '../src/grade/k8s-verdicts.ts';
import { checksOf } from '../src/grade/prior.ts';
import { describeUnit, fail, pass, unit } from '../src/grade/verdicts.ts';
import { gradeDay } from '../src/grade/vitest.ts';
import { courseApi, exportLines, nfsExports, rpmPackages, systemdUnits, type K8sObject } from '../src/probes/index.ts';

const api = () => courseApi();
const CENTOS = 'quay.io/centos/centos';
const CENTOS_REF = `${CENTOS}:stream9`;
const NFS_PATH = '/nfs';
const apiHost = (ctx: NodeContext) => ctx.apiServer.split(':')[0]!;
/** the NFS server as a volume may name it: control1's address, or its name (the notes' PV says control1.example.com) */
const nfsServers = (ctx: NodeContext) => {
  const name = k8sName(ctx, ctx.controlNode);
  return [apiHost(ctx), name, name.split('.')[0]!];
};
const samePath = (a: unknown, b: string) => typeof a === 'string' && (a === b || a === `${b}/`);
const mountsAt = (c: { volumeMounts?: { name: string; mountPath: string }[] }, volume: string) => (c.volumeMounts ?? []).filter((m) => m.name === volume).map((m) => m.mountPath);
type Container = { name: string; image: string; command?: string[]; args?: string[]; volumeMounts?: { name: string; mountPath: string }[] };
type Volume = { name: string; nfs?: { server?: string; path?: string }; persistentVolumeClaim?: { claimName?: string }; csi?: { driver?: string; volumeAttributes?: Record<string, string> } };
const containersOf = (spec: K8sObject['spec']): Container[] => (spec?.containers ?? []) as Container[];
const volumesOf = (spec: K8sObject['spec']): Volume[] => (spec?.volumes ?? []) as Volume[];

gradeDay({
  day: 5,
  // compiled (dist/checks/day3.spec.js) or source: day 3's spec of the same kind
  prerequisites: await checksOf(new URL(`./day3.spec${import.meta.url.endsWith('.js') ? '.js' : '.ts'}`, import.meta.url), 3),
  checks: [
    check({
      id: 'd5.test-centos',
      title: { en: 'pod test-centos (centos:stream9, sleep 10000) Running', ko: 'pod test-centos (centos:stream9, sleep 10000) Running' },
      scope: 'cluster',
      needs: ['d3.calico'],
      probes: () => ({ a: api() }),
      verdict: ({ a }) => {
        const expected = `pod test-centos (default) from ${CENTOS_REF} with a command that keeps it running (sleep 10000), Running and ready`;
        const hint = { en: `kubectl run test-centos --image=${CENTOS_REF} sleep 10000`, ko: `kubectl run test-centos --image=${CENTOS_REF} sleep 10000` };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const { obj: p, where: at } = findNamed(a.core.items, 'Pod', 'test-centos');
        if (!p) {
          const others = byKind(a.core.items, 'Pod', 'default').map((x) => x.metadata.name);
          return fail(`no pod test-centos in any namespace${others.length ? ` (pods in default: ${others.join(', ')})` : ''}`, expected, hint);
        }
        const cs = containersOf(p.spec);
        const c = cs.find((x) => imageName(x.image) === CENTOS);
        if (!c) return fail(`test-centos${at} runs ${cs.map((x) => x.image).join(', ')}, not ${CENTOS_REF}: ${describePod(p)}`, expected, hint);
        const cmd = [...(c.command ?? []), ...(c.args ?? [])];
        const ref = c.image.includes(':') ? c.image.slice(c.image.lastIndexOf(':') + 1) : 'latest';
        if (ref !== 'stream9') return fail(`test-centos${at} runs ${c.image} (tag ${ref}), not ${CENTOS_REF}: ${describePod(p)}`, expected, hint);
        if (podReady(p)) return pass(`${describePod(p)}${at}; command: ${cmd.join(' ') || '(image default)'}`, expected);
        const crash = ((p.status?.containerStatuses ?? []) as { state?: { waiting?: { reason?: string } } }[]).some((s) => s.state?.waiting?.reason === 'CrashLoopBackOff');
        const why = !cmd.length
          ? `no command: the image's /bin/bash exits at once without a terminal, so the pod restarts forever${crash ? ' (CrashLoopBackOff)' : ''}; `
          : crash
            ? `its command (${clip(cmd.join(' '), 80)}) exits, so the pod restarts forever (CrashLoopBackOff); `
            : '';
        return fail(`${why}${describePod(p)}${at}`, expected, hint);
      },
    }),
    check({
      id: 'd5.np-test-centos',
      title: { en: 'Service np-test-centos: NodePort, port 80 -> 80, selecting test-centos', ko: 'Service np-test-centos: NodePort, 80 -> 80, test-centos 선택' },
      scope: 'cluster',
      needs: ['d5.test-centos'],
      probes: () => ({ a: api() }),
      verdict: ({ a }) => {
        const expected = 'Service np-test-centos beside test-centos (default): type NodePort, port 80 -> targetPort 80, selector matching test-centos (run=test-centos), a ready endpoint';
        const hint = {
          en: 'kubectl expose pod test-centos --name=np-test-centos --type=NodePort --port=80 --target-port=80',
          ko: 'kubectl expose pod test-centos --name=np-test-centos --type=NodePort --port=80 --target-port=80',
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const items = a.core.items;
        const { obj: s, ns, where: at } = findNamed(items, 'Service', 'np-test-centos');
        if (!s) {
          const others = byKind(items, 'Service', 'default').map((x) => `${x.metadata.name} (${x.spec?.type})`);
          return fail(`no Service np-test-centos in any namespace (services in default: ${others.join(', ') || 'none'})`, expected, hint);
        }
        const ep = byKind(items, 'Endpoints', ns).find((x) => x.metadata.name === 'np-test-centos');
        const found = `${describeService(s, ep)}${at}`;
        // a Service selects pods of its own namespace only
        const pod = byKind(items, 'Pod', ns).find((x) => x.metadata.name === 'test-centos');
        const problems: string[] = [];
        if (s.spec?.type !== 'NodePort') problems.push(`type ${s.spec?.type ?? 'ClusterIP'}`);
        const ports = (s.spec?.ports ?? []) as { port: number; targetPort?: number | string }[];
        if (!ports.some((p) => p.port === 80 && String(p.targetPort ?? p.port) === '80')) problems.push(`ports ${ports.map((p) => `${p.port}->${p.targetPort ?? p.port}`).join(', ') || 'none'}`);
        if (!pod) problems.push(`no pod test-centos in its namespace ${ns ?? 'default'}: a Service selects pods of its own namespace only`);
        else if (!selectorMatches(s.spec?.selector, pod.metadata.labels)) problems.push(`selector does not match test-centos's labels (${JSON.stringify(pod.metadata.labels ?? {})})`);
        else if (!readyEndpoints(ep)) problems.push('no ready endpoint');
        return problems.length ? fail(`${found}: ${problems.join('; ')}`, expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd5.nfs-server',
      title: { en: 'NFS server on control1: nfs-utils, nfs-server enabled and active, /nfs exported', ko: 'control1 NFS 서버: nfs-utils, nfs-server enable + 실행, /nfs export' },
      scope: 'control',
      probes: () => ({ r: rpmPackages(['nfs-utils']), s: systemdUnits(['nfs-server']), n: nfsExports() }),
      verdict: ({ r, s, n }) => {
        const expected = `nfs-utils installed; nfs-server enabled and active; ${NFS_PATH} in the kernel's export list (exportfs -s), from /etc/exports or /etc/exports.d/*.exports`;
        const hint = {
          en: "dnf install nfs-utils -y; systemctl enable --now nfs-server; mkdir -p /nfs; echo '/nfs *(rw,no_root_squash)' > /etc/exports (the file is /etc/exports, and no space inside the parentheses); exportfs -avrs",
          ko: "dnf install nfs-utils -y; systemctl enable --now nfs-server; mkdir -p /nfs; echo '/nfs *(rw,no_root_squash)' > /etc/exports (파일 이름은 /etc/exports, 괄호 안에 공백 없이); exportfs -avrs",
        };
        if (r.missing) return fail(`rpm is missing: ${r.missing}`, expected, hint);
        if (!r.packages['nfs-utils']?.installed) return fail('nfs-utils is not installed', expected, hint);
        const problems: string[] = [];
        const u = unit(s, 'nfs-server');
        const unitText = s.missing || s.error ? `systemctl failed: ${s.missing ?? s.error}` : describeUnit(u, 'nfs-server');
        if (!(u?.enabled === 'enabled' && u.active === 'active')) problems.push(unitText);
        const exported = n.exportfs?.exports ?? [];
        const mine = exported.filter((e) => samePath(e.path, NFS_PATH));
        const list = exported.map((e) => `${e.path} ${e.client}`).join(', ') || 'nothing';
        if (!n.exportfs) problems.push('exportfs is not installed');
        else if (!mine.length) {
          // why: what the files exportfs -r reads say about /nfs
          const read = n.files.filter((f) => f.path === '/etc/exports' || (f.path.startsWith('/etc/exports.d/') && f.path.endsWith('.exports')));
          const ignored = n.files.filter((f) => f.path.startsWith('/etc/exports.d/') && !f.path.endsWith('.exports'));
          const lines = read.flatMap((f) => exportLines(f.path, f.content));
          const nfsLines = lines.filter((l) => samePath(l.path, NFS_PATH));
          const broken = lines.find((l) => l.badOptionList);
          const slip = n.files.find((f) => f.path === '/etc/exportfs');
          const slipLines = slip ? exportLines(slip.path, slip.content).filter((l) => samePath(l.path, NFS_PATH)) : [];
          let why: string;
          if (broken) {
            why = `${broken.file} line ${broken.line} \`${clip(broken.text, 80)}\` has a space inside the options: exportfs rejects it (exportfs: ${broken.file}:${broken.line}: syntax error: bad option list) and reads no further; write *(rw,no_root_squash)`;
          } else if (!nfsLines.length && slipLines.length) {
            why = `/nfs is only in /etc/exportfs, a file exportfs never reads: the file is /etc/exports`;
          } else if (!nfsLines.length && ignored.some((f) => exportLines(f.path, f.content).some((l) => samePath(l.path, NFS_PATH)))) {
            why = `/nfs is only in ${ignored.map((f) => f.path).join(', ')}: exportfs reads /etc/exports.d/*.exports only`;
          } else if (nfsLines.length) {
            why = `${nfsLines[0]!.file} line ${nfsLines[0]!.line} lists /nfs but it was not exported since: run exportfs -ra (or systemctl restart nfs-server)`;
          } else why = `no export of /nfs in /etc/exports${read.length > 1 ? ' or /etc/exports.d' : ''}${read.length ? '' : ' (the file does not exist)'}`;
          problems.push(`${NFS_PATH} is not exported (exportfs -s: ${list}): ${why}`);
        }
        const found = `${r.packages['nfs-utils']?.nvra ?? 'nfs-utils'}; ${unitText}; exported: ${list}`;
        return problems.length ? fail(clip(problems.join('; '), 1200), expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd5.csi-driver',
      title: { en: 'csi-driver-nfs v4.5.0: controller available, a node pod on every node', ko: 'csi-driver-nfs v4.5.0: 컨트롤러 available, 모든 노드에 node pod' },
      scope: 'cluster',
      needs: ['d3.nodes-ready'],
      probes: () => ({ a: api() }),
      verdict: ({ a }) => {
        const expected = 'in kube-system: Deployment csi-nfs-controller (nfsplugin v4.5.0) available; a Running, ready csi-nfs-node pod on every node';
        const hint = {
          en: 'curl -skSL https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/v4.5.0/deploy/install-driver.sh | bash -s v4.5.0 --',
          ko: 'curl -skSL https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/v4.5.0/deploy/install-driver.sh | bash -s v4.5.0 --',
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const items = a.core.items;
        const problems: string[] = [];
        const { obj: d, where: at } = findNamed(items, 'Deployment', 'csi-nfs-controller');
        let version = '';
        if (!d) problems.push('no Deployment csi-nfs-controller (the driver is not installed)');
        else {
          const plugin = containersOf(d.spec?.template?.spec).find((c) => imageName(c.image).endsWith('/nfsplugin'));
          version = plugin ? plugin.image.slice(plugin.image.lastIndexOf(':') + 1) : '';
          if (version !== 'v4.5.0') problems.push(`csi-nfs-controller${at} runs ${plugin?.image ?? 'no nfsplugin container'}, not v4.5.0`);
          const r = deploymentReady(d);
          if (!r.available) {
            const pods = byKind(items, 'Pod', d.metadata.namespace).filter((p) => p.metadata.labels?.app === 'csi-nfs-controller');
            problems.push(`csi-nfs-controller${at} ${r.ready}/${r.desired} ready: ${pods.map(describePod).join('; ') || 'no pods'}`);
          }
        }
        const nodePods = byKind(items, 'Pod').filter((p) => p.metadata.labels?.app === 'csi-nfs-node');
        const nodes = byKind(items, 'Node').map((x) => x.metadata.name);
        const covered = new Set(nodePods.filter(podReady).map((p) => p.spec?.nodeName));
        const uncovered = nodes.filter((x) => !covered.has(x));
        if (!nodePods.length) problems.push('no csi-nfs-node pods (DaemonSet csi-nfs-node missing)');
        else if (uncovered.length) {
          const bad2 = nodePods.filter((p) => !podReady(p));
          problems.push(`no ready csi-nfs-node on ${uncovered.join(', ')}${bad2.length ? `: ${bad2.map(describePod).join('; ')}` : ''}`);
        }
        const found = `csi-nfs-controller ${version || '?'} available${at}; csi-nfs-node ready on ${[...covered].join(', ')}`;
        return problems.length ? fail(clip(problems.join('; '), 1200), expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd5.storageclass',
      title: { en: 'StorageClass nfs-csi (nfs.csi.k8s.io, 192.168.90.110:/nfs)', ko: 'StorageClass nfs-csi (nfs.csi.k8s.io, 192.168.90.110:/nfs)' },
      scope: 'cluster',
      needs: ['d3.control-plane'],
      probes: () => ({ a: api() }),
      verdict: ({ a }, ctx) => {
        const host = apiHost(ctx);
        const expected = `StorageClass nfs-csi: provisioner nfs.csi.k8s.io, parameters server ${host} and path (or share) ${NFS_PATH}`;
        const hint = {
          en: 'kubectl apply -f the course\'s storageclass-configure.yaml (provisioner: nfs.csi.k8s.io; parameters: server: 192.168.90.110, path: /nfs)',
          ko: '과정의 storageclass-configure.yaml 을 kubectl apply -f 하세요 (provisioner: nfs.csi.k8s.io; parameters: server: 192.168.90.110, path: /nfs)',
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const sc = byKind(a.core.items, 'StorageClass').find((x) => x.metadata.name === 'nfs-csi');
        if (!sc) {
          const others = byKind(a.core.items, 'StorageClass').map((x) => `${x.metadata.name} (${String(x.provisioner ?? '')})`);
          return fail(`no StorageClass nfs-csi (storage classes: ${others.join(', ') || 'none'})`, expected, hint);
        }
        const params = (sc.parameters ?? {}) as Record<string, string>;
        const path = params.path ?? params.share;
        const found = `StorageClass nfs-csi: provisioner ${String(sc.provisioner ?? '')}, parameters ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}`;
        const problems: string[] = [];
        if (sc.provisioner !== 'nfs.csi.k8s.io') problems.push(`provisioner ${String(sc.provisioner ?? 'none')}`);
        if (!nfsServers(ctx).includes(params.server ?? '')) problems.push(`server ${params.server ?? 'not set'}`);
        if (!samePath(path, NFS_PATH)) problems.push(`path ${path ?? 'not set'}`);
        return problems.length ? fail(`${found}: ${problems.join('; ')}`, expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd5.nfs-csi-pod',
      title: { en: 'Deployment nfs-csi-pod available, mounting 192.168.90.110:/nfs', ko: 'Deployment nfs-csi-pod available, 192.168.90.110:/nfs 마운트' },
      scope: 'cluster',
      needs: ['d3.calico', 'd5.nfs-server'],
      probes: () => ({ a: api() }),
      verdict: ({ a }, ctx) => {
        const host = apiHost(ctx);
        const expected = `Deployment nfs-csi-pod (default) available, its pod template mounting an NFS volume of server ${host}, path ${NFS_PATH}`;
        const hint = {
          en: "kubectl apply -f the course's storageclass-deployment.yaml (volumes: nfs: server: 192.168.90.110, path: /nfs; mounted at /var/www/html/)",
          ko: '과정의 storageclass-deployment.yaml 을 kubectl apply -f 하세요 (volumes: nfs: server: 192.168.90.110, path: /nfs; /var/www/html/ 에 마운트)',
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const items = a.core.items;
        const { obj: d, where: at } = findNamed(items, 'Deployment', 'nfs-csi-pod');
        if (!d) return fail('no Deployment nfs-csi-pod in any namespace', expected, hint);
        const spec = d.spec?.template?.spec;
        const vols = volumesOf(spec);
        // the NFS volume: inline (the course's), or a claim bound to an NFS (or nfs.csi.k8s.io) volume
        const nfsOf = (v: Volume): { server?: string; path?: string } | undefined => {
          if (v.nfs) return v.nfs;
          if (v.csi?.driver === 'nfs.csi.k8s.io') return { server: v.csi.volumeAttributes?.server, path: v.csi.volumeAttributes?.share };
          const claim = v.persistentVolumeClaim?.claimName;
          const pvc = claim ? byKind(items, 'PersistentVolumeClaim', d.metadata.namespace).find((c) => c.metadata.name === claim) : undefined;
          const pv = pvc?.spec?.volumeName ? byKind(items, 'PersistentVolume').find((x) => x.metadata.name === pvc.spec.volumeName) : undefined;
          if (pv?.spec?.nfs) return pv.spec.nfs;
          if (pv?.spec?.csi?.driver === 'nfs.csi.k8s.io') return { server: pv.spec.csi.volumeAttributes?.server, path: pv.spec.csi.volumeAttributes?.share };
          return undefined;
        };
        const described = vols.map((v) => {
          const x = nfsOf(v);
          return x ? `${v.name} nfs ${x.server ?? '?'}:${x.path ?? '?'}` : `${v.name} (not NFS)`;
        });
        const good = vols.filter((v) => {
          const x = nfsOf(v);
          return x && nfsServers(ctx).includes(x.server ?? '') && typeof x.path === 'string' && (samePath(x.path, NFS_PATH) || x.path.startsWith(`${NFS_PATH}/`));
        });
        const mounted = good.flatMap((v) => containersOf(spec).flatMap((c) => mountsAt(c, v.name).map((m) => `${v.name} at ${m} in ${c.name}`)));
        const r = deploymentReady(d);
        const pods = byKind(items, 'Pod', d.metadata.namespace).filter((p) => selectorMatches(d.spec?.selector?.matchLabels, p.metadata.labels));
        const found = `Deployment nfs-csi-pod${at}: ${r.ready}/${r.desired} ready; volumes ${described.join(', ') || 'none'}${mounted.length ? `; mounted ${mounted.join(', ')}` : ''}`;
        const problems: string[] = [];
        if (!good.length) problems.push(`no NFS volume of ${host}:${NFS_PATH}`);
        else if (!mounted.length) problems.push('the NFS volume is not mounted in any container (no volumeMounts entry names it)');
        if (!r.available) problems.push(`not available: ${pods.map(describePod).join('; ') || 'no pods'}`);
        return problems.length ? fail(clip(`${found}: ${problems.join('; ')}`, 1200), expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd5.pv-pvc',
      title: { en: 'PV nfs-pv and PVC nfs-pvc (1Gi, ReadWriteMany) Bound to each other', ko: 'PV nfs-pv 와 PVC nfs-pvc (1Gi, ReadWriteMany) 가 서로 Bound' },
      scope: 'cluster',
      needs: ['d3.control-plane'],
      probes: () => ({ a: api() }),
      verdict: ({ a }) => {
        const expected = 'PV nfs-pv (1Gi, ReadWriteMany, nfs path /nfs/manual-pv) and PVC nfs-pvc in default (1Gi, ReadWriteMany, storageClassName ""), Bound to each other';
        const hint = {
          en: 'kubectl apply -f manual-pv.yaml -f manual-pvc.yaml from the notes (both storageClassName: "", ReadWriteMany, 1Gi); a claim binds only to a PV of its class with its access modes and at least its size',
          ko: '노트의 manual-pv.yaml, manual-pvc.yaml 을 kubectl apply -f 하세요 (둘 다 storageClassName: "", ReadWriteMany, 1Gi). PVC 는 같은 class, 같은 access mode, 요청 이상 크기의 PV 에만 bind 됩니다',
        };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const items = a.core.items;
        const pvs = byKind(items, 'PersistentVolume');
        const pv = pvs.find((x) => x.metadata.name === 'nfs-pv');
        const { obj: pvc, where: at } = findNamed(items, 'PersistentVolumeClaim', 'nfs-pvc');
        const problems: string[] = [];
        if (!pv) problems.push(`no PV nfs-pv (PVs: ${pvs.map((x) => x.metadata.name).join(', ') || 'none'})`);
        else {
          if (quantityBytes(pv.spec?.capacity?.storage) !== 2 ** 30) problems.push(`nfs-pv capacity ${pv.spec?.capacity?.storage ?? 'not set'}`);
          if (!(pv.spec?.accessModes ?? []).includes('ReadWriteMany')) problems.push(`nfs-pv access modes ${(pv.spec?.accessModes ?? []).join(',') || 'none'}`);
          if (!samePath(pv.spec?.nfs?.path, '/nfs/manual-pv')) problems.push(`nfs-pv is not the NFS path /nfs/manual-pv (${pv.spec?.nfs ? `nfs ${pv.spec.nfs.server}:${pv.spec.nfs.path}` : 'no nfs source'})`);
        }
        if (!pvc) problems.push('no PVC nfs-pvc in any namespace');
        else {
          if (quantityBytes(pvc.spec?.resources?.requests?.storage) !== 2 ** 30) problems.push(`nfs-pvc requests ${pvc.spec?.resources?.requests?.storage ?? 'nothing'}`);
          if (!(pvc.spec?.accessModes ?? []).includes('ReadWriteMany')) problems.push(`nfs-pvc access modes ${(pvc.spec?.accessModes ?? []).join(',') || 'none'}`);
          if (pvc.spec?.storageClassName !== '') problems.push(`nfs-pvc storageClassName ${pvc.spec?.storageClassName === undefined ? 'unset (the default class applies)' : JSON.stringify(pvc.spec.storageClassName)}`);
          if (pvc.status?.phase !== 'Bound') problems.push(`nfs-pvc is ${pvc.status?.phase ?? 'Pending'}: ${whyUnbound(pvc, pvs)}`);
          else if (pvc.spec?.volumeName !== 'nfs-pv') problems.push(`nfs-pvc is bound to ${pvc.spec?.volumeName}, not nfs-pv`);
        }
        const found = [pv, pvc].filter((x): x is K8sObject => Boolean(x)).map(describeVolume).join('; ') + at;
        return problems.length ? fail(clip(`${problems.join('; ')} (${found})`, 1200), expected, hint) : pass(found, expected);
      },
    }),
    check({
      id: 'd5.pvc-pod',
      title: { en: 'pod pvc-pod Running, claim nfs-pvc mounted at /app/data', ko: 'pod pvc-pod Running, nfs-pvc 를 /app/data 에 마운트' },
      scope: 'cluster',
      needs: ['d3.calico', 'd5.pv-pvc'],
      probes: () => ({ a: api() }),
      verdict: ({ a }) => {
        const expected = 'pod pvc-pod (default) Running and ready, a volume from claim nfs-pvc mounted at /app/data';
        const hint = { en: 'kubectl apply -f pvc-pod.yaml from the notes (volumes: persistentVolumeClaim: claimName: nfs-pvc; volumeMounts: mountPath: /app/data)', ko: '노트의 pvc-pod.yaml 을 kubectl apply -f 하세요 (persistentVolumeClaim claimName: nfs-pvc, mountPath: /app/data)' };
        const bad = apiFailure(a.core, expected);
        if (bad || !a.core.ok) return bad!;
        const { obj: p, where: at } = findNamed(a.core.items, 'Pod', 'pvc-pod');
        if (!p) return fail('no pod pvc-pod in any namespace', expected, hint);
        const vols = volumesOf(p.spec).filter((v) => v.persistentVolumeClaim?.claimName === 'nfs-pvc');
        const mounts = vols.flatMap((v) => containersOf(p.spec).flatMap((c) => mountsAt(c, v.name)));
        const claims = volumesOf(p.spec).map((v) => (v.persistentVolumeClaim ? `${v.name} <- claim ${v.persistentVolumeClaim.claimName}` : v.name));
        const found = `${describePod(p)}${at}; volumes ${claims.join(', ') || 'none'}${mounts.length ? `; nfs-pvc mounted at ${mounts.join(', ')}` : ''}`;
        const problems: string[] = [];
        if (!vols.length) problems.push('no volume from claim nfs-pvc');
        else if (!mounts.some((m) => samePath(m, '/app/data'))) problems.push(`nfs-pvc is mounted at ${mounts.join(', ') || 'no path'}, not /app/data`);
        if (!podReady(p)) problems.push('not Running and ready');
        return problems.length ? fail(clip(`${found}: ${problems.join('; ')}`, 1200), expected, hint) : pass(found, expected);
      },
    }),
  ],
});
