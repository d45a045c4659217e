// The order in which the course's solution scripts (scripts/solutions/dayN.sh) run on a student's nodes,
// shared by `labgrade lab up` (the lab's own exec) and `labgrade verify` (SSH to real nodes), so both run
// them the same way:
// - days 1-2, one node's work: the script, without arguments, on every node (node1 first), each on its own;
// - days 3-5, a cluster that spans the nodes: `control` on the control node (kubeadm init; its last stdout
//   line is the join command), then `worker '<join command>'` on each other node, then `finish` on the
//   control node (the steps that need every node joined). Each step runs once; the first failure stops
//   the student's later steps, which are reported as not run. Only day 3's control step must print the join
//   command (the workers join that day); a later day's may print none (it may do nothing), and its workers
//   then run `worker` without one.

export interface StepRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
}

export interface StepNode {
  name: string;
  run(args: string[]): Promise<StepRun>;
}

export interface StepOutcome {
  node: string;
  /** the script's arguments, e.g. [] or ['worker', 'kubeadm join ...'] */
  args: string[];
  ok: boolean;
  /** why not: the step's exit and last lines, an infrastructure error, or "not run: ... failed first" */
  detail?: string;
}

/** Days whose solution builds one cluster over the student's nodes (the step protocol above). */
export const isClusterDay = (day: number): boolean => day >= 3;
/** The day the workers join: its control step's last line must be the join command. */
export const JOIN_DAY = 3;

/** A step's label in reports: the node and the script's first argument (the join command is not repeated). */
export const stepLabel = (o: Pick<StepOutcome, 'node' | 'args'>): string => (o.args[0] ? `${o.args[0]} on ${o.node}` : o.node);

const tail = (r: StepRun): string => (r.stdout + r.stderr).trim().split('\n').slice(-5).join(' | ');

/**
 * Runs day N's solution on one student's nodes in the course's order. `nodes` in any order: node1 first is
 * restored by natural name order; `control` names the control node (days 3-5).
 */
export async function runSolutionSteps(day: number, nodes: StepNode[], control: string): Promise<StepOutcome[]> {
  const sorted = [...nodes].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const plan: { node: StepNode; args: (join: string) => string[] }[] = [];
  if (!isClusterDay(day)) for (const n of sorted) plan.push({ node: n, args: () => [] });
  else {
    const c = sorted.find((n) => n.name === control);
    if (!c) return sorted.map((n) => ({ node: n.name, args: [], ok: false, detail: `no control node ${control} among ${sorted.map((x) => x.name).join(', ')}` }));
    plan.push({ node: c, args: () => ['control'] });
    for (const w of sorted.filter((n) => n !== c)) plan.push({ node: w, args: (join) => (join ? ['worker', join] : ['worker']) });
    plan.push({ node: c, args: () => ['finish'] });
  }
  const out: StepOutcome[] = [];
  let broken: string | undefined;
  let join = '';
  for (const p of plan) {
    const args = p.args(join);
    if (broken) {
      out.push({ node: p.node.name, args, ok: false, detail: `not run: ${broken} failed first` });
      continue;
    }
    let r: StepRun;
    try {
      r = await p.node.run(args);
    } catch (e) {
      broken = stepLabel({ node: p.node.name, args });
      out.push({ node: p.node.name, args, ok: false, detail: (e as Error).message });
      continue;
    }
    if (r.code !== 0) {
      broken = stepLabel({ node: p.node.name, args });
      out.push({ node: p.node.name, args, ok: false, detail: `${r.timedOut ? 'timed out' : `exit ${r.code}`}: ${tail(r)}` });
      continue;
    }
    if (args[0] === 'control') {
      const last = r.stdout.trim().split('\n').pop()?.trim() ?? '';
      join = last.startsWith('kubeadm join ') ? last : '';
      if (!join && day === JOIN_DAY) {
        broken = stepLabel({ node: p.node.name, args });
        out.push({ node: p.node.name, args, ok: false, detail: `printed no join command as its last line: ${tail(r)}` });
        continue;
      }
    }
    out.push({ node: p.node.name, args, ok: true });
  }
  return out;
}
