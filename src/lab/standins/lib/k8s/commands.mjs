// Not @ts-check: Kubernetes objects are untyped JSON here, as in kubectl's unstructured client.
// kubectl's commands as the API server stand-in runs them against the cluster state. The kubectl
// stand-in on a node sends argv, the files it read and its context's namespace; output texts are
// kubectl 1.24's (reference §0-§3; kubernetes/kubectl @ kubernetes-1.24.17: pkg/cmd/get, create, apply,
// run, expose, label, delete; cli-runtime pkg/printers/name.go "<kind>/<name> <operation>").
import { K8S_VERSION, get, list, put, reconcile, remove, resourceFor, resourceOfKind, safeHash, served, key } from './cluster.mjs';
import { goJson, jsonpath, listOf, tables } from './print.mjs';
import { yamlLib } from './yaml.mjs';

/** kubectl's name printer: group-qualified lower-case kind (deployment.apps/x, pod/x). */
export function nameOf(o) {
  const r = resourceOfKind(o.kind, o.apiVersion);
  const group = (o.apiVersion ?? '').includes('/') ? `.${o.apiVersion.split('/')[0]}` : '';
  return `${(r?.singular ?? o.kind.toLowerCase())}${group}/${o.metadata.name}`;
}

const VALUE_FLAGS = new Set(['-n', '--namespace', '-o', '--output', '-l', '--selector', '-f', '--filename', '--image', '--port', '--target-port', '--type', '--name', '--replicas', '--labels', '--restart', '--dry-run', '--protocol', '--field-selector', '--kubeconfig', '--context', '--overrides', '--env', '--image-pull-policy', '--grace-period', '--timeout', '--cluster', '--user',
  // kubeadm's
  '--token', '--discovery-token-ca-cert-hash', '--apiserver-advertise-address', '--pod-network-cidr', '--service-cidr', '--service-dns-domain', '--control-plane-endpoint', '--cri-socket', '--node-name', '--ignore-preflight-errors']);

/** argv -> { args, flags } with kubectl's forms: --x=y, --x y, -n y, -nfoo, and `--` ending flags. */
export function parseArgs(argv) {
  const args = [];
  /** @type {Record<string, string[]>} */
  const flags = {};
  const add = (k, v) => (flags[k] ??= []).push(v);
  let rest;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest = argv.slice(i + 1);
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) add(a.slice(0, eq), a.slice(eq + 1));
      else if (VALUE_FLAGS.has(a)) add(a, argv[++i] ?? '');
      else add(a, 'true');
    } else if (a.startsWith('-') && a.length > 1) {
      const f = a.slice(0, 2);
      if (VALUE_FLAGS.has(f)) add(f, a.length > 2 ? a.slice(2).replace(/^=/, '') : argv[++i] ?? '');
      else for (const ch of a.slice(1)) add(`-${ch}`, 'true');
    } else args.push(a);
  }
  const one = (...names) => {
    for (const n of names) if (flags[n]) return flags[n][flags[n].length - 1];
    return undefined;
  };
  return { args, flags, one, rest };
}

const out = (stdout, stderr = '', code = 0) => ({ stdout, stderr, code });
const fail = (msg) => out('', msg.endsWith('\n') ? msg : `${msg}\n`, 1);

/**
 * @param {import('./cluster.mjs').State} st
 * @param {{ argv: string[], docs?: { source: string, text: string }[], namespace?: string, server?: string }} req
 * @returns {Promise<{ stdout: string, stderr: string, code: number, changed?: boolean }>}
 */
export async function kubectl(st, req) {
  const p = parseArgs(req.argv);
  const [verb, ...args] = p.args;
  const ns = p.one('-n', '--namespace') ?? req.namespace ?? 'default';
  const allNs = Boolean(p.one('-A', '--all-namespaces'));
  const dry = p.one('--dry-run');
  const fmt = p.one('-o', '--output');
  switch (verb) {
    case 'get':
      return getCmd(st, args, ns, allNs, fmt, p.one('-l', '--selector'), Boolean(p.one('--no-headers')), Boolean(p.one('--show-labels')));
    case 'create':
    case 'apply':
      if (req.docs?.length) return applyDocs(st, verb, req.docs, ns, dry, fmt);
      if (verb === 'create' && ['namespace', 'ns'].includes(args[0] ?? '')) {
        if (!args[1]) return fail('error: exactly one NAME is required, got 0');
        // create_namespace.go: a typed Namespace, so -o yaml --dry-run=client shows `spec: {}` and `status: {}`
        return createObj(st, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: args[1] }, spec: {}, status: {} }, dry, fmt, 'created');
      }
      if (verb === 'create' && ['deployment', 'deploy'].includes(args[0] ?? '')) {
        const name = args[1];
        const image = p.flags['--image'] ?? [];
        if (!name) return fail('error: exactly one NAME is required, got 0');
        if (!image.length) return fail('error: required flag(s) "image" not set');
        const port = p.one('--port');
        const labels = { app: name };
        // kubectl create deployment (pkg/cmd/create/create_deployment.go buildPodSpec): label app=<name>; each container
        // named after its image's last path element without tag or digest, `_`/`.` made `-` plus a random suffix
        // (sanitizeAndUniquify); --port goes to the first container only
        const containers = image.map((img, i) => {
          let cname = img.split('/').pop().split(':')[0].split('@')[0];
          if (/[_.]/.test(cname)) cname = `${cname.replace(/[_.]/g, '-')}-${safeHash(`${img}/${st.seq}/${i}`, 5)}`;
          return { image: img, name: cname, resources: {}, ...(port && i === 0 ? { ports: [{ containerPort: Number(port) }] } : {}) };
        });
        const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { labels, name, namespace: ns }, spec: { replicas: Number(p.one('--replicas') ?? 1), selector: { matchLabels: labels }, strategy: {}, template: { metadata: { labels }, spec: { containers } } }, status: {} };
        return createObj(st, d, dry, fmt, 'created');
      }
      return fail(`error: must specify one of -f and -k`);
    case 'run':
      return runCmd(st, p, args, ns, dry, fmt);
    case 'expose':
      return exposeCmd(st, p, args, ns, dry, fmt);
    case 'label':
      return labelCmd(st, p, args, ns);
    case 'scale':
      return scaleCmd(st, p, args, ns);
    case 'delete':
      if (req.docs?.length) return deleteDocs(st, req.docs, ns);
      return deleteCmd(st, args, ns);
    case 'cluster-info':
      // kubectl cluster-info (pkg/cmd/clusterinfo/clusterinfo.go) without a terminal: no colours
      return out(
        `Kubernetes control plane is running at https://${st.cluster.endpoint}\nCoreDNS is running at https://${st.cluster.endpoint}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
      );
    case 'version':
      return out(`Server Version: ${K8S_VERSION}\n`);
    default:
      return fail(`error: unknown command "${verb ?? ''}" for "kubectl"\n\nDid you mean this?\n\tget\n\nRun 'kubectl --help' for usage.`);
  }
}

function kindsFor(st, words) {
  const rs = [];
  for (const w of words.flatMap((x) => x.split(',')).filter(Boolean)) {
    const r = resourceFor(w);
    // builder.go mappingFor: only the part before the first dot is quoted (reference §1)
    if (!r || !served(st, r)) return { error: `error: the server doesn't have a resource type "${w.split('.')[0]}"` };
    if (!rs.includes(r)) rs.push(r);
  }
  return { rs };
}

function selectorFn(sel) {
  if (!sel) return () => true;
  const parts = sel.split(',').map((s) => s.trim()).filter(Boolean);
  return (labels) =>
    parts.every((x) => {
      const [k, v] = x.split(/!=|==|=/);
      const has = Object.prototype.hasOwnProperty.call(labels ?? {}, k);
      if (x.includes('!=')) return labels?.[k] !== v;
      if (x.includes('=')) return has && labels[k] === v;
      return x.startsWith('!') ? !Object.prototype.hasOwnProperty.call(labels ?? {}, k.slice(1)) : has;
    });
}

async function render(objs, single, fmt, opts) {
  if (fmt === 'json') return goJson(single ? objs[0] : listOf(objs));
  if (fmt === 'yaml') {
    const y = await yamlLib();
    const sort = (x) => (Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort(x[k])])) : x);
    // sigs.k8s.io/yaml (go-yaml v2): a list's `- ` at its key's indentation
    return y.stringify(sort(single ? objs[0] : listOf(objs)), { lineWidth: 0, indentSeq: false });
  }
  if (fmt === 'name') return objs.map((o) => `${nameOf(o)}\n`).join('');
  if (fmt?.startsWith('jsonpath=')) return jsonpath(fmt.slice(9).replace(/^'(.*)'$/s, '$1'), single ? objs[0] : listOf(objs));
  if (fmt && fmt !== 'wide') throw new Error(`unable to match a printer suitable for the output format "${fmt}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`);
  return tables(objs, { ...opts, wide: fmt === 'wide' });
}

async function getCmd(st, args, ns, allNs, fmt, sel, noHeaders = false, showLabels = false) {
  if (!args.length) return fail(`You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples.`);
  // TYPE/NAME forms
  let words = [args[0]];
  let names = args.slice(1);
  if (args.every((a) => a.includes('/'))) {
    words = args.map((a) => a.split('/')[0]);
    names = args.map((a) => a.split('/')[1]);
  }
  const k = kindsFor(st, words);
  if (k.error) return fail(k.error);
  const match = selectorFn(sel);
  const objs = [];
  const errors = [];
  for (const r of k.rs) {
    const where = r.namespaced && !allNs ? ns : undefined;
    if (names.length) {
      for (const n of names) {
        const o = get(st, r.kind, r.namespaced ? ns : '', n);
        if (o) objs.push(o);
        // apimachinery NewNotFound: "<resource>.<group> \"name\" not found" (no group for the core kinds)
        else errors.push(`Error from server (NotFound): ${r.plural}${r.apiVersion.includes('/') ? `.${r.apiVersion.split('/')[0]}` : ''} "${n}" not found`);
      }
    } else objs.push(...list(st, r.kind, where).filter((o) => match(o.metadata.labels)));
  }
  const single = names.length === 1 && k.rs.length === 1 && objs.length === 1;
  let stdout = '';
  try {
    stdout = objs.length || fmt === 'json' || fmt === 'yaml' || fmt?.startsWith('jsonpath') ? await render(objs, single, fmt, { allNs, noHeaders, showLabels, plural: (kind) => kindPrefix(kind), showKind: k.rs.length > 1 }) : '';
  } catch (e) {
    return fail(`error: ${e.message}`);
  }
  let stderr = errors.map((e) => `${e}\n`).join('');
  // "No resources found" goes to stderr, only for the human-readable path (get.go l.593-598)
  if (!objs.length && !errors.length && (!fmt || fmt === 'wide')) stderr += allNs || !k.rs.every((r) => r.namespaced) ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
  return out(stdout, stderr, errors.length ? 1 : 0);
}

/** The kind prefix of several kinds' tables: `pod`, `deployment.apps` (the printer's GroupKind, as the name printer's). */
function kindPrefix(kind) {
  const r = resourceOfKind(kind);
  return r ? `${r.singular}${r.apiVersion.includes('/') ? `.${r.apiVersion.split('/')[0]}` : ''}` : kind.toLowerCase();
}

async function parseDocs(docs) {
  const y = await yamlLib();
  const objs = [];
  for (const d of docs) {
    let parsed;
    try {
      const text = d.text.trimStart();
      parsed = text.startsWith('{') ? [JSON.parse(text)] : y.parseAllDocuments(d.text).map((x) => x.toJS());
    } catch (e) {
      return { error: `error: error parsing ${d.source}: error converting YAML to JSON: ${String(e.message).split('\n')[0]}` };
    }
    for (const o of parsed) {
      if (o == null) continue;
      if (o.kind === 'List') objs.push(...(o.items ?? []).map((x) => ({ o: x, source: d.source })));
      else objs.push({ o, source: d.source });
    }
  }
  return { objs };
}

async function applyDocs(st, verb, docs, ns, dry, fmt) {
  const parsed = await parseDocs(docs);
  if (parsed.error) return fail(parsed.error);
  let stdout = '';
  let stderr = '';
  let code = 0;
  let changed = false;
  for (const { o, source } of parsed.objs) {
    if (!o.kind || !o.apiVersion) {
      stderr += `error: error validating "${source}": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false\n`;
      code = 1;
      continue;
    }
    const r = resourceOfKind(o.kind, o.apiVersion);
    if (!r || !served(st, r)) {
      // cli-runtime resource mapping error for a kind whose CRD is not installed (kubectl 1.24 wording)
      stderr += `error: resource mapping not found for name: "${o.metadata?.name ?? ''}" namespace: "${o.metadata?.namespace ?? ''}" from "${source}": no matches for kind "${o.kind}" in version "${o.apiVersion}"\nensure CRDs are installed first\n`;
      code = 1;
      continue;
    }
    const obj = structuredClone(o);
    obj.metadata ??= {};
    if (r.namespaced) obj.metadata.namespace ??= ns;
    const cur = get(st, r.kind, r.namespaced ? obj.metadata.namespace : '', obj.metadata.name);
    if (r.namespaced && !get(st, 'Namespace', '', obj.metadata.namespace)) {
      stderr += `Error from server (NotFound): error when creating "${source}": namespaces "${obj.metadata.namespace}" not found\n`;
      code = 1;
      continue;
    }
    const invalid = r.kind === 'Service' ? nodePortError(st, obj) : undefined;
    if (invalid) {
      stderr += `${invalid}\n`;
      code = 1;
      continue;
    }
    if (dry) {
      stdout += `${nameOf(obj)} ${verb === 'create' ? 'created' : cur ? 'configured' : 'created'} (dry run)\n`;
      continue;
    }
    if (verb === 'create' && cur) {
      stderr += `Error from server (AlreadyExists): error when creating "${source}": ${r.plural}${r.apiVersion.includes('/') ? `.${r.apiVersion.split('/')[0]}` : ''} "${obj.metadata.name}" already exists\n`;
      code = 1;
      continue;
    }
    let op = 'created';
    if (cur) {
      const merged = { ...cur, ...obj, metadata: { ...cur.metadata, ...obj.metadata }, ...(cur.status ? { status: cur.status } : {}) };
      if (merged.spec && cur.spec && r.kind === 'Service') merged.spec = { ...obj.spec, clusterIP: cur.spec.clusterIP, ports: (obj.spec.ports ?? []).map((p) => ({ ...p, nodePort: p.nodePort ?? cur.spec.ports?.find((q) => q.port === p.port)?.nodePort })) };
      const before = cur.metadata.resourceVersion;
      const after = put(st, merged).metadata.resourceVersion;
      op = before === after ? 'unchanged' : 'configured';
    } else put(st, obj);
    changed = true;
    if (fmt !== 'name') stdout += `${nameOf(obj)} ${op}\n`;
    else stdout += `${nameOf(obj)}\n`;
  }
  if (changed) reconcile(st);
  return { stdout, stderr, code, changed };
}

async function createObj(st, o, dry, fmt, op) {
  if (dry) {
    if (fmt === 'yaml' || fmt === 'json') {
      const obj = structuredClone(o);
      obj.metadata.creationTimestamp = null;
      return out(await render([obj], true, fmt, {}));
    }
    return out(`${nameOf(o)} ${op} (dry run)\n`);
  }
  const r = resourceOfKind(o.kind, o.apiVersion);
  if (r?.namespaced && !get(st, 'Namespace', '', o.metadata.namespace)) return fail(`Error from server (NotFound): namespaces "${o.metadata.namespace}" not found`);
  if (get(st, o.kind, r?.namespaced ? o.metadata.namespace : '', o.metadata.name)) {
    return fail(`Error from server (AlreadyExists): ${r?.plural}${o.apiVersion.includes('/') ? `.${o.apiVersion.split('/')[0]}` : ''} "${o.metadata.name}" already exists`);
  }
  delete o.status;
  const invalid = o.kind === 'Service' ? nodePortError(st, o) : undefined;
  if (invalid) return fail(invalid);
  put(st, o);
  reconcile(st);
  return { ...out(fmt === 'name' ? `${nameOf(o)}\n` : `${nameOf(o)} ${op}\n`), changed: true };
}

function kv(s) {
  const o = {};
  for (const x of String(s).split(',').filter(Boolean)) {
    const eq = x.indexOf('=');
    o[x.slice(0, eq)] = x.slice(eq + 1);
  }
  return o;
}

/** kubectl run NAME --image=I [--port] [--labels] [--command] [-- args] (pkg/generate/versioned/run.go BasicPod, reference §3). */
async function runCmd(st, p, args, ns, dry, fmt) {
  const name = args[0];
  const image = p.one('--image');
  if (!name) return fail('error: NAME is required for run');
  if (!image) return fail('error: required flag(s) "image" not set');
  const extra = [...args.slice(1), ...(p.rest ?? [])];
  const c = { name, image, resources: {} };
  if (extra.length) {
    if (p.one('--command')) c.command = extra;
    else c.args = extra;
  }
  const port = p.one('--port');
  if (port) c.ports = [{ containerPort: Number(port) }];
  const labels = p.one('--labels') ? kv(p.one('--labels')) : { run: name };
  const restart = p.one('--restart') ?? 'Always';
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { labels, name, namespace: ns }, spec: { containers: [c], dnsPolicy: 'ClusterFirst', restartPolicy: restart }, status: {} };
  return createObj(st, pod, dry, fmt, 'created');
}

/** kubectl expose (pkg/cmd/expose/expose.go, reference §3): selector and labels from the object. */
async function exposeCmd(st, p, args, ns, dry, fmt) {
  let [word, name] = args;
  if (word?.includes('/')) [word, name] = word.split('/');
  const r = word ? resourceFor(word) : undefined;
  if (!r || !name) return fail('error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'');
  const o = get(st, r.kind, r.namespaced ? ns : '', name);
  if (!o) return fail(`Error from server (NotFound): ${r.plural}${r.apiVersion.includes('/') ? `.${r.apiVersion.split('/')[0]}` : ''} "${name}" not found`);
  let selector;
  if (p.one('--selector', '-l')) selector = kv(p.one('--selector', '-l'));
  else if (r.kind === 'Pod') selector = o.metadata.labels;
  else selector = o.spec.selector?.matchLabels ?? o.spec.selector;
  if (!selector || !Object.keys(selector).length) {
    return fail(`error: couldn't retrieve selectors via --selector flag or introspection: the ${r.singular} has no labels and cannot be exposed`);
  }
  const containerPorts = (r.kind === 'Pod' ? o.spec.containers : o.spec.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  let ports;
  const portFlag = p.one('--port');
  const tp = p.one('--target-port');
  const toPort = (v) => (/^\d+$/.test(String(v)) ? Number(v) : v);
  if (portFlag) ports = [{ port: Number(portFlag), protocol: p.one('--protocol') ?? 'TCP', targetPort: toPort(tp ?? portFlag) }];
  else if (containerPorts.length) ports = containerPorts.map((cp, i) => ({ ...(containerPorts.length > 1 ? { name: `port-${i + 1}` } : {}), port: cp.containerPort, protocol: cp.protocol ?? 'TCP', targetPort: toPort(tp ?? cp.containerPort) }));
  else return fail(`error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples`);
  const svcName = p.one('--name') ?? name;
  const type = p.one('--type');
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { labels: { ...(o.metadata.labels ?? {}) }, name: svcName.slice(0, 63), namespace: ns }, spec: { ports, selector, ...(type ? { type } : {}) }, status: { loadBalancer: {} } };
  if (dry) return createObj(st, svc, dry, fmt, 'exposed');
  if (get(st, 'Service', ns, svc.metadata.name)) return fail(`Error from server (AlreadyExists): services "${svc.metadata.name}" already exists`);
  return createObj(st, svc, dry, fmt, 'exposed');
}

/**
 * The API server's nodePort checks (pkg/registry/core/service/portallocator: ErrNotInRange, ErrAllocated, as
 * field.Invalid causes), printed by kubectl's checkErr for an Invalid status: `The Service "x" is invalid: <causes>`
 * (kubectl pkg/cmd/util/helpers.go, reference §0). A port the same Service already holds is its own.
 */
function nodePortError(st, svc) {
  const mine = get(st, 'Service', svc.metadata?.namespace ?? 'default', svc.metadata?.name);
  const held = new Set((mine?.spec?.ports ?? []).map((p) => p.nodePort).filter(Boolean));
  const others = new Set(list(st, 'Service').filter((x) => x !== mine).flatMap((x) => (x.spec.ports ?? []).map((p) => p.nodePort)).filter(Boolean));
  const causes = [];
  (svc.spec?.ports ?? []).forEach((p, i) => {
    if (p.nodePort === undefined || p.nodePort === null || p.nodePort === 0) return;
    const at = `spec.ports[${i}].nodePort: Invalid value: ${p.nodePort}`;
    // apis/core/validation ValidateService: field.Forbidden for a nodePort on another type
    if (svc.spec.type !== 'NodePort' && svc.spec.type !== 'LoadBalancer') causes.push(`spec.ports[${i}].nodePort: Forbidden: may not be used when \`type\` is '${svc.spec.type ?? 'ClusterIP'}'`);
    else if (p.nodePort < 30000 || p.nodePort > 32767) causes.push(`${at}: provided port is not in the valid range. The range of valid ports is 30000-32767`);
    else if (others.has(p.nodePort) && !held.has(p.nodePort)) causes.push(`${at}: provided port is already allocated`);
  });
  if (!causes.length) return undefined;
  return causes.length === 1 ? `The Service "${svc.metadata.name}" is invalid: ${causes[0]}` : `The Service "${svc.metadata.name}" is invalid: \n* ${causes.join('\n* ')}`;
}

/** kubectl scale TYPE NAME --replicas=N (pkg/cmd/scale/scale.go; printed "<kind>.<group>/<name> scaled"). */
async function scaleCmd(st, p, args, ns) {
  let [word, name] = args;
  if (word?.includes('/')) [word, name] = word.split('/');
  const replicas = p.one('--replicas');
  if (replicas === undefined || !/^\d+$/.test(replicas)) return fail(`error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0`);
  const r = word ? resourceFor(word) : undefined;
  if (!r || !served(st, r)) return fail(`error: the server doesn't have a resource type "${word ?? ''}"`);
  if (!['Deployment', 'ReplicaSet'].includes(r.kind)) return fail(`error: cannot scale ${r.plural}`);
  const o = get(st, r.kind, ns, name);
  if (!o) return fail(`Error from server (NotFound): ${r.plural}.apps "${name}" not found`);
  put(st, { ...o, spec: { ...o.spec, replicas: Number(replicas) } });
  reconcile(st);
  return { ...out(`${nameOf(o)} scaled\n`), changed: true };
}

/** kubectl label TYPE NAME k=v [k-] [--overwrite] (pkg/cmd/label/label.go). */
async function labelCmd(st, p, args, ns) {
  let [word, name, ...changes] = args;
  if (word?.includes('/')) {
    changes = [name, ...changes].filter(Boolean);
    [word, name] = word.split('/');
  }
  const r = word ? resourceFor(word) : undefined;
  if (!r || !served(st, r)) return fail(`error: the server doesn't have a resource type "${word}"`);
  const o = get(st, r.kind, r.namespaced ? ns : '', name);
  if (!o) return fail(`Error from server (NotFound): ${r.plural} "${name}" not found`);
  const labels = { ...(o.metadata.labels ?? {}) };
  for (const c of changes) {
    if (c.endsWith('-')) delete labels[c.slice(0, -1)];
    else {
      const [k, v] = c.split('=');
      if (labels[k] !== undefined && labels[k] !== v && !p.one('--overwrite')) return fail(`error: '${k}' already has a value (${labels[k]}), and --overwrite is false`);
      labels[k] = v ?? '';
    }
  }
  const before = o.metadata.resourceVersion;
  const after = put(st, { ...o, metadata: { ...o.metadata, labels } });
  reconcile(st);
  return { ...out(`${nameOf(o)} ${before === after.metadata.resourceVersion ? 'not labeled' : 'labeled'}\n`), changed: true };
}

async function deleteCmd(st, args, ns) {
  let words = [args[0] ?? ''];
  let names = args.slice(1);
  if (args.length && args.every((a) => a.includes('/'))) {
    words = args.map((a) => a.split('/')[0]);
    names = args.map((a) => a.split('/')[1]);
  }
  const k = kindsFor(st, words);
  if (k.error) return fail(k.error);
  let stdout = '';
  let stderr = '';
  for (const r of k.rs) {
    for (const n of names) {
      const o = remove(st, r.kind, r.namespaced ? ns : '', n);
      if (o) stdout += `${r.singular}${r.apiVersion.includes('/') ? `.${r.apiVersion.split('/')[0]}` : ''} "${n}" deleted\n`;
      else stderr += `Error from server (NotFound): ${r.plural} "${n}" not found\n`;
    }
  }
  reconcile(st);
  return { stdout, stderr, code: stderr ? 1 : 0, changed: true };
}

async function deleteDocs(st, docs, ns) {
  const parsed = await parseDocs(docs);
  if (parsed.error) return fail(parsed.error);
  let stdout = '';
  let stderr = '';
  for (const { o } of parsed.objs) {
    const r = resourceOfKind(o.kind, o.apiVersion);
    if (!r) continue;
    const n = o.metadata?.name;
    const gone = remove(st, r.kind, r.namespaced ? o.metadata?.namespace ?? ns : '', n);
    if (gone) stdout += `${nameOf(o).replace('/', ' "')}" deleted\n`;
    else stderr += `Error from server (NotFound): error when deleting: ${r.plural} "${n}" not found\n`;
  }
  reconcile(st);
  return { stdout, stderr, code: stderr ? 1 : 0, changed: true };
}

export { key };
