// class.json: what is up, so `lab down` and `lab status` work from any process, even after a crash.
import fs from 'node:fs/promises';
import type { NodeNames } from './paths.ts';

export type LabState = 'fresh' | 'day1' | 'day2' | 'day3' | 'day4' | 'day5' | 'mixed';
/** Every state `lab up --state` knows, in course order. */
export const LAB_STATES: readonly LabState[] = ['fresh', 'day1', 'day2', 'day3', 'day4', 'day5', 'mixed'];

/** What one student's nodes were made to look like (mixed classes differ per student). */
export interface StudentPlan {
  student: string;
  /** solutions applied to every node, in order */
  days: (1 | 2 | 3 | 4 | 5)[];
  /** day-1 solution applied on these nodes only ("half done") */
  partialDay1?: string[];
  /** fault ids from faults.ts applied after the solutions, per node */
  faults?: Record<string, string[]>;
  /** node whose sshd was stopped: it does not answer */
  sshdStopped?: string;
  /** node whose authorized_keys no longer holds the lab key */
  keyRefused?: string;
  note: string;
}

export interface NodeRecord extends NodeNames {
  hostKey: string;
  /** the `unshare` process (host pid); its child is the node's PID 1 */
  unsharePid?: number;
  /** host pid of the node's PID 1 (node-init.sh) */
  initPid?: number;
}

export interface ClassFile {
  version: 1;
  dir: string;
  students: number;
  state: LabState;
  createdAt: string;
  /** 'starting' until every node answers and the state is applied */
  phase: 'starting' | 'up';
  nodes: NodeRecord[];
  plan: StudentPlan[];
}

export async function readClassFile(file: string): Promise<ClassFile | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as ClassFile;
  } catch {
    return null;
  }
}

export async function writeClassFile(file: string, c: ClassFile): Promise<void> {
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(c, null, 2) + '\n');
  await fs.rename(tmp, file);
}
