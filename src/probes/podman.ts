/**
 * d1.image, d1.publish, d1.network, d1.pod, d1.pod-containers: podman's view of images, containers,
 * pods and networks. All heavy (podman takes 100 ms+ per call): each gets its own channel.
 * Infra containers are told by IsInfra / InfraContainerID, never by image (empty from podman 5.5).
 */
import { type Probe, ProbeParseError } from './types.ts';
import {
  assertSafeName,
  clip,
  isRecord,
  missingTool,
  needSection,
  parseJson,
  parseSections,
  requireTool,
  section,
  str,
  strArray,
  subshell,
} from './util.ts';

// ---------- names ----------

/**
 * Canonical form of an image reference as podman stores it: registry defaulted to docker.io
 * (plus library/ for one-component names), tag defaulted to latest, so
 * `quay.io/centos7/httpd-24-centos7` == `quay.io/centos7/httpd-24-centos7:latest`.
 */
export function normaliseImageRef(ref: string): string {
  let r = ref.trim();
  const at = r.indexOf('@');
  const digest = at >= 0 ? r.slice(at) : '';
  if (at >= 0) r = r.slice(0, at);
  const parts = r.split('/');
  const first = parts[0] ?? '';
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasDomain) {
    if (parts.length === 1) parts.unshift('library');
    parts.unshift('docker.io');
  }
  const last = parts[parts.length - 1] ?? '';
  if (!digest && !last.includes(':')) parts[parts.length - 1] = `${last}:latest`;
  return parts.join('/') + digest;
}

export function sameImage(a: string, b: string): boolean {
  return normaliseImageRef(a) === normaliseImageRef(b);
}

// ---------- shared bits ----------

export interface PortMapping {
  /** '' (podman 4) or '0.0.0.0' (podman 5.0) both mean every address */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
  /** ps reports consecutive ports as one entry with a range */
  range: number;
}

/** whether any mapping publishes hostPort -> containerPort */
export function publishes(ports: PortMapping[], hostPort: number, containerPort: number, protocol = 'tcp'): boolean {
  return ports.some(
    (p) =>
      p.protocol === protocol &&
      hostPort >= p.hostPort &&
      hostPort < p.hostPort + p.range &&
      containerPort - p.containerPort === hostPort - p.hostPort,
  );
}

/**
 * strips logrus lines podman may print around its JSON (cgroups v1 deprecation, `level=warning`): podman
 * logs through logrus to stderr, but some wrappers and older versions fold them into stdout. The JSON
 * itself is read with JSON.parse (podman's json.Marshal output: no duplicate keys, no comments).
 */
function jsonPart(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^(time="[^"]*" level=|WARN\[\d+\]|ERRO\[\d+\]|INFO\[\d+\])/.test(l))
    .join('\n')
    .trim();
}

/** `[]` or nothing: what inspect prints for a missing object (jsonPart already trimmed it; a `^\s*...\s*$` regex backtracks) */
function emptyJsonList(json: string): boolean {
  return json === '' || /^\[\s*\]$/.test(json);
}

function podmanMissing<T>(out: { stdout: string }, empty: T): T | undefined {
  return missingTool(out.stdout) ? empty : undefined;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return NaN;
}

/** `podman ps` Ports entries: {host_ip, container_port, host_port, range, protocol} (4.x/5.x) */
function psPorts(key: string, v: unknown): PortMapping[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new ProbeParseError(key, 'Ports is not an array');
  return v.map((p) => {
    if (!isRecord(p)) throw new ProbeParseError(key, 'Ports entry is not an object');
    const m: PortMapping = {
      hostIp: str(p.host_ip ?? p.hostIP) ?? '',
      hostPort: num(p.host_port ?? p.hostPort),
      containerPort: num(p.container_port ?? p.containerPort),
      protocol: str(p.protocol) ?? 'tcp',
      range: typeof p.range === 'number' && p.range > 0 ? p.range : 1,
    };
    if (Number.isNaN(m.hostPort) || Number.isNaN(m.containerPort)) throw new ProbeParseError(key, `bad port entry ${JSON.stringify(p)}`);
    return m;
  });
}

/** inspect's PortBindings: {"8080/tcp":[{"HostIp":"","HostPort":"58080"}]} */
export function portBindings(key: string, v: unknown): PortMapping[] {
  if (v === null || v === undefined) return [];
  if (!isRecord(v)) throw new ProbeParseError(key, 'PortBindings is not an object');
  const out: PortMapping[] = [];
  for (const [k, binds] of Object.entries(v)) {
    const m = /^(\d+)(?:\/(\w+))?$/.exec(k);
    if (!m) throw new ProbeParseError(key, `bad PortBindings key ${k}`);
    for (const b of Array.isArray(binds) ? binds : []) {
      if (!isRecord(b)) continue;
      out.push({
        hostIp: str(b.HostIp) ?? '',
        hostPort: num(b.HostPort),
        containerPort: Number(m[1]),
        protocol: m[2] ?? 'tcp',
        range: 1,
      });
    }
  }
  return out;
}

// ---------- images ----------

export interface PodmanImage {
  id: string;
  /** repo:tag names, as podman lists them */
  names: string[];
}

export interface PodmanImagesFact {
  images: PodmanImage[];
  missing?: string;
  error?: string;
}

export function findImage(fact: PodmanImagesFact, ref: string): PodmanImage | undefined {
  const want = normaliseImageRef(ref);
  return fact.images.find((i) => i.names.some((n) => normaliseImageRef(n) === want));
}

export function podmanImages(): Probe<PodmanImagesFact> {
  const key = 'podman-images';
  return {
    key,
    heavy: true,
    command: subshell(`${requireTool('podman')}\npodman images --format json`),
    parse(out) {
      const m = podmanMissing(out, { images: [], missing: 'podman' });
      if (m) return m;
      if (out.code !== 0) return { images: [], error: errorText(key, out) };
      const arr = parseJson(key, jsonPart(out.stdout), 'podman images');
      if (!Array.isArray(arr)) throw new ProbeParseError(key, 'podman images output is not an array');
      return {
        images: arr.map((i) => {
          if (!isRecord(i) || typeof i.Id !== 'string') throw new ProbeParseError(key, `bad image entry ${clip(JSON.stringify(i))}`);
          const names = new Set([...strArray(i.Names), ...strArray(i.RepoTags)]);
          return { id: i.Id, names: [...names] };
        }),
      };
    },
  };
}

function errorText(key: string, out: { stdout: string; stderr: string; code: number }): string {
  const msg = out.stderr.trim() || out.stdout.trim();
  if (!msg) throw new ProbeParseError(key, `podman failed with exit ${out.code} and said nothing`);
  return msg;
}

// ---------- containers ----------

export interface PodmanContainer {
  id: string;
  names: string[];
  /** first name: what `--name` gave */
  name: string;
  image: string;
  imageId: string;
  isInfra: boolean;
  /** full pod id; '' when not in a pod */
  podId: string;
  /** only filled when listed with --pod (this probe does) */
  podName: string;
  /** lowercase: running, exited, created, ... */
  state: string;
  status: string;
  ports: PortMapping[];
  networks: string[];
  command: string[];
}

export interface PodmanContainersFact {
  containers: PodmanContainer[];
  missing?: string;
  error?: string;
}

/** exact name match: `httpd-24-centos7` must not pass for `httpd-24-centos-7` */
export function findContainer(fact: PodmanContainersFact, name: string): PodmanContainer | undefined {
  return fact.containers.find((c) => c.names.includes(name));
}

export function parsePsJson(key: string, text: string): PodmanContainer[] {
  const arr = parseJson(key, jsonPart(text), 'podman ps');
  if (!Array.isArray(arr)) throw new ProbeParseError(key, 'podman ps output is not an array');
  return arr.map((c) => {
    if (!isRecord(c) || typeof c.Id !== 'string') throw new ProbeParseError(key, `bad container entry ${clip(JSON.stringify(c))}`);
    const names = strArray(c.Names);
    return {
      id: c.Id,
      names,
      name: names[0] ?? '',
      image: str(c.Image) ?? '',
      imageId: str(c.ImageID) ?? '',
      isInfra: c.IsInfra === true,
      podId: str(c.Pod) ?? '',
      podName: str(c.PodName) ?? '',
      state: (str(c.State) ?? '').toLowerCase(),
      status: str(c.Status) ?? '',
      ports: psPorts(key, c.Ports),
      networks: strArray(c.Networks),
      command: strArray(c.Command),
    };
  });
}

/** `podman ps -a --pod --format json`: every container, with pod names filled */
export function podmanContainers(): Probe<PodmanContainersFact> {
  const key = 'podman-ps';
  return {
    key,
    heavy: true,
    command: subshell(`${requireTool('podman')}\npodman ps -a --pod --format json`),
    parse(out) {
      const m = podmanMissing(out, { containers: [], missing: 'podman' });
      if (m) return m;
      if (out.code !== 0) return { containers: [], error: errorText(key, out) };
      return { containers: parsePsJson(key, out.stdout) };
    },
  };
}

// ---------- pod ----------

export interface PodMember {
  id: string;
  name: string;
  state: string;
  isInfra: boolean;
}

export interface PodmanPod {
  id: string;
  name: string;
  /** Running, Created, Degraded, Exited, Stopped, Paused, Error */
  state: string;
  hasInfra: boolean;
  infraContainerId: string;
  networks: string[];
  /** sorted, e.g. ["ipc","net","uts"] */
  sharedNamespaces: string[];
  portBindings: PortMapping[];
  numContainers: number;
  containers: PodMember[];
}

export interface PodmanPodFact {
  name: string;
  exists: boolean;
  pod?: PodmanPod;
  missing?: string;
  error?: string;
}

export function parsePodInspect(key: string, text: string): PodmanPod | undefined {
  const data = parseJson(key, jsonPart(text), 'pod inspect');
  // podman 4.3-4.9 `pod inspect` prints a bare object for one pod, 5.x and `inspect --type pod` an array
  const list = Array.isArray(data) ? data : [data];
  if (list.length === 0) return undefined;
  const p = list[0];
  if (!isRecord(p) || typeof p.Id !== 'string' || typeof p.Name !== 'string') {
    throw new ProbeParseError(key, `not a pod: ${clip(JSON.stringify(p))}`);
  }
  const infraId = str(p.InfraContainerID) ?? '';
  const infraConfig = isRecord(p.InfraConfig) ? p.InfraConfig : {};
  const containers = (Array.isArray(p.Containers) ? p.Containers : []).filter(isRecord).map((c) => ({
    id: str(c.Id) ?? '',
    name: str(c.Name) ?? '',
    state: (str(c.State) ?? '').toLowerCase(),
    isInfra: infraId !== '' && c.Id === infraId,
  }));
  return {
    id: p.Id,
    name: p.Name,
    state: str(p.State) ?? '',
    hasInfra: infraId !== '' || p.CreateInfra === true,
    infraContainerId: infraId,
    networks: strArray(infraConfig.Networks),
    sharedNamespaces: strArray(p.SharedNamespaces).sort(),
    portBindings: portBindings(key, infraConfig.PortBindings),
    numContainers: typeof p.NumContainers === 'number' ? p.NumContainers : containers.length,
    containers,
  };
}

/** `podman inspect --type pod NAME`: an array on every podman since 2.2 (unlike `pod inspect` on 4.x) */
export function podmanPod(name: string): Probe<PodmanPodFact> {
  assertSafeName('pod', name);
  const key = `podman-pod:${name}`;
  return {
    key,
    heavy: true,
    command: subshell(`${requireTool('podman')}\npodman inspect --type pod ${name}`),
    parse(out) {
      const m = podmanMissing(out, { name, exists: false, missing: 'podman' });
      if (m) return m;
      // missing pod: stdout `[]` (or nothing), stderr `Error: [inspecting object: ]no such pod NAME`
      if (/no such pod/i.test(out.stderr) && emptyJsonList(jsonPart(out.stdout))) return { name, exists: false };
      if (out.code !== 0 && jsonPart(out.stdout) === '') return { name, exists: false, error: errorText(key, out) };
      const pod = parsePodInspect(key, out.stdout);
      if (!pod) return { name, exists: false };
      if (pod.name !== name) throw new ProbeParseError(key, `asked for pod ${name}, got ${pod.name}`);
      return { name, exists: true, pod };
    },
  };
}

// ---------- networks ----------

export interface PodmanNetwork {
  name: string;
  id: string;
  driver: string;
  networkInterface: string;
  subnets: Array<{ subnet: string; gateway?: string }>;
  dnsEnabled: boolean;
  internal: boolean;
}

export interface PodmanNetworksFact {
  networks: PodmanNetwork[];
  missing?: string;
  error?: string;
}

export function parseNetworks(key: string, text: string): PodmanNetwork[] {
  const arr = parseJson(key, jsonPart(text), 'podman network ls');
  if (!Array.isArray(arr)) throw new ProbeParseError(key, 'network list is not an array');
  return arr.map((n) => {
    if (!isRecord(n) || typeof n.name !== 'string') throw new ProbeParseError(key, `bad network entry ${clip(JSON.stringify(n))}`);
    return {
      name: n.name,
      id: str(n.id) ?? '',
      driver: str(n.driver) ?? '',
      networkInterface: str(n.network_interface) ?? '',
      subnets: (Array.isArray(n.subnets) ? n.subnets : [])
        .filter(isRecord)
        .map((s) => ({ subnet: str(s.subnet) ?? '', ...(str(s.gateway) ? { gateway: str(s.gateway) } : {}) })),
      dnsEnabled: n.dns_enabled === true,
      internal: n.internal === true,
    };
  });
}

/** `podman network ls --format json` (same objects as `network inspect`) */
export function podmanNetworks(): Probe<PodmanNetworksFact> {
  const key = 'podman-networks';
  return {
    key,
    heavy: true,
    command: subshell(`${requireTool('podman')}\npodman network ls --format json`),
    parse(out) {
      const m = podmanMissing(out, { networks: [], missing: 'podman' });
      if (m) return m;
      if (out.code !== 0) return { networks: [], error: errorText(key, out) };
      return { networks: parseNetworks(key, out.stdout) };
    },
  };
}

// ---------- one container, with its pod's infra ports ----------

export interface PodmanContainerDetail {
  id: string;
  name: string;
  /** the name it was created from, e.g. quay.io/centos7/httpd-24-centos7:latest */
  imageName: string;
  state: string;
  podId: string;
  isInfra: boolean;
  /** its own HostConfig.PortBindings: {} for pod members */
  portBindings: PortMapping[];
}

export interface PodmanContainerFact {
  name: string;
  exists: boolean;
  container?: PodmanContainerDetail;
  /** the pod's infra container, when the container is in a pod: it holds the pod's published ports */
  infra?: PodmanContainerDetail;
  /** the ports that really reach this container: infra's for pod members, its own otherwise */
  effectivePorts: PortMapping[];
  missing?: string;
  error?: string;
}

export function parseContainerInspect(key: string, text: string): PodmanContainerDetail | undefined {
  const data = parseJson(key, jsonPart(text), 'container inspect');
  const list = Array.isArray(data) ? data : [data];
  if (list.length === 0) return undefined;
  const c = list[0];
  if (!isRecord(c) || typeof c.Id !== 'string') throw new ProbeParseError(key, `not a container: ${clip(JSON.stringify(c))}`);
  const hostConfig = isRecord(c.HostConfig) ? c.HostConfig : {};
  const state = isRecord(c.State) ? c.State : {};
  return {
    id: c.Id,
    name: str(c.Name) ?? '',
    imageName: str(c.ImageName) ?? '',
    state: (str(state.Status) ?? '').toLowerCase(),
    podId: str(c.Pod) ?? '',
    isInfra: c.IsInfra === true,
    portBindings: portBindings(key, hostConfig.PortBindings),
  };
}

/** lines podman prints on stderr for a missing object, folded into a section by 2>&1 */
function splitErrors(text: string): { json: string; errors: string[] } {
  const errors: string[] = [];
  const rest: string[] = [];
  for (const l of text.split('\n')) (/^Error: /.test(l) ? errors : rest).push(l);
  return { json: rest.join('\n'), errors };
}

export function podmanContainer(name: string): Probe<PodmanContainerFact> {
  assertSafeName('container', name);
  const key = `podman-container:${name}`;
  const body = [
    requireTool('podman'),
    section('container', `podman container inspect ${name}`),
    // a pod member's ports live on the pod's infra container
    `pod=$(podman container inspect --format '{{.Pod}}' ${name} 2>/dev/null)`,
    `if [ -n "$pod" ]; then`,
    `  infra=$(podman pod inspect --format '{{.InfraContainerID}}' "$pod" 2>/dev/null)`,
    `  if [ -n "$infra" ]; then`,
    section('infra', 'podman container inspect "$infra"'),
    `  fi`,
    `fi`,
    'true',
  ].join('\n');
  return {
    key,
    heavy: true,
    command: subshell(body),
    parse(out) {
      const m = podmanMissing(out, { name, exists: false, effectivePorts: [], missing: 'podman' });
      if (m) return m;
      const sections = parseSections(key, out.stdout);
      const cs = needSection(key, sections, 'container');
      const { json, errors } = splitErrors(cs.text);
      if (errors.some((e) => /no such container/i.test(e)) && emptyJsonList(jsonPart(json))) {
        return { name, exists: false, effectivePorts: [] };
      }
      if (cs.code !== 0 && jsonPart(json) === '') {
        return { name, exists: false, effectivePorts: [], error: errors.join('\n') || `exit ${cs.code}` };
      }
      const container = parseContainerInspect(key, json);
      if (!container) return { name, exists: false, effectivePorts: [] };
      const fact: PodmanContainerFact = { name, exists: true, container, effectivePorts: container.portBindings };
      const is = sections.get('infra');
      if (is && is.code === 0) {
        const infra = parseContainerInspect(key, splitErrors(is.text).json);
        if (infra) {
          fact.infra = infra;
          fact.effectivePorts = infra.portBindings;
        }
      }
      return fact;
    },
  };
}
