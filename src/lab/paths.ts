import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (src/lab/paths.ts -> ../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
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
/** 127.77.i.k: one loopback address per node, so sshd can keep port 22 like a real VM. */
export const MAX_STUDENTS = 250;

/** PATH a node's shell gets: the stand-ins first, as on a VM where they would be the real tools. */
export const NODE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function resolveLabDir(dir?: string): string {
  const d = path.resolve(dir ?? process.env.LABGRADE_LAB_DIR ?? path.join(REPO_ROOT, '.lab'));
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
    host: `127.77.${student}.${k}`,
    netns: `lg-s${student}-n${k}`,
    switchNetns: `lg-s${student}-sw`,
    dir: path.join(labPaths(dir).nodes, `${studentId(student)}-${name}`),
  };
}

/** Every netns the lab may have made, whatever lab dir made it. */
export const NETNS_RE = /^lg-s\d+-(n[123]|sw)$/;
