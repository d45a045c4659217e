// Days 3-5 span a student's nodes: control1 runs kubeadm init and prints the join command, the workers
// join with it, control1 finishes. scripts/solutions/day3.sh takes the step as its argument; this runs
// the steps over SSH in the course's order, the script unchanged.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Lab, LabNode } from './index.ts';
import { SOLUTIONS_DIR } from './paths.ts';
import { runSolutionSteps, stepLabel } from './steps.ts';

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The student's nodes by role: the control node (node1, as the lab's roster says) and the others. */
export function roles(lab: Lab, student: string, controlNode = 'node1'): { control: LabNode; workers: LabNode[] } {
  const mine = lab.nodes.filter((n) => n.student === student);
  const control = mine.find((n) => n.name === controlNode);
  if (!control) throw new Error(`${student} has no ${controlNode}`);
  return { control, workers: mine.filter((n) => n !== control) };
}

/**
 * Day 3, 4 or 5 for one student, in the course's order (src/lab/steps.ts): `control` on control1 (day 3:
 * kubeadm init; its last line is the join command), `worker '<join>'` on each other node, `finish` on
 * control1.
 */
export async function solveClusterDay(lab: Lab, student: string, day: number, init?: string): Promise<void> {
  const { control } = roles(lab, student);
  const course = await fs.readFile(path.join(SOLUTIONS_DIR, `day${day}.sh`), 'utf8');
  const script = init ? withInit(course, init) : course;
  const nodes = lab.nodes
    .filter((n) => n.student === student)
    .map((n) => ({ name: n.name, run: (args: string[]) => lab.exec(n, `bash -s -- ${args.map(shq).join(' ')}`, script) }));
  const failed = (await runSolutionSteps(day, nodes, control.name)).find((o) => !o.ok);
  if (failed) throw new Error(`day ${day} solution (${stepLabel(failed)}) of ${student} failed: ${failed.detail ?? ''}`);
}

/** Day 3 for one student (solveClusterDay), with another `kubeadm init` command line when given (ClusterFault.init). */
export const solveDay3 = (lab: Lab, student: string, init?: string): Promise<void> => solveClusterDay(lab, student, 3, init);

/** day3.sh's one `kubeadm init` line (the course's flags). */
const COURSE_INIT = /^([ \t]*)kubeadm init --apiserver-advertise-address=192\.168\.90\.110 --pod-network-cidr=192\.168\.0\.0\/16 --service-cidr=10\.90\.0\.0\/16 >&2$/m;

/** day3.sh with its `kubeadm init` line replaced by `init` (a student who initialised the cluster another way). */
export function withInit(script: string, init: string): string {
  if (!/^kubeadm init(?: [^\n'"`$;&|<>]+)?$/.test(init)) throw new Error(`not a plain kubeadm init command line: ${init}`);
  if (!COURSE_INIT.test(script)) throw new Error('day3.sh has no `kubeadm init` line with the course\'s flags to replace');
  return script.replace(COURSE_INIT, (_m, indent: string) => `${indent}${init} >&2`);
}

/** Applies a day 3-5 fault (faults-k8s.ts) on its node of the student: the control node or the second worker. */
export async function applyClusterFault(lab: Lab, student: string, faultId: string): Promise<void> {
  const { CLUSTER_FAULTS, DAY4_FAULTS } = await import('./faults-k8s.ts');
  const { DAY5_FAULTS } = await import('./faults-day5.ts');
  const all = [...CLUSTER_FAULTS, ...DAY4_FAULTS, ...DAY5_FAULTS];
  const f = all.find((x) => x.id === faultId);
  if (!f) throw new Error(`unknown cluster fault ${faultId}; known: ${all.map((x) => x.id).join(', ')}`);
  if (f.init) throw new Error(`${faultId} is a way of building day 3 (its own kubeadm init): solve the student's day 3 with it (solveDay3)`);
  const { control, workers } = roles(lab, student);
  const node = f.node === 'control' ? control : workers[workers.length - 1];
  if (!node) throw new Error(`${student} has no worker for fault ${faultId}`);
  const r = await lab.exec(node, 'bash -s', f.script);
  if (r.code !== 0) throw new Error(`fault ${faultId} on ${student}/${node.name} failed (exit ${r.code}):\n${(r.stdout + r.stderr).trim().slice(-3000)}`);
}
