/**
 * The commands every grader in the benchmark runs: labgrade's own probe commands (src/probes), per node,
 * exactly as checks/day1.spec.ts and checks/day2.spec.ts ask for them (de-duplicated by key, as gather.ts does).
 *
 * Mirrors the `probes:` of each check in the specs (they cannot be imported outside a Vitest run: the spec
 * module registers tests when loaded). If a spec's probes change, change DAY_PROBES below.
 */
import { writeFileSync } from 'node:fs';
import { buildScript } from '../src/grade/gather.ts';
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

export type Day = 1 | 2 | 9;

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
  // bench/mini/mini.spec.ts (cheap-only, "grader overhead")
  9: [{ scope: 'all', probes: () => miniProbes() }],
};

/** The probes labgrade runs on one node for one day, de-duplicated by key (first wins, as in gather.ts). */
export function dayProbes(day: Day, node: string, exerciseNode: string, kubeYamlDir: string): Probe<unknown>[] {
  const all = DAY_PROBES[day].filter((c) => c.scope === 'all' || node === exerciseNode).flatMap((c) => c.probes(kubeYamlDir));
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
      const probes = dayProbes(day, t.node, roster.lab.exerciseNode, roster.lab.kubeYamlDir);
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
