/**
 * Cheap-only probes for the "grader overhead" variant: real tools only, no stand-in scripts, no podman.
 * (The day-2 spec is not cheap on the simulated nodes: its systemctl/nmcli/sysctl/swapon/lsmod are bash
 * stand-ins costing 0.1-2 s of node CPU each, so node time would hide the grader's own cost.)
 */
import { parseIpJson } from '../../src/probes/eth1.ts';
import { hosts, kubeYaml, policyJson, registriesConf, rpmPackages, type Probe } from '../../src/probes/index.ts';

export function ipEth1(): Probe<ReturnType<typeof parseIpJson>> {
  return { key: 'ip:eth1', command: 'ip -j addr show dev eth1', parse: (o) => parseIpJson('ip:eth1', o.stdout, o.code) };
}

export function procSys(path: string): Probe<string> {
  return { key: `proc:${path}`, command: `cat /proc/sys/${path}`, parse: (o) => o.stdout.trim() };
}

/** rpm -q, cat (registries.conf + drop-ins, hosts, policy.json, pod1.yaml), ip -j, /proc/sys read: 7 probes, one batch. */
export function miniProbes(): Probe<unknown>[] {
  return [
    rpmPackages(['podman', 'podman-docker', 'podman-compose']),
    registriesConf(),
    hosts(),
    policyJson(),
    kubeYaml('/root', 'pod1.yaml'),
    ipEth1(),
    procSys('net/ipv4/ip_forward'),
  ];
}
