/**
 * Days 3-5: the cluster as root on a node sees it. One API read per node per day (every kind the days
 * need in one `kubectl get ... -A -o json`, plus each CRD kind alone so an absent CRD is a finding),
 * with the kubeconfig root would use, and the node-local files kubeadm and the course write.
 * kubectl's failure texts (kubectl pkg/cmd/util/helpers.go, client-go loader.go; ../shared/reference/
 * kubernetes-1.24.md §0-§2) are recognised and named: they are the student's, not infrastructure.
 */
import { parse as parseYaml } from 'yaml';
import { type Probe, ProbeParseError } from './types.ts';
import { SECTION_MARK, RC_MARK, shq, subshell } from './util.ts';

/** A Kubernetes object as kubectl prints it (unstructured JSON). */
export type K8sObject = {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string; uid?: string };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  [k: string]: unknown;
};

export type KubectlErrorKind = 'not-installed' | 'refused' | 'no-kubeconfig' | 'x509' | 'unauthorized' | 'forbidden' | 'unknown-type' | 'timeout' | 'unreachable' | 'other';
export interface KubectlError {
  kind: KubectlErrorKind;
  /** kubectl's own text, first lines */
  message: string;
}

export type ApiRead = { ok: true; items: K8sObject[] } | { ok: false; error: KubectlError };

export interface ClusterApiFact {
  /** the kubeconfig kubectl used, as root would: $KUBECONFIG from root's login files, else ~/.kube/config */
  kubeconfig: { env?: string; envFrom?: string; homeConfig: boolean; adminConf: boolean; used?: string };
  /** the kinds read together */
  core: ApiRead;
  /** each CRD kind read on its own, e.g. installations.operator.tigera.io */
  crds: Record<string, ApiRead>;
}

/** Root's login files in the order bash reads them (bash(1) INVOCATION); the last assignment wins. */
const LOGIN_FILES = ['/etc/profile', '/etc/profile.d/*.sh', '/root/.bash_profile', '/root/.bash_login', '/root/.profile', '/etc/bashrc', '/root/.bashrc'];

/**
 * Finds `[export ]KUBECONFIG=value` lines (comments ignored) in root's login files, without running them:
 * grading never executes a student's files. Prints `<file>\t<value>` for the last one.
 */
function kubeconfigFromLogin(): string {
  return [
    `__kc= __kcf=`,
    `for __f in ${LOGIN_FILES.join(' ')}; do`,
    `  [ -f "$__f" ] || continue`,
    `  __v=$(sed -n -e 's/^[[:space:]]*\\(export[[:space:]][[:space:]]*\\)\\{0,1\\}KUBECONFIG=//p' "$__f" | tail -n 1)`,
    `  [ -n "$__v" ] && { __kc=$__v; __kcf=$__f; }`,
    `done`,
  ].join('\n');
}

/** Strips quotes and expands $HOME/~ in the assignment's value (what bash would do for the course's forms). */
export function kubeconfigValue(raw: string): string {
  let v = raw.trim();
  const hash = v.indexOf(' #');
  if (hash >= 0) v = v.slice(0, hash).trim();
  if (v.endsWith(';')) v = v.slice(0, -1);
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
  return v.replace(/^~(?=\/|$)/, '/root').split('${HOME}').join('/root').split('$HOME').join('/root');
}

const KUBECTL_TIMEOUT = 20;

/**
 * Exports the value as bash would expand the course's forms (quotes, $HOME, ${HOME}, ~), without eval:
 * grading never runs a student's text. Unset when no login file sets it (kubectl then reads ~/.kube/config).
 */
const KUBECONFIG_EXPORT = [
  'if [ -n "$__kc" ]; then',
  '  __v=${__kc%%[[:space:]]#*}; __v=${__v%;}; __v=${__v#\\"}; __v=${__v%\\"}; __v=${__v#\\\'}; __v=${__v%\\\'}',
  '  __v=${__v//\'${HOME}\'/\\/root}; __v=${__v//\'$HOME\'/\\/root}; case $__v in \'~\'*) __v=/root${__v#\\~} ;; esac',
  '  export KUBECONFIG=$__v',
  // as the course does when nothing else is set: the admin.conf kubeadm wrote
  'elif [ ! -f /root/.kube/config ] && [ -f /etc/kubernetes/admin.conf ]; then export KUBECONFIG=/etc/kubernetes/admin.conf',
  'else unset KUBECONFIG; fi',
].join('\n');

/**
 * Finds root's kubeconfig as kubectl would (login files' KUBECONFIG, ~/.kube/config, admin.conf), prints where
 * it came from (sections `env`, `files`; kubeconfigOf reads them) and exports it; `missing` without kubectl.
 */
const KUBECONFIG_PREAMBLE = [
  kubeconfigFromLogin(),
  `printf '${SECTION_MARK} env\\n%s\\t%s\\n' "$__kcf" "$__kc"`,
  `printf '${SECTION_MARK} files\\n%s %s\\n' "$([ -f /root/.kube/config ] && echo home)" "$([ -f /etc/kubernetes/admin.conf ] && echo admin)"`,
  `command -v kubectl >/dev/null 2>&1 || { printf '${SECTION_MARK} missing\\n'; exit 0; }`,
  KUBECONFIG_EXPORT,
  `export HOME=/root`,
];

/** The kubeconfig kubectl used, from KUBECONFIG_PREAMBLE's sections. */
function kubeconfigOf(sections: Map<string, Section>): ClusterApiFact['kubeconfig'] {
  const envLine = sections.get('env')?.text ?? '';
  const tab = envLine.indexOf('\t');
  const envFrom = tab > 0 ? envLine.slice(0, tab).trim() : '';
  const envRaw = tab >= 0 ? envLine.slice(tab + 1).replace(/\n$/, '') : '';
  const files = sections.get('files')?.text ?? '';
  const homeConfig = files.includes('home');
  const adminConf = files.includes('admin');
  const env = envRaw ? kubeconfigValue(envRaw) : undefined;
  const used = env ?? (homeConfig ? '/root/.kube/config' : adminConf ? '/etc/kubernetes/admin.conf' : undefined);
  return { ...(env ? { env, envFrom } : {}), homeConfig, adminConf, ...(used ? { used } : {}) };
}

/**
 * Every kind the cluster days' checks read, in one `kubectl get` (days 3-5: nodes, Calico, pods, Deployments,
 * Services, namespaces, storage classes, PVs and claims): a later day grades the earlier days' checks it needs
 * (d4.release-deploy needs d3.nodes-ready) from the same read, so a node is read once per day whatever the
 * prerequisites.
 */
export const COURSE_KINDS = [
  'nodes', 'namespaces', 'pods', 'deployments.apps', 'daemonsets.apps', 'services', 'endpoints', 'configmaps',
  'storageclasses.storage.k8s.io', 'persistentvolumes', 'persistentvolumeclaims',
];
/** CRD kinds read on their own (absent until their CRD is installed) */
export const COURSE_CRDS = ['installations.operator.tigera.io'];
/** The cluster days' API read (clusterApi over COURSE_KINDS and COURSE_CRDS). */
export const courseApi = (): Probe<ClusterApiFact> => clusterApi(COURSE_KINDS, COURSE_CRDS);

/**
 * The API read: `kubectl get <kinds> -A -o json` and each CRD kind alone, with the kubeconfig root would use.
 * `kinds` are plural resource names (core group or with their group), e.g. `nodes`, `deployments.apps`.
 */
export function clusterApi(kinds: string[], crds: string[] = []): Probe<ClusterApiFact> {
  for (const k of [...kinds, ...crds]) if (!/^[a-z][a-z0-9.-]*$/.test(k)) throw new Error(`clusterApi: bad kind ${k}`);
  const key = `k8s-api:${kinds.join(',')}+${crds.join(',')}`;
  const get = (what: string, name: string) =>
    [
      `printf '${SECTION_MARK} ${name}\\n'`,
      `timeout ${KUBECTL_TIMEOUT} kubectl get ${what} -A -o json 2>&1`,
      `printf '\\n${RC_MARK} %d\\n' $?`,
    ].join('\n');
  const body = [
    ...KUBECONFIG_PREAMBLE,
    get(kinds.join(','), 'core'),
    ...crds.map((c) => get(c, `crd ${c}`)),
  ].join('\n');
  return {
    key,
    heavy: true,
    command: subshell(body),
    parse(out) {
      const sections = splitSections(out.stdout);
      const kubeconfig = kubeconfigOf(sections);
      if (sections.has('missing')) {
        const error: KubectlError = { kind: 'not-installed', message: 'kubectl: command not found' };
        return { kubeconfig, core: { ok: false, error }, crds: Object.fromEntries(crds.map((c) => [c, { ok: false, error }])) };
      }
      const core = sections.get('core');
      if (!core) throw new ProbeParseError(key, 'no core section');
      return {
        kubeconfig,
        core: readList(key, core),
        crds: Object.fromEntries(crds.map((c) => [c, readList(key, sections.get(`crd ${c}`))])),
      };
    },
  };
}

interface Section {
  text: string;
  code?: number;
}

/** Sections by name; one pass over the lines. A section's last line may be its exit code. */
export function splitSections(stdout: string): Map<string, Section> {
  const out = new Map<string, Section>();
  let name: string | undefined;
  let lines: string[] = [];
  let code: number | undefined;
  const flush = () => {
    if (name !== undefined) out.set(name, { text: lines.join('\n'), ...(code !== undefined ? { code } : {}) });
  };
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${SECTION_MARK} `)) {
      flush();
      name = line.slice(SECTION_MARK.length + 1);
      lines = [];
      code = undefined;
    } else if (line.startsWith(`${RC_MARK} `) && name !== undefined) {
      code = Number(line.slice(RC_MARK.length + 1));
    } else if (name !== undefined) lines.push(line);
  }
  flush();
  return out;
}

function readList(key: string, s: Section | undefined): ApiRead {
  if (!s) throw new ProbeParseError(key, 'a section is missing');
  const text = s.text;
  if (s.code === 0) {
    // warnings (klog lines) may precede the JSON on the same stream: the List starts at the first `{` line
    const start = text.startsWith('{') ? 0 : text.indexOf('\n{') + 1;
    if (start < 0 || (start === 0 && !text.startsWith('{'))) throw new ProbeParseError(key, `kubectl printed no JSON: ${JSON.stringify(text.slice(0, 200))}`);
    let list: { kind?: string; items?: K8sObject[] };
    try {
      list = JSON.parse(text.slice(start)) as typeof list;
    } catch (e) {
      throw new ProbeParseError(key, `kubectl's JSON does not parse: ${(e as Error).message}`);
    }
    if (list.kind === 'List' || Array.isArray(list.items)) return { ok: true, items: (list.items ?? []).filter((o) => o && typeof o === 'object' && o.metadata) };
    // a single object (kubectl prints a lone named object bare)
    return { ok: true, items: [list as unknown as K8sObject] };
  }
  return { ok: false, error: kubectlError(text, s.code) };
}

/** Names kubectl's failure from its text (reference §0, §2); the first line is kept for the verdict. */
export function kubectlError(text: string, code?: number): KubectlError {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  // the klog "Config not found" warning comes before the real error
  const main = lines.find((l) => !/^W\d{4} /.test(l)) ?? lines[0] ?? '';
  const message = lines.slice(0, 3).join(' / ').slice(0, 400);
  const kind: KubectlErrorKind =
    code === 124
      ? 'timeout'
      : main.startsWith('The connection to the server localhost:8080 was refused')
        ? 'no-kubeconfig'
        : main.startsWith('The connection to the server ') && main.includes(' was refused')
          ? 'refused'
          : main.includes('x509: ')
            ? 'x509'
            : main.startsWith('error: You must be logged in to the server')
              ? 'unauthorized'
              : main.startsWith('Error from server (Forbidden)')
                ? 'forbidden'
                : main.startsWith("error: the server doesn't have a resource type")
                  ? 'unknown-type'
                  : main.includes('i/o timeout') || main.includes('TLS handshake timeout')
                    ? 'timeout'
                    : main.startsWith('Unable to connect to the server')
                      ? 'unreachable'
                      : 'other';
  return { kind, message: message || `kubectl exited ${code ?? '?'} with no output` };
}

/** One sentence for a verdict: what kubectl said and what it means. */
export function describeKubectlError(e: KubectlError): string {
  const what: Record<KubectlErrorKind, string> = {
    'not-installed': 'kubectl is not installed',
    'no-kubeconfig': 'kubectl found no kubeconfig (it fell back to localhost:8080)',
    refused: 'nothing answers at the API server address in the kubeconfig',
    x509: "the kubeconfig's CA does not match the API server's certificate (a stale kubeconfig after a new kubeadm init?)",
    unauthorized: "the API server refuses the kubeconfig's credentials",
    forbidden: "the kubeconfig's user may not list these objects",
    'unknown-type': 'the API server does not serve this resource type (its CRD is not installed)',
    timeout: 'the API server did not answer in time',
    unreachable: 'the API server cannot be reached',
    other: 'kubectl failed',
  };
  return `${what[e.kind]}: ${e.message}`;
}

export interface K8sNodeFilesFact {
  adminConf: { exists: boolean; server?: string };
  kubeletConf: { exists: boolean; server?: string };
  /** /etc/kubernetes/manifests/*.yaml file names */
  manifests: string[];
  /** `--advertise-address=` of kube-apiserver.yaml */
  advertiseAddress?: string;
  /** /etc/bash_completion.d/<name>: exists, and is a bash completion script for that command */
  completion: Record<string, { exists: boolean; script: boolean; bytes: number }>;
}

const COMPLETIONS = ['kubectl', 'kubeadm'];

/** The files kubeadm init/join and the course write on a node. */
export function k8sNodeFiles(): Probe<K8sNodeFilesFact> {
  const key = 'k8s-node-files';
  const server = (f: string) => `[ -f ${f} ] && printf 'exists\\n%s\\n' "$(sed -n 's/^[[:space:]]*server:[[:space:]]*//p' ${f} | head -n 1)"`;
  const body = [
    `printf '${SECTION_MARK} admin\\n'`,
    server('/etc/kubernetes/admin.conf'),
    `printf '${SECTION_MARK} kubelet\\n'`,
    server('/etc/kubernetes/kubelet.conf'),
    `printf '${SECTION_MARK} manifests\\n'`,
    `for f in /etc/kubernetes/manifests/*.yaml; do [ -f "$f" ] && printf '%s\\n' "\${f##*/}"; done`,
    `printf '${SECTION_MARK} advertise\\n'`,
    `[ -f /etc/kubernetes/manifests/kube-apiserver.yaml ] && sed -n 's/^[[:space:]]*-[[:space:]]*--advertise-address=//p' /etc/kubernetes/manifests/kube-apiserver.yaml | head -n 1`,
    ...COMPLETIONS.flatMap((c) => [
      `printf '${SECTION_MARK} completion ${c}\\n'`,
      `f=/etc/bash_completion.d/${c}; [ -f $f ] && printf '%s %s\\n' "$(wc -c <$f)" "$(grep -c -e '-F __start_${c} ${c}' -e 'complete .*__start_${c}' $f)"`,
    ]),
    `true`,
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const s = splitSections(out.stdout);
      const conf = (name: string) => {
        const lines = (s.get(name)?.text ?? '').split('\n');
        return lines[0] === 'exists' ? { exists: true, ...(lines[1] ? { server: lines[1].trim() } : {}) } : { exists: false };
      };
      const completion: K8sNodeFilesFact['completion'] = {};
      for (const c of COMPLETIONS) {
        const m = /^(\d+) (\d+)/.exec((s.get(`completion ${c}`)?.text ?? '').trim());
        completion[c] = m ? { exists: true, bytes: Number(m[1]), script: Number(m[2]) > 0 } : { exists: false, bytes: 0, script: false };
      }
      const adv = (s.get('advertise')?.text ?? '').trim();
      return {
        adminConf: conf('admin'),
        kubeletConf: conf('kubelet'),
        manifests: (s.get('manifests')?.text ?? '').split('\n').map((l) => l.trim()).filter(Boolean),
        ...(adv ? { advertiseAddress: adv } : {}),
        completion,
      };
    },
  };
}

export interface NodeRegistrationFact {
  /** what the node's own kubelet credentials read for this node: the Node, or kubectl's failure */
  read: ApiRead;
  kubeletConf: boolean;
}

/** A worker asks the API for its own Node with its kubelet's kubeconfig (the node authorizer allows it). */
export function nodeRegistration(nodeName: string): Probe<NodeRegistrationFact> {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(nodeName)) throw new Error(`nodeRegistration: bad node name ${nodeName}`);
  const key = `k8s-node-registration:${nodeName}`;
  const body = [
    `[ -f /etc/kubernetes/kubelet.conf ] || { printf '${SECTION_MARK} none\\n'; exit 0; }`,
    `command -v kubectl >/dev/null 2>&1 || { printf '${SECTION_MARK} missing\\n'; exit 0; }`,
    `printf '${SECTION_MARK} node\\n'`,
    `HOME=/root timeout ${KUBECTL_TIMEOUT} kubectl --kubeconfig /etc/kubernetes/kubelet.conf get node ${shq(nodeName)} -o json 2>&1`,
    `printf '\\n${RC_MARK} %d\\n' $?`,
  ].join('\n');
  return {
    key,
    heavy: true,
    command: subshell(body),
    parse(out) {
      const s = splitSections(out.stdout);
      if (s.has('none')) return { kubeletConf: false, read: { ok: false, error: { kind: 'no-kubeconfig', message: '/etc/kubernetes/kubelet.conf does not exist' } } };
      if (s.has('missing')) return { kubeletConf: true, read: { ok: false, error: { kind: 'not-installed', message: 'kubectl: command not found' } } };
      return { kubeletConf: true, read: readList(key, s.get('node')) };
    },
  };
}

/** The ClusterConfiguration in the kubeadm-config ConfigMap (kubeadm.k8s.io/v1beta3). */
export function clusterConfiguration(items: K8sObject[]): { podSubnet?: string; serviceSubnet?: string; error?: string } | undefined {
  const cm = items.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === 'kube-system' && o.metadata.name === 'kubeadm-config');
  const text = (cm?.data as Record<string, string> | undefined)?.ClusterConfiguration;
  if (!cm || typeof text !== 'string') return undefined;
  try {
    const cc = parseYaml(text, { maxAliasCount: 10 }) as { networking?: { podSubnet?: string; serviceSubnet?: string } } | null;
    return { ...(cc?.networking?.podSubnet ? { podSubnet: cc.networking.podSubnet } : {}), ...(cc?.networking?.serviceSubnet ? { serviceSubnet: cc.networking.serviceSubnet } : {}) };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

/** `curl` to a Service's NodePort from this node; the nodePort is read with the same kubeconfig. */
export interface NodePortFact {
  nodePort?: number;
  /** HTTP status, 0 when nothing answered */
  status: number;
  curlExit: number;
  error?: KubectlError;
}

export function nodePortHttp(namespace: string, service: string, host: string, portIndex = 0): Probe<NodePortFact> {
  for (const v of [namespace, service]) if (!/^[a-z0-9][a-z0-9.-]*$/.test(v)) throw new Error(`nodePortHttp: bad name ${v}`);
  if (!/^[A-Za-z0-9.-]+$/.test(host)) throw new Error(`nodePortHttp: bad host ${host}`);
  const key = `k8s-nodeport:${namespace}/${service}@${host}#${portIndex}`;
  const body = [
    kubeconfigFromLogin(),
    KUBECONFIG_EXPORT,
    `export HOME=/root`,
    `printf '${SECTION_MARK} port\\n'`,
    `np=$(timeout ${KUBECTL_TIMEOUT} kubectl get service -n ${namespace} ${service} -o 'jsonpath={.spec.ports[${portIndex}].nodePort}' 2>&1); rc=$?`,
    `printf '%s\\n${RC_MARK} %d\\n' "$np" $rc`,
    `case $np in ''|*[!0-9]*) exit 0 ;; esac`,
    `printf '${SECTION_MARK} curl\\n'`,
    `code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://${host}:$np/" 2>/dev/null); printf '%s %d\\n' "$code" $?`,
  ].join('\n');
  return {
    key,
    heavy: true,
    command: subshell(body),
    parse(out) {
      const s = splitSections(out.stdout);
      const port = s.get('port');
      if (!port) throw new ProbeParseError(key, 'no port section');
      const text = port.text.trim();
      if (port.code !== 0) return { status: 0, curlExit: -1, error: kubectlError(text, port.code) };
      if (!/^\d+$/.test(text)) return { status: 0, curlExit: -1 };
      const m = /^(\d{3}) (\d+)/.exec((s.get('curl')?.text ?? '').trim());
      return { nodePort: Number(text), status: m ? Number(m[1]) : 0, curlExit: m ? Number(m[2]) : -1 };
    },
  };
}

/** The current context of the kubeconfig root uses: its name and namespace (unset: kubectl uses `default`). */
export interface KubeconfigContextFact {
  kubeconfig: ClusterApiFact['kubeconfig'];
  /** `kubectl config view --minify -o json`; `context` is absent when the kubeconfig names no current-context */
  read: { ok: true; context?: { name: string; namespace?: string; cluster?: string; user?: string } } | { ok: false; error: KubectlError };
}

/**
 * `kubectl config view --minify -o json` with the kubeconfig root would use: kubectl itself merges a
 * KUBECONFIG list (first file to set a key wins) and picks the current context (reference §7). Client-side only.
 */
export function kubeconfigContext(): Probe<KubeconfigContextFact> {
  const key = 'k8s-kubeconfig-context';
  const body = [
    ...KUBECONFIG_PREAMBLE,
    `printf '${SECTION_MARK} view\\n'`,
    `timeout ${KUBECTL_TIMEOUT} kubectl config view --minify -o json 2>&1`,
    `printf '\\n${RC_MARK} %d\\n' $?`,
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const sections = splitSections(out.stdout);
      const kubeconfig = kubeconfigOf(sections);
      if (sections.has('missing')) return { kubeconfig, read: { ok: false, error: { kind: 'not-installed', message: 'kubectl: command not found' } } };
      const view = sections.get('view');
      if (!view) throw new ProbeParseError(key, 'no view section');
      return { kubeconfig, read: parseConfigView(key, view.text, view.code) };
    },
  };
}

/** kubectl config view --minify -o json's answer (client-go clientcmd/api/v1 Config; reference §7). */
export function parseConfigView(key: string, text: string, code?: number): KubeconfigContextFact['read'] {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  // view.go: minify without a current context (also what an empty or absent kubeconfig gives)
  if (code !== 0 && lines.some((l) => l === 'error: current-context must exist in order to minify')) return { ok: true };
  if (code !== 0) return { ok: false, error: kubectlError(text, code) };
  // klog warnings (Config not found ...) may come first: the object starts at the first `{` line
  const start = text.startsWith('{') ? 0 : text.indexOf('\n{') + 1;
  if (start <= 0 && !text.startsWith('{')) throw new ProbeParseError(key, `kubectl printed no JSON: ${JSON.stringify(text.slice(0, 200))}`);
  let cfg: { 'current-context'?: unknown; contexts?: { name?: unknown; context?: Record<string, unknown> }[] };
  try {
    cfg = JSON.parse(text.slice(start)) as typeof cfg;
  } catch (e) {
    throw new ProbeParseError(key, `kubectl's JSON does not parse: ${(e as Error).message}`);
  }
  const name = typeof cfg['current-context'] === 'string' ? cfg['current-context'] : '';
  if (!name) return { ok: true };
  const ctx = (Array.isArray(cfg.contexts) ? cfg.contexts : []).find((c) => c?.name === name)?.context ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const [namespace, cluster, user] = [str(ctx.namespace), str(ctx.cluster), str(ctx.user)];
  return { ok: true, context: { name, ...(namespace ? { namespace } : {}), ...(cluster ? { cluster } : {}), ...(user ? { user } : {}) } };
}
