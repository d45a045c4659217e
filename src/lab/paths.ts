import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository (package) root: src/lab/paths.ts -> ../..; the compiled dist/src/lab/paths.js -> ../../.. */
export const REPO_ROOT = ((up2) => (path.basename(up2) === 'dist' ? path.dirname(up2) : up2))(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'),
);
/** Stand-in programs, bind-mounted read-only on each node's /usr/local/sbin. */
export const STANDINS_DIR = path.join(REPO_ROOT, 'src', 'lab', 'standins');
export const SOLUTIONS_DIR = path.join(REPO_ROOT, 'scripts', 'solutions');

export type NodeName = 'node1' | 'node2' | 'node3';
export const NODE_NAMES: readonly NodeName[] = ['node1', 'node2', 'node3'];
/** Course addresses of eth1 (outcomes.md), used only inside the lab's namespaces. */
export const ETH1: Record<NodeName, string> = {
  node1: '192.168.90.110/24',
  node2: '192.168.90.120/24',
  node3: '192.168.90.130/24',
};
export const MAX_STUDENTS = 250;

/**
 * The lab's network slot (`LABGRADE_LAB_SLOT`, 0-9, default 0). Slot 0: sshd on 127.77.i.k, netns lg-s<i>-...;
 * slot N: 127.(80+N).i.k and lg<N>-s<i>-...; so a test run (or a second clone) has addresses and namespaces of its
 * own and never touches a class that another slot brought up.
 */
export function labSlot(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.LABGRADE_LAB_SLOT ?? '0';
  if (!/^[0-9]$/.test(v)) throw new Error(`LABGRADE_LAB_SLOT must be a digit 0-9, not ${JSON.stringify(v)}`);
  return Number(v);
}
/** Second octet of the slot's node addresses (127.<octet>.i.k): one loopback address per node, so sshd keeps port 22. */
export function slotOctet(slot = labSlot()): number {
  return slot === 0 ? 77 : 80 + slot;
}
/** Prefix of the slot's netns names: `lg` (slot 0) or `lg<N>`. */
export function netnsPrefix(slot = labSlot()): string {
  return slot === 0 ? 'lg' : `lg${slot}`;
}

/** PATH a node's shell gets: the stand-ins first, as on a VM where they would be the real tools. */
export const NODE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Directories every node mounts its own over (NODE_INIT in shared.ts): a lab dir below one of them
 * would be hidden inside the nodes (sshd could not read its config, nor the stand-ins the shared files).
 */
export const NODE_SHADOWED = [
  '/etc', '/root', '/tmp', '/var/tmp', '/run', '/dev/shm', '/var/lib/rpm', '/var/lib/containers', '/var/lib/cni', '/var/lib/etcd',
  '/var/lib/kubelet',
  '/usr/local/sbin', '/usr/local/bin', '/sys', '/proc',
] as const;

/** podman refuses a --runroot over 50 characters; the image build's is <lab dir>/shared/build-image/run. */
const MAX_LAB_DIR = 50 - '/shared/build-image/run'.length;

export function shadowedBy(p: string): string | undefined {
  return NODE_SHADOWED.find((d) => p === d || p.startsWith(`${d}/`));
}

/**
 * `<repo>/.lab` (`.lab<N>` for lab slot N, so two slots never share a lab dir: a test run on slot 1 and the
 * developer's class on slot 0), unless the clone itself lives where the nodes mount their own files (a CI
 * job's clone in /tmp, a checkout in /root) or its path is too long: then /var/lib/lg/<hash of the clone's
 * path>[-<N>].
 */
export function defaultLabDir(): string {
  const slot = labSlot();
  const inRepo = path.join(REPO_ROOT, slot ? `.lab${slot}` : '.lab');
  // (leaving room for the tests' <dir>/test and <dir>/test2 within MAX_LAB_DIR)
  if (!shadowedBy(inRepo) && inRepo.length <= MAX_LAB_DIR - '/test2'.length) return inRepo;
  const tag = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 8);
  return path.join('/var/lib/lg', slot ? `${tag}-${slot}` : tag); // short, for MAX_LAB_DIR
}

export function resolveLabDir(dir?: string): string {
  const d = path.resolve(dir ?? process.env.LABGRADE_LAB_DIR ?? defaultLabDir());
  if (d.length > MAX_LAB_DIR)
    throw new Error(`lab dir ${d} is too long (${d.length} characters; at most ${MAX_LAB_DIR}, for podman's --runroot): choose a shorter one (--dir or LABGRADE_LAB_DIR)`);
  const hidden = shadowedBy(d);
  if (hidden)
    throw new Error(`lab dir ${d} is under ${hidden}, which every simulated node replaces with its own: choose a dir elsewhere (--dir or LABGRADE_LAB_DIR)`);
  // The dir ends up unquoted in sshd's ForceCommand and in mount options (overlay splits on ',' and ':').
  if (/[\s,:'"\\$`]/.test(d)) throw new Error(`lab dir must not contain spaces or , : ' " \\ $ \` : ${d}`);
  return d;
}

export function studentId(i: number): string {
  return `s${String(i).padStart(2, '0')}`;
}
export function studentIndex(id: string): number {
  const m = /^s(\d+)$/.exec(id);
  if (!m) throw new Error(`not a student id: ${id}`);
  return Number(m[1]);
}
export function nodeIndex(name: NodeName): 1 | 2 | 3 {
  return Number(name.slice(4)) as 1 | 2 | 3;
}

export interface LabPaths {
  dir: string;
  classFile: string;
  roster: string;
  key: string;
  knownHosts: string;
  shared: string;
  hostKeys: string;
  nodes: string;
}

export function labPaths(dir: string): LabPaths {
  return {
    dir,
    classFile: path.join(dir, 'class.json'),
    roster: path.join(dir, 'roster.yaml'),
    key: path.join(dir, 'id_ed25519'),
    knownHosts: path.join(dir, 'known_hosts'),
    shared: path.join(dir, 'shared'),
    hostKeys: path.join(dir, 'hostkeys'),
    nodes: path.join(dir, 'nodes'),
  };
}

/** Everything that names one node: where it listens, its namespaces, its files. */
export interface NodeNames {
  student: string;
  name: NodeName;
  index: 1 | 2 | 3;
  studentIndex: number;
  host: string;
  netns: string;
  switchNetns: string;
  dir: string;
}

export function nodeNames(dir: string, student: number, name: NodeName): NodeNames {
  const k = nodeIndex(name);
  return {
    student: studentId(student),
    name,
    index: k,
    studentIndex: student,
    host: `127.${slotOctet()}.${student}.${k}`,
    netns: `${netnsPrefix()}-s${student}-n${k}`,
    switchNetns: `${netnsPrefix()}-s${student}-sw`,
    dir: path.join(labPaths(dir).nodes, `${studentId(student)}-${name}`),
  };
}

/** Whether `name` is a netns this slot's lab may have made, whatever lab dir made it. */
export function isSlotNetns(name: string, slot = labSlot()): boolean {
  const p = `${netnsPrefix(slot)}-s`;
  if (!name.startsWith(p)) return false;
  const rest = name.slice(p.length);
  const dash = rest.indexOf('-');
  return dash > 0 && /^\d+$/.test(rest.slice(0, dash)) && ['n1', 'n2', 'n3', 'sw'].includes(rest.slice(dash + 1));
}
