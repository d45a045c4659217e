import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findContainer,
  findImage,
  normaliseImageRef,
  podmanContainer,
  podmanContainers,
  podmanImages,
  podmanNetworks,
  podmanPod,
  podmanState,
  parsePodmanState,
  publishes,
  sameImage,
} from '../../src/probes/podman.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeSections } from '../../src/probes/util.ts';
import { FIXTURES, fixture, run } from './helpers.ts';

const IMAGE = 'quay.io/centos7/httpd-24-centos7';

describe('image names', () => {
  it('normalises tag and registry', () => {
    expect(sameImage(IMAGE, `${IMAGE}:latest`)).toBe(true);
    expect(normaliseImageRef('httpd')).toBe('docker.io/library/httpd:latest');
    expect(normaliseImageRef('localhost/podman-pause:4.3.1-0')).toBe('localhost/podman-pause:4.3.1-0');
    expect(normaliseImageRef('registry:5000/x')).toBe('registry:5000/x:latest');
    expect(sameImage(IMAGE, 'quay.io/centos7/httpd-24-centos7:2.4')).toBe(false);
  });
});

describe('podmanImages', () => {
  it('finds the image in the recorded list, with or without :latest', () => {
    const f = run(podmanImages(), fixture('podman/4.3-images.json'));
    expect(findImage(f, IMAGE)?.id).toMatch(/^0856/);
    expect(findImage(f, 'quay.io/centos7/nope')).toBeUndefined();
  });
  it('missing podman, podman error, garbage', () => {
    expect(run(podmanImages(), '__LG_MISSING podman\n', '', 127).missing).toBe('podman');
    expect(run(podmanImages(), '', 'Error: database is locked', 125).error).toMatch(/locked/);
    expect(() => run(podmanImages(), '{"Id":1}')).toThrow(ProbeParseError);
  });
});

describe('podmanContainers', () => {
  it('reads the published container from recorded ps -a (4.3)', () => {
    const f = run(podmanContainers(), fixture('podman/4.3-ps-a.json'));
    const c = findContainer(f, 'httpd-24-centos-7');
    expect(c).toMatchObject({ state: 'running', isInfra: false, podId: '' });
    expect(sameImage(c!.image, IMAGE)).toBe(true);
    expect(publishes(c!.ports, 58080, 8080)).toBe(true);
    expect(publishes(c!.ports, 58080, 80)).toBe(false);
    // without --pod PodName is empty even for pod members; Pod (the id) is set
    const infra = f.containers.find((x) => x.isInfra)!;
    expect(infra).toMatchObject({ podName: '', image: 'localhost/podman-pause:4.3.1-0' });
    expect(infra.podId).toHaveLength(64);
  });
  it('with --pod the pod name is filled, and the exited/created member stays listed', () => {
    const f = run(podmanContainers(), fixture('podman/4.3-ps-a-pod.json'));
    const members = f.containers.filter((c) => c.podName === 'pod1' && !c.isInfra).map((c) => [c.name, c.state]);
    expect(members).toEqual([['pod1-httpd-1', 'running'], ['pod1-httpd-2', 'created']]);
  });
  it('pod members report the infra container ports', () => {
    const f = run(podmanContainers(), fixture('podman/4.3-ps-a-pod-ports.json'));
    expect(publishes(findContainer(f, 'lgprobe-pp-web')!.ports, 58090, 8080)).toBe(true);
  });
  it('5.5: infra has an empty image and is still found by IsInfra', () => {
    const f = run(podmanContainers(), fixture('podman/5.5-ps-a-pod-empty-infra-image.json'));
    expect(f.containers.filter((c) => c.isInfra).map((c) => c.image)).toEqual(['']);
  });
  it('matches names exactly: httpd-24-centos7 is not httpd-24-centos-7', () => {
    const f = run(podmanContainers(), fixture('podman/4.3-ps-a-near-miss-name.json'));
    expect(findContainer(f, 'httpd-24-centos-7')).toBeUndefined();
    expect(findContainer(f, 'httpd-24-centos7')).toBeDefined();
  });
  it('empty list, garbage', () => {
    expect(run(podmanContainers(), fixture('podman/4.3-ps-a-empty.json')).containers).toEqual([]);
    expect(() => run(podmanContainers(), 'CONTAINER ID  IMAGE\n')).toThrow(ProbeParseError);
  });
  it('ignores podman warning lines around the JSON', () => {
    const out = `time="2024-01-01T00:00:00Z" level=warning msg="The cgroupv1 manager is deprecated"\n${fixture('podman/4.3-ps-a-empty.json')}`;
    expect(run(podmanContainers(), out).containers).toEqual([]);
  });
});

describe('podmanPod', () => {
  const p = podmanPod('pod1');
  for (const [label, file] of [
    ['inspect --type pod (array)', 'podman/4.3-inspect-type-pod.json'],
    ['4.x pod inspect (bare object)', 'podman/4.3-pod-inspect.json'],
    ['5.x pod inspect (array)', 'podman/5.x-pod-inspect.json'],
  ] as const) {
    it(`reads ${label}`, () => {
      const f = run(p, fixture(file));
      expect(f.exists).toBe(true);
      const pod = f.pod!;
      expect(pod).toMatchObject({ name: 'pod1', state: 'Degraded', hasInfra: true, networks: ['shared'], sharedNamespaces: ['ipc', 'net', 'uts'], numContainers: 3 });
      expect(pod.containers.filter((c) => c.isInfra).map((c) => c.id)).toEqual([pod.infraContainerId]);
      expect(pod.containers.filter((c) => !c.isInfra).map((c) => c.name).sort()).toEqual(['pod1-httpd-1', 'pod1-httpd-2']);
    });
  }
  it("reads the pod's published ports", () => {
    const f = run(podmanPod('lgprobe-pp'), fixture('podman/4.3-inspect-type-pod-ports.json'));
    expect(publishes(f.pod!.portBindings, 58090, 8080)).toBe(true);
  });
  it('missing pod: [] on stdout, error on stderr', () => {
    const f = run(podmanPod('nosuch'), fixture('podman/4.3-inspect-type-pod-missing.stdout.txt'), fixture('podman/4.3-inspect-type-pod-missing.stderr.txt'), 125);
    expect(f).toEqual({ name: 'nosuch', exists: false });
    expect(run(p, '', 'Error: no such pod pod1\n', 125).exists).toBe(false);
  });
  it('throws on garbage and on another pod', () => {
    expect(() => run(p, '[{"foo":1}]')).toThrow(ProbeParseError);
    expect(() => run(p, fixture('podman/4.3-inspect-type-pod-ports.json'))).toThrow(/asked for pod pod1/);
  });
});

describe('podmanNetworks', () => {
  it('reads recorded network ls and network inspect', () => {
    const f = run(podmanNetworks(), fixture('podman/4.3-network-ls.json'));
    expect(f.networks.map((n) => n.name)).toEqual(['podman', 'shared']);
    expect(f.networks[1]).toMatchObject({ driver: 'bridge', networkInterface: 'podman1', dnsEnabled: true, subnets: [{ subnet: '10.89.0.0/24', gateway: '10.89.0.1' }] });
    expect(run(podmanNetworks(), fixture('podman/4.3-network-inspect.json')).networks[0]?.name).toBe('shared');
  });
  it('garbage', () => {
    expect(() => run(podmanNetworks(), 'NETWORK ID  NAME\n')).toThrow(ProbeParseError);
  });
});

describe('podmanContainer', () => {
  const sec = (c: string, code = 0, infra?: string) =>
    composeSections([['container', c, code], ...(infra ? ([['infra', infra, 0]] as Array<[string, string, number]>) : [])]);
  it('reads PortBindings (4.3: HostIp "")', () => {
    const f = run(podmanContainer('httpd-24-centos-7'), sec(fixture('podman/4.3-container-inspect-publish.json')));
    expect(f.container).toMatchObject({ name: 'httpd-24-centos-7', imageName: `${IMAGE}:latest`, state: 'running', podId: '' });
    expect(f.effectivePorts).toEqual([{ hostIp: '', hostPort: 58080, containerPort: 8080, protocol: 'tcp', range: 1 }]);
  });
  it('reads PortBindings (5.0: HostIp "0.0.0.0")', () => {
    const f = run(podmanContainer('httpd-24-centos-7'), sec(fixture('podman/5.0-container-inspect-publish.json')));
    expect(f.effectivePorts[0]?.hostIp).toBe('0.0.0.0');
    expect(publishes(f.effectivePorts, 58080, 8080)).toBe(true);
  });
  it("a pod member's own PortBindings are empty: the infra's count", () => {
    const f = run(podmanContainer('lgprobe-pp-web'), sec(fixture('podman/4.3-container-inspect-podmember-ports.json'), 0, fixture('podman/4.3-container-inspect-infra-ports.json')));
    expect(f.container!.portBindings).toEqual([]);
    expect(f.infra!.isInfra).toBe(true);
    expect(publishes(f.effectivePorts, 58090, 8080)).toBe(true);
  });
  it('pod member in a pod without ports', () => {
    expect(run(podmanContainer('pod1-httpd-1'), sec(fixture('podman/4.3-container-inspect-podmember.json'))).effectivePorts).toEqual([]);
  });
  it('missing container', () => {
    const text = fixture('podman/4.3-container-inspect-missing.stdout.txt') + fixture('podman/4.3-container-inspect-missing.stderr.txt');
    expect(run(podmanContainer('nosuch'), sec(text, 125))).toEqual({ name: 'nosuch', exists: false, effectivePorts: [] });
  });
  it('garbage', () => {
    expect(() => run(podmanContainer('x'), sec('oops'))).toThrow(ProbeParseError);
    expect(() => run(podmanContainer('x'), 'oops')).toThrow(ProbeParseError);
  });
});

describe('podmanState: one channel, podman ps plus only the calls ps cannot answer', () => {
  const Q = { network: 'shared', pod: 'pod1' };
  /**
   * Runs the probe's real bash with `podman` a function answering from recorded outputs (a file per
   * subcommand; none: exit 125 as podman does for a missing object) and logging each call.
   */
  function onNode(files: { ps: string; pod?: string; images?: string; networks?: string }) {
    const dir = mkdtempSync(join(tmpdir(), 'lg-podman-state-'));
    try {
      const path = (f?: string) => (f ? join(FIXTURES, f) : '');
      const fake = [
        `podman() {`,
        `  echo "$1 $2" >> ${dir}/calls`,
        `  case "$1 $2" in`,
        `    'ps -a') f='${path(files.ps)}' ;;`,
        `    'inspect --type') f='${path(files.pod)}' ;;`,
        `    'images --format') f='${path(files.images)}' ;;`,
        `    'network ls') f='${path(files.networks)}' ;;`,
        `  esac`,
        `  if [ -n "$f" ]; then cat "$f"; else echo "Error: no such object" >&2; return 125; fi`,
        `}`,
      ].join('\n');
      const p = podmanState(Q);
      const r = spawnSync('bash', ['-c', `${fake}\n${p.command}`], { encoding: 'utf8' });
      const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
      return { calls, fact: p.parse({ stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 }) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('solved node, podman 4.3: ps, the pod inspect and images; the network known from the containers on it', () => {
    const { calls, fact } = onNode({ ps: 'podman/4.3-ps-a-pod.json', pod: 'podman/4.3-inspect-type-pod.json', images: 'podman/4.3-images.json' });
    expect(calls).toEqual(['ps -a', 'inspect --type', 'images --format']);
    expect(fact.podmanCalls).toBe(3);
    expect(findImage(fact.images, IMAGE)).toBeDefined();
    expect(fact.networks.networks.find((n) => n.name === 'shared')?.seenIn?.length).toBeGreaterThan(0);
    expect(fact.pod.exists).toBe(true);
    expect(fact.pod.pod?.sharedNamespaces).toEqual(['ipc', 'net', 'uts']);
    expect(fact.containers.containers.filter((c) => c.podName === 'pod1')).toHaveLength(3);
  });

  it('solved node, podman 5.5 ps (empty infra image) with a 5.x pod inspect: the same two calls', () => {
    const { calls, fact } = onNode({ ps: 'podman/5.5-ps-a-pod-empty-infra-image.json', pod: 'podman/5.x-pod-inspect.json', images: 'podman/4.3-images.json' });
    expect(calls).toEqual(['ps -a', 'inspect --type', 'images --format']);
    expect(fact.pod.exists).toBe(true);
    expect(findImage(fact.images, IMAGE)).toBeDefined();
  });

  it('no containers: no pod inspect, and the real image and network lists', () => {
    const { calls, fact } = onNode({ ps: 'podman/4.3-ps-a-empty.json', images: 'podman/4.3-images.json', networks: 'podman/4.3-network-ls.json' });
    expect(calls).toEqual(['ps -a', 'images --format', 'network ls']);
    expect(fact.pod).toEqual({ name: 'pod1', exists: false });
    expect(fact.images.images.length).toBeGreaterThan(0);
    expect(fact.networks.networks.map((n) => n.name)).toContain('shared');
  });

  it('a near-miss container name and no pod: the lists run, nothing is inferred from a name', () => {
    const { calls } = onNode({ ps: 'podman/4.3-ps-a-near-miss-name.json', images: 'podman/4.3-images.json', networks: 'podman/4.3-network-ls.json' });
    expect(calls[0]).toBe('ps -a');
    expect(calls).not.toContain('inspect --type');
  });

  it('ps failing is an error on every fact, not "nothing there"', () => {
    const sections = new Map([['ps', { text: 'Error: database is locked\n', code: 125 }], ['images', { text: 'Error: database is locked\n', code: 125 }], ['networks', { text: '[]\n', code: 0 }]]);
    const f = parsePodmanState('k', Q, sections);
    expect(f.containers.error).toMatch(/database is locked/);
    expect(f.pod.error).toMatch(/database is locked/);
    expect(f.images.error).toMatch(/database is locked/);
  });

  it('refuses a skipped list it cannot make up (output that does not hold what the node matched)', () => {
    const sections = new Map([['ps', { text: fixture('podman/4.3-ps-a-empty.json'), code: 0 }], ['images', { text: '[]\n', code: 0 }]]);
    expect(() => parsePodmanState('k', Q, sections)).toThrow(ProbeParseError);
  });

  it('podman missing: every fact says so', () => {
    const f = podmanState(Q).parse({ stdout: '__LG_MISSING podman\n', stderr: '', code: 127 });
    expect(f.containers.missing).toBe('podman');
    expect(f.podmanCalls).toBe(0);
  });
});
