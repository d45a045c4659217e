// Not @ts-check: Kubernetes objects are untyped JSON here, as in kubectl's unstructured client.
// What kubectl 1.24 prints. Sources: kubernetes/kubectl @ kubernetes-1.24.17 and kubernetes/cli-runtime
// (../shared/reference/kubernetes-1.24.md §0-§1): JSON is json.MarshalIndent(obj, "", "    ") of an
// unstructured map (keys sorted); tables come from the server's Table columns (kubernetes/kubernetes
// pkg/printers/internalversion/printers.go) through cli-runtime printers.GetNewTabWriter (tabwriter:
// minwidth 0, tabwidth 4, padding 3, ' ').

/** Sorted keys at every level; `<`, `>`, `&` escaped as Go's json.Encoder does (reference §1). */
export function goJson(v) {
  const sort = (x) => (Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort(x[k])])) : x);
  return (
    JSON.stringify(sort(v), null, 4)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026') + '\n'
  );
}

export function listOf(items) {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** tabwriter with padding 3: each cell but the last padded to its column's widest + 3. */
export function table(rows) {
  const w = [];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}

/** kubectl's age format (apimachinery duration.HumanDuration). */
export function age(ts) {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(ts)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

function podStatus(p) {
  for (const c of p.status?.containerStatuses ?? []) if (c.state?.waiting?.reason) return c.state.waiting.reason;
  return p.status?.phase ?? 'Pending';
}
const ports = (s) =>
  (s.spec.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',') || '<none>';
const selector = (m) => (m && Object.keys(m).length ? Object.entries(m).map(([k, v]) => `${k}=${v}`).join(',') : '<none>');

/** Columns per kind: printers.go (1.24) handlers; `wide` adds the extra columns. */
const COLUMNS = {
  Pod: {
    head: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
    row: (p) => {
      const cs = p.status?.containerStatuses ?? [];
      return [p.metadata.name, `${cs.filter((c) => c.ready).length}/${(p.spec.containers ?? []).length}`, podStatus(p), String(cs.reduce((a, c) => a + (c.restartCount ?? 0), 0)), age(p.metadata.creationTimestamp)];
    },
    wideHead: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    wide: (p) => [p.status?.podIP ?? '<none>', p.spec.nodeName ?? '<none>', '<none>', '<none>'],
  },
  Node: {
    head: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    row: (n) => {
      const r = (n.status?.conditions ?? []).find((c) => c.type === 'Ready');
      const roles = Object.keys(n.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice(24));
      return [n.metadata.name, r?.status === 'True' ? 'Ready' : 'NotReady', roles.join(',') || '<none>', age(n.metadata.creationTimestamp), n.status?.nodeInfo?.kubeletVersion ?? ''];
    },
    wideHead: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    wide: (n) => [n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '<none>', '<none>', n.status.nodeInfo.osImage, n.status.nodeInfo.kernelVersion, n.status.nodeInfo.containerRuntimeVersion],
  },
  Service: {
    head: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    row: (s) => [s.metadata.name, s.spec.type, s.spec.clusterIP ?? '<none>', '<none>', ports(s), age(s.metadata.creationTimestamp)],
    wideHead: ['SELECTOR'],
    wide: (s) => [selector(s.spec.selector)],
  },
  Deployment: {
    head: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    row: (d) => [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec.replicas}`, String(d.status?.updatedReplicas ?? 0), String(d.status?.availableReplicas ?? 0), age(d.metadata.creationTimestamp)],
    wideHead: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    wide: (d) => [d.spec.template.spec.containers.map((c) => c.name).join(','), d.spec.template.spec.containers.map((c) => c.image).join(','), selector(d.spec.selector?.matchLabels)],
  },
  ReplicaSet: {
    head: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    row: (r) => [r.metadata.name, String(r.spec.replicas), String(r.status?.replicas ?? 0), String(r.status?.readyReplicas ?? 0), age(r.metadata.creationTimestamp)],
  },
  DaemonSet: {
    head: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
    row: (d) => [d.metadata.name, String(d.status?.desiredNumberScheduled ?? 0), String(d.status?.currentNumberScheduled ?? 0), String(d.status?.numberReady ?? 0), String(d.status?.updatedNumberScheduled ?? 0), String(d.status?.numberAvailable ?? 0), selector(d.spec.template.spec.nodeSelector), age(d.metadata.creationTimestamp)],
  },
  Namespace: { head: ['NAME', 'STATUS', 'AGE'], row: (n) => [n.metadata.name, n.status?.phase ?? 'Active', age(n.metadata.creationTimestamp)] },
  Endpoints: {
    head: ['NAME', 'ENDPOINTS', 'AGE'],
    row: (e) => {
      const list = (e.subsets ?? []).flatMap((s) => (s.addresses ?? []).flatMap((a) => (s.ports ?? []).map((p) => `${a.ip}:${p.port}`)));
      return [e.metadata.name, list.length ? list.slice(0, 3).join(',') + (list.length > 3 ? ` + ${list.length - 3} more...` : '') : '<none>', age(e.metadata.creationTimestamp)];
    },
  },
  PersistentVolume: {
    head: ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'REASON', 'AGE'],
    row: (v) => [v.metadata.name, v.spec.capacity?.storage ?? '', modes(v.spec.accessModes), v.spec.persistentVolumeReclaimPolicy, v.status?.phase ?? '', v.spec.claimRef ? `${v.spec.claimRef.namespace}/${v.spec.claimRef.name}` : '', v.spec.storageClassName ?? '', '', age(v.metadata.creationTimestamp)],
  },
  PersistentVolumeClaim: {
    head: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'AGE'],
    row: (c) => [c.metadata.name, c.status?.phase ?? '', c.spec.volumeName ?? '', c.status?.capacity?.storage ?? '', modes(c.status?.accessModes), c.spec.storageClassName ?? '', age(c.metadata.creationTimestamp)],
  },
  StorageClass: {
    head: ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'],
    row: (s) => [s.metadata.name, s.provisioner, s.reclaimPolicy ?? 'Delete', s.volumeBindingMode ?? 'Immediate', String(Boolean(s.allowVolumeExpansion)), age(s.metadata.creationTimestamp)],
  },
  ConfigMap: { head: ['NAME', 'DATA', 'AGE'], row: (c) => [c.metadata.name, String(Object.keys(c.data ?? {}).length), age(c.metadata.creationTimestamp)] },
};
const modes = (m) => (m ?? []).map((x) => ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[x] ?? x).join(',');

/** The default (or wide) table for objects of possibly several kinds; kinds in order, a blank line between. */
export function tables(objs, { allNs = false, wide = false, showKind = false, noHeaders = false, showLabels = false, plural = (k) => k } = {}) {
  const byKind = new Map();
  for (const o of objs) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o]);
  const out = [];
  for (const [kind, items] of byKind) {
    const c = COLUMNS[kind] ?? { head: ['NAME', 'AGE'], row: (o) => [o.metadata.name, age(o.metadata.creationTimestamp)] };
    const prefix = showKind || byKind.size > 1 ? `${plural(kind)}/` : '';
    // --show-labels: a last LABELS column, labels.FormatLabels (sorted k=v, `<none>`) (cli-runtime printers tablegenerator)
    const labels = (o) => (Object.keys(o.metadata.labels ?? {}).length ? Object.keys(o.metadata.labels).sort().map((k) => `${k}=${o.metadata.labels[k]}`).join(',') : '<none>');
    const rows = [[...(allNs ? ['NAMESPACE'] : []), ...c.head, ...(wide && c.wideHead ? c.wideHead : []), ...(showLabels ? ['LABELS'] : [])]];
    for (const o of items) {
      const r = c.row(o);
      r[0] = prefix + r[0];
      rows.push([...(allNs ? [o.metadata.namespace ?? ''] : []), ...r, ...(wide && c.wide ? c.wide(o) : []), ...(showLabels ? [labels(o)] : [])]);
    }
    out.push(table(noHeaders ? rows.slice(1) : rows));
  }
  return out.join('\n');
}

/**
 * kubectl's JSONPath subset the course and scripts use: `{.a.b}`, `{.items[*].x}`, `{.items[0].x}`,
 * `{range .items[*]}...{end}`, `{"\n"}` and literal text (k8s.io/client-go/util/jsonpath).
 * Scans the template once, left to right (linear time).
 */
export function jsonpath(tpl, data) {
  const tokens = [];
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf('{', i);
    if (open < 0) {
      tokens.push({ text: tpl.slice(i) });
      break;
    }
    if (open > i) tokens.push({ text: tpl.slice(i, open) });
    const close = tpl.indexOf('}', open);
    if (close < 0) throw new Error(`unclosed action`);
    tokens.push({ expr: tpl.slice(open + 1, close).trim() });
    i = close + 1;
  }
  const walk = (v, path) => {
    let cur = [v];
    for (const seg of path.split('.').filter(Boolean)) {
      const b = seg.indexOf('[');
      const name = b < 0 ? seg : seg.slice(0, b);
      const idx = b < 0 ? undefined : seg.slice(b + 1, seg.indexOf(']', b));
      cur = cur.flatMap((x) => {
        const y = name ? x?.[name] : x;
        if (idx === undefined) return y === undefined ? [] : [y];
        if (!Array.isArray(y)) return [];
        if (idx === '*') return y;
        const n = Number(idx);
        const e = y[n < 0 ? y.length + n : n];
        return e === undefined ? [] : [e];
      });
    }
    return cur;
  };
  const show = (x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x));
  const render = (toks, v) => {
    let out = '';
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k];
      if ('text' in t) out += t.text;
      else if (t.expr.startsWith('range ')) {
        let depth = 1;
        let j = k + 1;
        for (; j < toks.length; j++) {
          const e = toks[j].expr;
          if (e?.startsWith('range ')) depth++;
          if (e === 'end' && --depth === 0) break;
        }
        for (const item of walk(v, t.expr.slice(6).trim())) out += render(toks.slice(k + 1, j), item);
        k = j;
      } else if (t.expr.startsWith('"')) out += JSON.parse(t.expr);
      else out += walk(v, t.expr.replace(/^\$/, '')).map(show).join(' ');
    }
    return out;
  };
  return render(tokens, data);
}
