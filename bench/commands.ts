/**
 * The commands every grader in the benchmark runs: labgrade's own probe commands (src/probes), per node,
 * exactly as checks/day1.spec.ts and checks/day2.spec.ts ask for them (de-duplicated by key, as gather.ts does).
 *
 * Days 1-2 mirror the `probes:` of each check in the specs (DAY_PROBES below: if a spec's probes change,
 * change it). Day 3 reads its spec itself (loadSpecDay, the direct engine's loadDay): its checks' probes
 * take the node's context (the control node, the workers' Kubernetes names, the API address) and it grades
 * the day-2 checks it needs as prerequisites, so the engine's own selection (appliesTo, prerequisitesFor)
 * gives the exact probes labgrade runs on each node.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appliesTo, type Day as CourseDay } from '../src/grade/course.ts';
import { loadDay } from '../src/grade/direct.ts';
import { prerequisitesFor } from '../src/grade/evaluate.ts';
import { buildScript } from '../src/grade/gather.ts';
import { nodeContext } from '../src/grade/plan.ts';
import {
  eth1,
  hosts,
  httpLocal,
  kernelModule,
  kubeYaml,
  podmanState,
  policyJson,
  registriesConf,
  rpmPackages,
  selinux,
  swap,
  sysctlKey,
  systemdUnits,
  yumRepos,
  type Probe,
} from '../src/probes/index.ts';
import type { Roster } from '../src/roster/index.ts';
import { miniProbes } from './mini/probes.ts';

export type Day = 1 | 2 | 3 | 9;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** the days whose probes come from their spec (loadSpecDay) */
const SPEC_DAYS = new Map<number, CourseDay>();

/** Loads checks/day<N>.spec.ts (without Vitest) so that benchCommands can ask its checks for their probes. */
export async function loadSpecDay(day: 3): Promise<void> {
  SPEC_DAYS.set(day, await loadDay(join(ROOT, 'checks', `day${day}.spec.ts`)));
}

interface Scoped {
  scope: 'exercise' | 'all';
  probes: (kubeYamlDir: string) => Probe<unknown>[];
}

const DAY1_PODMAN = () => podmanState({ network: 'shared', pod: 'pod1' });

/** One entry per check of each spec, in spec order: its scope and the probes its `probes:` returns. */
const DAY_PROBES: Record<Day, Scoped[]> = {
  1: [
    { scope: 'exercise', probes: () => [rpmPackages(['epel-release'])] }, // d1.epel
    { scope: 'exercise', probes: () => [rpmPackages(['podman', 'podman-docker', 'podman-compose'])] }, // d1.podman
    { scope: 'exercise', probes: () => [registriesConf()] }, // d1.registries
    { scope: 'exercise', probes: () => [DAY1_PODMAN()] }, // d1.image
    { scope: 'exercise', probes: () => [DAY1_PODMAN()] }, // d1.publish
    { scope: 'exercise', probes: () => [httpLocal(58080)] }, // d1.port
    { scope: 'exercise', probes: () => [DAY1_PODMAN()] }, // d1.network
    { scope: 'exercise', probes: () => [DAY1_PODMAN()] }, // d1.pod
    { scope: 'exercise', probes: () => [DAY1_PODMAN()] }, // d1.pod-containers
    { scope: 'exercise', probes: (dir) => [kubeYaml(dir, 'pod1.yaml')] }, // d1.kube-yaml
    { scope: 'all', probes: () => [eth1('eth1')] }, // d1.eth1
  ],
  2: [
    { scope: 'all', probes: () => [yumRepos()] }, // d2.libcontainers-repo
    { scope: 'all', probes: () => [yumRepos()] }, // d2.crio-repo
    { scope: 'all', probes: () => [rpmPackages(['cri-o'])] }, // d2.crio
    { scope: 'all', probes: () => [rpmPackages(['cri-tools'])] }, // d2.cri-tools
    { scope: 'all', probes: () => [systemdUnits(['crio', 'kubelet', 'firewalld'])] }, // d2.crio-service
    { scope: 'all', probes: () => [selinux()] }, // d2.selinux
    { scope: 'all', probes: () => [yumRepos()] }, // d2.k8s-repo
    { scope: 'all', probes: () => [rpmPackages(['kubelet', 'kubeadm', 'kubectl']), systemdUnits(['crio', 'kubelet', 'firewalld'])] }, // d2.k8s-packages
    { scope: 'all', probes: () => [systemdUnits(['crio', 'kubelet', 'firewalld'])] }, // d2.firewalld
    { scope: 'all', probes: () => [swap()] }, // d2.swap
    { scope: 'all', probes: () => [kernelModule('br_netfilter')] }, // d2.br-netfilter
    { scope: 'all', probes: () => [sysctlKey('net.ipv4.ip_forward')] }, // d2.ip-forward
    { scope: 'all', probes: () => [hosts()] }, // d2.hosts
    { scope: 'all', probes: () => [policyJson()] }, // d2.policy
  ],
  3: [], // from the spec (SPEC_DAYS)
  // bench/mini/mini.spec.ts (cheap-only, "grader overhead")
  9: [{ scope: 'all', probes: () => miniProbes() }],
};

/** The probes labgrade runs on one node for one day, de-duplicated by key (first wins, as in gather.ts). */
export function dayProbes(day: Day, node: string, exerciseNode: string, kubeYamlDir: string): Probe<unknown>[] {
  const all = DAY_PROBES[day].filter((c) => c.scope === 'all' || node === exerciseNode).flatMap((c) => c.probes(kubeYamlDir));
  return [...new Map(all.map((p) => [p.key, p])).values()];
}

/** What gradeNode gathers on one node: its checks' probes and those of the earlier days' checks they need. */
function specProbes(day: CourseDay, roster: Roster, student: string, node: string): Probe<unknown>[] {
  const ctx = nodeContext(roster, student, node);
  const checks = day.checks.filter((c) => appliesTo(c, node, ctx));
  const all = [...prerequisitesFor(day, checks, ctx), ...checks].flatMap((c) => Object.values(c.probes(ctx)));
  return [...new Map(all.map((p) => [p.key, p])).values()];
}

export interface BenchCommand {
  key: string;
  command: string;
  heavy: boolean;
}

export interface BenchHost {
  /** s01-node1 */
  name: string;
  student: string;
  node: string;
  host: string;
  port: number;
  commands: BenchCommand[];
  /** the same commands as one framed `bash -s` script, as gather.ts builds it (all of them, heavy ones included) */
  script: string;
  /** only the light ones (what gather.ts batches; the heavy ones go on their own channels) */
  lightScript: string;
  /** one framed script per heavy probe (gather.ts's own channel for each) */
  heavyScripts: string[];
}

export interface BenchCommands {
  day: Day;
  user: string;
  identity: string;
  knownHosts: string;
  hosts: BenchHost[];
}

const NONCE = 'b3c4e1a0lgbench0';
const PROBE_MAX = 4 * 1024 * 1024;

/** Every node of `roster` (already filtered to the subset wanted) with the commands labgrade runs there. */
export function benchCommands(roster: Roster, day: Day): BenchCommands {
  const nodes = roster.students.flatMap((s) => s.nodes);
  const first = nodes[0];
  if (!first) throw new Error('empty roster');
  return {
    day,
    user: first.user,
    identity: first.identity ?? '',
    knownHosts: roster.knownHosts,
    hosts: nodes.map((t) => {
      const spec = SPEC_DAYS.get(day);
      const probes = spec ? specProbes(spec, roster, t.student, t.node) : dayProbes(day, t.node, roster.lab.exerciseNode, roster.lab.kubeYamlDir);
      return {
        name: `${t.student}-${t.node}`,
        student: t.student,
        node: t.node,
        host: t.host,
        port: t.port,
        commands: probes.map((p) => ({ key: p.key, command: p.command, heavy: Boolean(p.heavy) })),
        script: buildScript(probes, NONCE, PROBE_MAX),
        lightScript: buildScript(
          probes.filter((p) => !p.heavy),
          NONCE,
          PROBE_MAX,
        ),
        heavyScripts: probes.filter((p) => p.heavy).map((p) => buildScript([p], NONCE, PROBE_MAX)),
      };
    }),
  };
}

export function writeBenchCommands(file: string, c: BenchCommands): void {
  writeFileSync(file, JSON.stringify(c, null, 1));
}
