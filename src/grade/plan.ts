import { filterRoster, loadRoster, type Roster } from '../roster/index.ts';
import { openTransport } from '../transport/index.ts';
import type { Transport } from '../transport/types.ts';
import type { NodeContext } from './course.ts';
import type { GatherOptions } from './gather.ts';
import { pickLang } from './messages.ts';
import type { Lang } from './types.ts';

/** The day-2 names of the course's nodes (outcomes.md, d2.hosts). */
export const DEFAULT_HOSTNAMES: Record<string, string> = {
  node1: 'control1.example.com',
  node2: 'worker1.example.com',
  node3: 'worker2.example.com',
};

/** What a check sees of one node: the roster's lab parameters with the course's defaults. */
export function nodeContext(roster: Pick<Roster, 'lab'>, student: string, node: string): NodeContext {
  const lab = roster.lab;
  return {
    student,
    node,
    eth1: lab.eth1[node] ?? '(no eth1 address for this node in the roster)',
    exerciseNode: lab.exerciseNode,
    kubeYamlDir: lab.kubeYamlDir,
    eth1ByNode: lab.eth1,
    hostnames: { ...DEFAULT_HOSTNAMES, ...lab.hostnames },
    controlNode: lab.controlNode,
    apiServer: lab.apiServer,
  };
}

export interface PlanNode {
  student: string;
  node: string;
  host: string;
  ctx: NodeContext;
  open(): Transport;
}

export interface Plan {
  roster: Roster;
  students: { id: string; name?: string }[];
  nodes: PlanNode[];
  weights: Record<string, number>;
  concurrency: number;
  lang: Lang;
  gather: GatherOptions;
}

export const DEFAULT_CONCURRENCY = 32;

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${JSON.stringify(v)}`);
  return n;
}

export function parseShard(s: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || count < 1 || index > count) throw new Error(`--shard wants i/n with 1 <= i <= n, not ${JSON.stringify(s)}`);
  return { index, count };
}

/** What to grade, as the CLI's options say it (the direct engine) or the environment does (plain vitest). */
export interface PlanOptions {
  rosterPath: string;
  student?: string[];
  node?: string[];
  shard?: { index: number; count: number };
  local?: boolean;
  strictHostKeys?: boolean;
  connectTimeoutS?: number;
  commandTimeoutS?: number;
  concurrency?: number;
  lang?: string;
}

/** The LABGRADE_* variables a user running plain `npx vitest run checks/dayN.spec.ts` (or --engine vitest) sets. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): PlanOptions {
  const path = env.LABGRADE_ROSTER;
  if (!path) throw new Error('LABGRADE_ROSTER is not set: name the roster file (e.g. LABGRADE_ROSTER=roster.yaml npx vitest run checks/day1.spec.ts)');
  const split = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
  const connectTimeoutS = positive('LABGRADE_CONNECT_TIMEOUT', env.LABGRADE_CONNECT_TIMEOUT);
  const commandTimeoutS = positive('LABGRADE_COMMAND_TIMEOUT', env.LABGRADE_COMMAND_TIMEOUT);
  const concurrency = positive('LABGRADE_CONCURRENCY', env.LABGRADE_CONCURRENCY);
  const student = split(env.LABGRADE_STUDENT);
  const node = split(env.LABGRADE_NODE);
  return {
    rosterPath: path,
    ...(student ? { student } : {}),
    ...(node ? { node } : {}),
    ...(env.LABGRADE_SHARD ? { shard: parseShard(env.LABGRADE_SHARD) } : {}),
    local: env.LABGRADE_LOCAL === '1',
    strictHostKeys: env.LABGRADE_STRICT_HOST_KEYS === '1',
    ...(connectTimeoutS ? { connectTimeoutS } : {}),
    ...(commandTimeoutS ? { commandTimeoutS } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(env.LABGRADE_LANG ? { lang: env.LABGRADE_LANG } : {}),
  };
}

/** What to grade, from the environment the CLI (or a user running plain vitest) sets. */
export function loadPlanFromEnv(env: NodeJS.ProcessEnv = process.env): Plan {
  return planFrom(optionsFromEnv(env));
}

export function planFrom(o: PlanOptions): Plan {
  const roster = filterRoster(loadRoster(o.rosterPath), {
    student: o.student,
    node: o.node,
    ...(o.shard ? { shard: o.shard } : {}),
  });
  const local = o.local === true;
  const connectTimeoutS = o.connectTimeoutS;
  const commandTimeoutS = o.commandTimeoutS ?? 30;
  const lab = roster.lab;
  const nodes: PlanNode[] = roster.students.flatMap((s) =>
    s.nodes.map((t) => ({
      student: s.id,
      node: t.node,
      host: local ? 'local' : `${t.host}:${t.port}`,
      ctx: nodeContext(roster, s.id, t.node),
      open: () =>
        openTransport(t, {
          local,
          hostKeyMode: o.strictHostKeys ? 'strict' : 'tofu',
          ...(connectTimeoutS ? { connectTimeoutMs: connectTimeoutS * 1000 } : {}),
          commandTimeoutMs: (commandTimeoutS + 5) * 1000,
        }),
    })),
  );
  return {
    roster,
    students: roster.students.map((s) => ({ id: s.id, ...(s.name ? { name: s.name } : {}) })),
    nodes,
    weights: lab.weights,
    concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
    lang: pickLang(o.lang),
    gather: { timeoutMs: commandTimeoutS * 1000 },
  };
}
