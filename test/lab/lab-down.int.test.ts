// `lab down` leaves nothing: no namespace, process (containers included), mount or node file; twice is fine,
// and it still works when class.json is lost (a crash). `lab up` refuses while a class is up.
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabBusyError, labDown, labStatus, labUp } from '../../src/lab/index.ts';
import { labNetns, mountLinesWith, mountsUnder, pidsInNs, pidsInPidNs, TEST_LAB_DIR } from './helpers.ts';
import { slotOctet } from '../../src/lab/paths.ts';

const portOpen = (host: string) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host, port: 22, timeout: 1000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });

// A container whose PID 1 ignores SIGTERM, like the course's httpd containers: down must still remove it.
const START_CONTAINERS =
  'mkdir -p /etc/containers; echo \'{"default":[{"type":"insecureAcceptAnything"}]}\' > /etc/containers/policy.json; ' +
  '/usr/bin/podman load -q -i "$LG_LAB_SHARED/images/httpd-24-centos7.tar" >/dev/null && ' +
  '/usr/bin/podman run -d --name web -p 58080:8080 quay.io/centos7/httpd-24-centos7 >/dev/null && ' +
  '/usr/bin/podman run -d --name stubborn --entrypoint /bin/sh quay.io/centos7/httpd-24-centos7 -c "trap \\"\\" TERM; while :; do sleep 1; done" >/dev/null && ' +
  '/usr/bin/podman ps -q | wc -l';

interface NodeNs {
  pid: string[];
  mnt: string[];
}

/**
 * The nodes' pid and mount namespaces, read while they are up. A node's mounts live in its own mount namespace
 * (unshare --mount, / made rprivate), invisible in this process's mount table: they are gone only when no process
 * is left in that namespace (and nothing pins it), which is what expectClean checks. Also checks that the node
 * namespaces do hold the lab's mounts (their /etc overlay, stand-ins...), so an empty answer later means something.
 */
async function nodeNamespaces(): Promise<NodeNs> {
  const cls = JSON.parse(await fs.readFile(path.join(TEST_LAB_DIR, 'class.json'), 'utf8')) as { nodes: { initPid: number; dir: string }[] };
  for (const n of cls.nodes) {
    const lines = await mountLinesWith(n.initPid, n.dir);
    expect(lines.length, `mounts of ${n.dir} in node pid ${n.initPid}'s mount namespace`).toBeGreaterThan(3);
  }
  expect(cls.nodes.length).toBeGreaterThan(0);
  return {
    pid: await Promise.all(cls.nodes.map((n) => fs.readlink(`/proc/${n.initPid}/ns/pid`))),
    mnt: await Promise.all(cls.nodes.map((n) => fs.readlink(`/proc/${n.initPid}/ns/mnt`))),
  };
}

async function expectClean(ns: NodeNs): Promise<void> {
  expect(await labNetns()).toEqual([]);
  for (const p of ns.pid) expect(await pidsInPidNs(p)).toEqual([]);
  // no process (in any pid namespace) keeps a node's mount namespace, and so its mounts, alive; none pinned by a bind mount
  for (const m of ns.mnt) expect(await pidsInNs('mnt', m), `processes in node mount namespace ${m}`).toEqual([]);
  const hostMounts = await fs.readFile('/proc/self/mountinfo', 'utf8');
  for (const m of ns.mnt) expect(hostMounts.includes(m), `${m} pinned by a mount`).toBe(false);
  expect(await mountsUnder(TEST_LAB_DIR)).toEqual([]);
  for (const h of [1, 2, 3].map((k) => `127.${slotOctet()}.1.${k}`)) expect(await portOpen(h)).toBe(false);
  await expect(fs.access(path.join(TEST_LAB_DIR, 'nodes'))).rejects.toThrow();
  await expect(fs.access(path.join(TEST_LAB_DIR, 'class.json'))).rejects.toThrow();
  await expect(fs.access(path.join(TEST_LAB_DIR, 'roster.yaml'))).rejects.toThrow();
  const st = await labStatus(TEST_LAB_DIR);
  expect(st.up).toBe(false);
  expect(st.leftovers).toEqual({ netns: [], processes: [] });
}

afterAll(async () => {
  await labDown(TEST_LAB_DIR);
});

describe('lab down', () => {
  it('removes every namespace, process, container, mount and node file; twice is fine', async () => {
    await labDown(TEST_LAB_DIR);
    const lab = await labUp({ students: 1, state: 'fresh', dir: TEST_LAB_DIR });
    const r = await lab.exec(lab.node('s01', 'node1'), START_CONTAINERS);
    expect(r.stdout.trim()).toBe('2');
    const pidNs = await nodeNamespaces();
    expect((await pidsInPidNs(pidNs.pid[0] as string)).length).toBeGreaterThan(4); // sshd, conmon x2, httpd, sh ...

    await lab.down();
    await expectClean(pidNs);
    await labDown(TEST_LAB_DIR);
    await expectClean(pidNs);
    // caches survive: the next up reuses them
    await fs.access(path.join(TEST_LAB_DIR, 'shared', 'images', 'httpd-24-centos7.tar'));
    await fs.access(path.join(TEST_LAB_DIR, 'id_ed25519'));
  });

  it('works from names alone when class.json is lost (crash)', async () => {
    const lab = await labUp({ students: 1, state: 'fresh', dir: TEST_LAB_DIR });
    await lab.exec(lab.node('s01', 'node2'), START_CONTAINERS);
    const pidNs = await nodeNamespaces();
    await fs.rm(path.join(TEST_LAB_DIR, 'class.json'));
    const st = await labStatus(TEST_LAB_DIR);
    expect(st.leftovers.netns.length).toBe(4);
    expect(st.leftovers.processes.length).toBeGreaterThan(0);
    await labDown(TEST_LAB_DIR);
    await expectClean(pidNs);
  });
});

describe('lab up while a class is up', () => {
  it('refuses clearly, and leaves the running class alone', async () => {
    const lab = await labUp({ students: 1, state: 'fresh', dir: TEST_LAB_DIR });
    const err = await labUp({ students: 1, state: 'fresh', dir: TEST_LAB_DIR }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabBusyError);
    expect((err as Error).message).toMatch(/already up \(3 nodes in .*\); run `labgrade lab down` first/);
    // another lab dir cannot take the same addresses either
    const err2 = await labUp({ students: 1, state: 'fresh', dir: `${TEST_LAB_DIR}2` }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(LabBusyError);
    expect((await lab.exec(lab.node('s01', 'node1'), 'hostname')).stdout).toBe('node1\n');
    await lab.down();
    await fs.rm(`${TEST_LAB_DIR}2`, { recursive: true, force: true });
  });
});
