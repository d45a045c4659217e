/** Days 3-5: what a cluster object's state says, in the words of `kubectl get`/`describe`. */
import { describeKubectlError, type ApiRead, type K8sObject } from '../probes/index.ts';
import type { Verdict } from './course.ts';
import type { Text } from './types.ts';
import { fail } from './verdicts.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const byKind = (items: K8sObject[], kind: string, ns?: string): K8sObject[] =>
  items.filter((o) => o.kind === kind && (ns === undefined || (o.metadata.namespace ?? '') === ns));
export const find = (items: K8sObject[], kind: string, ns: string | undefined, name: string): K8sObject | undefined =>
  byKind(items, kind, ns).find((o) => o.metadata.name === name);

/** The hint every check gives when the API cannot be read: the student's kubeconfig, not infrastructure. */
export const API_HINT: Text = {
  en: 'kubectl on control1 must reach the cluster: export KUBECONFIG=/etc/kubernetes/admin.conf (or copy admin.conf to ~/.kube/config) and check that kubeadm init finished',
  ko: 'control1 의 kubectl 이 클러스터에 닿아야 합니다: export KUBECONFIG=/etc/kubernetes/admin.conf (또는 admin.conf 를 ~/.kube/config 로 복사) 후 kubeadm init 이 끝났는지 확인하세요',
};

/** A failed API read as a failed verdict naming kubectl's error. */
export function apiFailure(read: ApiRead, expected: string): Verdict | undefined {
  if (read.ok) return undefined;
  return fail(`cannot read the cluster: ${describeKubectlError(read.error)}`, expected, API_HINT);
}

export function podReady(p: K8sObject): boolean {
  return p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** "Running, 1/1 ready" or "Pending: container web ImagePullBackOff (Back-off pulling image "x")" ... */
export function describePod(p: K8sObject): string {
  const cs: any[] = p.status?.containerStatuses ?? [];
  const total = (p.spec?.containers ?? []).length;
  const ready = cs.filter((c) => c.ready).length;
  const phase = p.status?.phase ?? 'Pending';
  const waits = cs
    .filter((c) => c.state?.waiting)
    .map((c) => {
      const w = c.state.waiting;
      const last = c.lastState?.terminated;
      const exit = last ? `, last exit code ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}, ${c.restartCount ?? 0} restarts` : '';
      return `container ${c.name} ${w.reason ?? 'Waiting'}${w.message ? ` (${clip(w.message)})` : ''}${exit}`;
    });
  const sched = (p.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled' && c.status === 'False');
  const why = sched ? [`not scheduled: ${sched.reason ?? ''}${sched.message ? ` (${clip(sched.message)})` : ''}`] : [];
  const readyCond = (p.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  if (phase === 'Running' && !waits.length && readyCond?.status === 'False') why.push(`Ready condition False${readyCond.reason ? ` (${readyCond.reason})` : ' (its node stopped reporting?)'}`);
  return `${p.metadata.namespace ? `${p.metadata.namespace}/` : ''}${p.metadata.name} ${phase}, ${ready}/${total} ready${[...waits, ...why].length ? `: ${[...waits, ...why].join('; ')}` : ''}${p.spec?.nodeName ? ` on ${p.spec.nodeName}` : ''}`;
}

export function clip(s: string, n = 240): string {
  const one = String(s).replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n)}...` : one;
}

export function nodeReady(n: K8sObject): { ready: boolean; text: string } {
  const c = (n.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
  if (!c) return { ready: false, text: `${n.metadata.name} has no Ready condition yet` };
  if (c.status === 'True') return { ready: true, text: `${n.metadata.name} Ready` };
  return { ready: false, text: `${n.metadata.name} NotReady (Ready=${c.status}, ${c.reason ?? ''}: ${clip(c.message ?? '', 200)})` };
}

export function readyEndpoints(endpoints?: K8sObject): number {
  return ((endpoints?.subsets ?? []) as any[]).reduce((a: number, x: any) => a + (x.addresses?.length ?? 0), 0) as number;
}

export function describeService(s: K8sObject, endpoints?: K8sObject): string {
  const ports = (s.spec?.ports ?? []).map((p: any) => `${p.port}->${p.targetPort ?? p.port}${p.nodePort ? ` (nodePort ${p.nodePort})` : ''}/${p.protocol ?? 'TCP'}`).join(', ');
  const sel = Object.entries(s.spec?.selector ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(',') || 'none';
  const subsets = (endpoints?.subsets ?? []) as any[];
  const ready = subsets.reduce((a: number, x: any) => a + (x.addresses?.length ?? 0), 0) as number;
  const notReady = subsets.reduce((a: number, x: any) => a + (x.notReadyAddresses?.length ?? 0), 0) as number;
  return `Service ${s.metadata.name}: type ${s.spec?.type ?? 'ClusterIP'}, ports ${ports || 'none'}, selector ${sel}, ${ready} ready endpoint(s)${notReady ? `, ${notReady} not ready` : ''}`;
}

export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const sel = Object.entries(selector ?? {});
  return sel.length > 0 && sel.every(([k, v]) => labels?.[k] === v);
}

/** an image reference without its tag, `docker.io/library/` and `:latest` forms normalised away */
export function imageName(ref: string): string {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

export function deploymentReady(d: K8sObject): { ready: number; desired: number; available: boolean } {
  const desired = d.spec?.replicas ?? 1;
  const ready = d.status?.readyReplicas ?? 0;
  const cond = (d.status?.conditions ?? []).find((c: any) => c.type === 'Available');
  return { ready, desired, available: ready >= desired && cond?.status !== 'False' };
}

/**
 * A named object wherever the student made it: default first, else any namespace (day 4 leaves kubectl's
 * context on release-apache, so a day-5 object made without -n lands there). `where` names the namespace
 * for a finding when it is not default.
 */
export function findNamed(items: K8sObject[], kind: string, name: string): { obj?: K8sObject; ns?: string; where: string } {
  const all = byKind(items, kind).filter((o) => o.metadata.name === name);
  const obj = all.find((o) => (o.metadata.namespace ?? 'default') === 'default') ?? all[0];
  const ns = obj?.metadata.namespace;
  return { ...(obj ? { obj } : {}), ...(ns ? { ns } : {}), where: ns && ns !== 'default' ? ` (in namespace ${ns}, not default)` : '' };
}

const GI = 2 ** 30;
const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: GI, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
/** A resource quantity (1Gi, 1024Mi, 2G, 1073741824) in bytes; NaN for what it cannot read. */
export function quantityBytes(q: unknown): number {
  const s = String(q ?? '').trim();
  let i = 0;
  while (i < s.length && ((s[i]! >= '0' && s[i]! <= '9') || s[i] === '.')) i++;
  const n = Number(s.slice(0, i));
  const unit = s.slice(i);
  if (!i || Number.isNaN(n)) return NaN;
  if (!unit) return n;
  const m = UNITS[unit];
  return m === undefined ? NaN : n * m;
}

/** "1Gi, ReadWriteMany, class \"\"" for a PV or a PVC */
export function describeVolume(o: K8sObject): string {
  const size = o.kind === 'PersistentVolume' ? o.spec?.capacity?.storage : o.spec?.resources?.requests?.storage;
  const modes = ((o.spec?.accessModes ?? []) as string[]).join(',') || 'no access modes';
  const cls = o.spec?.storageClassName;
  return `${o.kind === 'PersistentVolume' ? 'PV' : 'PVC'} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}: ${size ?? 'no size'}, ${modes}, storageClassName ${cls === undefined ? '(unset)' : JSON.stringify(cls)}, ${o.status?.phase ?? 'no phase'}${o.spec?.volumeName ? ` (volume ${o.spec.volumeName})` : ''}${o.spec?.claimRef ? ` (claim ${o.spec.claimRef.namespace}/${o.spec.claimRef.name})` : ''}`;
}

/**
 * Why a Pending claim does not bind to a PV, by the PV controller's matching rules (kubernetes
 * pkg/controller/volume/persistentvolume/index.go findMatchingVolume: same storageClassName, every
 * requested access mode offered, capacity >= request, not bound or pre-bound to another claim).
 */
export function whyUnbound(claim: K8sObject, pvs: K8sObject[]): string {
  const cls = claim.spec?.storageClassName ?? '';
  const want = quantityBytes(claim.spec?.resources?.requests?.storage);
  const modes = (claim.spec?.accessModes ?? []) as string[];
  if (!pvs.length) return `no PersistentVolume exists${cls ? '' : ' (and no storage class is set)'}`;
  const reasons = pvs.map((v) => {
    const r: string[] = [];
    const vcls = v.spec?.storageClassName ?? '';
    if (vcls !== cls) r.push(`class ${JSON.stringify(vcls)} not ${JSON.stringify(cls)}`);
    const offered = (v.spec?.accessModes ?? []) as string[];
    const missing = modes.filter((m) => !offered.includes(m));
    if (missing.length) r.push(`access modes ${offered.join(',') || 'none'} lack ${missing.join(',')}`);
    const cap = quantityBytes(v.spec?.capacity?.storage);
    if (!(cap >= want)) r.push(`capacity ${v.spec?.capacity?.storage ?? '?'} < request ${claim.spec?.resources?.requests?.storage ?? '?'}`);
    const ref = v.spec?.claimRef;
    if (ref && !(ref.name === claim.metadata.name && (ref.namespace ?? '') === (claim.metadata.namespace ?? ''))) r.push(`already bound to ${ref.namespace}/${ref.name}`);
    return `${v.metadata.name}: ${r.join(', ') || 'matches'}`;
  });
  return `no matching PersistentVolume (${reasons.join('; ')})`;
}

/** `k=v,k=v` of an object's labels, without the one the API server sets on every namespace. */
export function labelsText(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {}).filter(([k]) => k !== 'kubernetes.io/metadata.name').map(([k, v]) => `${k}=${v}`).join(',') || 'no labels';
}

/** The pods of a namespace whose labels match a (matchLabels) selector. */
export function podsSelected(items: K8sObject[], ns: string, selector: Record<string, string> | undefined): K8sObject[] {
  return byKind(items, 'Pod', ns).filter((p) => selectorMatches(selector, p.metadata.labels));
}

/** Why pods are not ready, a few described in full (describePod) and the rest counted. */
export function describeNotReady(pods: K8sObject[], max = 3): string {
  const bad = pods.filter((p) => !podReady(p));
  const shown = bad.slice(0, max).map(describePod);
  return `${shown.join('; ')}${bad.length > max ? `; and ${bad.length - max} more not ready` : ''}`;
}
