// A fresh class of 2 students: reachable over real SSH, and every node its own machine.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Lab, labDown, labStatus, labUp, sshCommand } from '../../src/lab/index.ts';
import { slotOctet } from '../../src/lab/paths.ts';
import { TEST_LAB_DIR } from './helpers.ts';

let lab: Lab;
// The real podman, straight from the lab's offline archive: these tests are about the lab's mechanics, not
// the stand-ins (a fresh node has no podman rpm yet). The policy is the course's day-2 short form, which
// podman 4.3 here parses whatever a fresh node ships.
const LOAD =
  'mkdir -p /etc/containers; echo \'{"default":[{"type":"insecureAcceptAnything"}]}\' > /etc/containers/policy.json; ' +
  '/usr/bin/podman load -q -i "$LG_LAB_SHARED/images/httpd-24-centos7.tar" >/dev/null';

beforeAll(async () => {
  await labDown(TEST_LAB_DIR);
  lab = await labUp({ students: 2, state: 'fresh', dir: TEST_LAB_DIR });
});
afterAll(async () => {
  await labDown(TEST_LAB_DIR);
});

const hostPortOpen = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host, port, timeout: 1000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });

describe('lab up --students 2 --state fresh', () => {
  it('writes the roster, key and known_hosts for 2 x 3 nodes', async () => {
    const roster = parse(await fs.readFile(lab.rosterPath, 'utf8'));
    expect(roster.defaults).toEqual({ user: 'root', port: 22, identity: lab.keyPath, knownHosts: lab.knownHostsPath });
    expect(roster.lab.eth1).toEqual({ node1: '192.168.90.110/24', node2: '192.168.90.120/24', node3: '192.168.90.130/24' });
    expect(roster.students.map((s: { id: string }) => s.id)).toEqual(['s01', 's02']);
    expect(roster.students[1].nodes.node3).toEqual({ host: `127.${slotOctet()}.2.3` });
    const kh = (await fs.readFile(lab.knownHostsPath, 'utf8')).trim().split('\n');
    expect(kh).toHaveLength(6);
    expect(kh[0]).toMatch(new RegExp(`^127\\.${slotOctet()}\\.1\\.1 ssh-ed25519 AAAA`));
    expect((await fs.stat(lab.keyPath)).mode & 0o077).toBe(0);
    expect(lab.timings?.nodes).toBe(6);
  });

  it('each node answers over SSH as root with its own hostname', async () => {
    for (const n of lab.nodes) {
      const r = await lab.exec(n, 'id -un; hostname; cat /etc/hostname; echo $PATH');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').slice(0, 3)).toEqual(['root', n.name, n.name]);
      expect(r.stdout).toContain('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    }
    const st = await labStatus(TEST_LAB_DIR);
    expect(st.nodes).toHaveLength(6);
    expect(st.nodes.filter((n) => !(n.running && n.listening))).toEqual([]);
  });

  it('OpenSSH verifies the node host keys strictly from the lab known_hosts', () => {
    const argv = sshCommand(lab, lab.node('s02', 'node3'), ['hostname']);
    const out = execFileSync(argv[0] as string, [...argv.slice(1, -2), '-o', 'BatchMode=yes', ...argv.slice(-2)], { encoding: 'utf8' });
    expect(out.trim()).toBe('node3');
  });

  it('eth1 is up with no IPv4 address; no route leaves the node', async () => {
    const n = lab.node('s01', 'node1');
    expect((await lab.exec(n, 'ip -o -4 addr show eth1')).stdout).toBe('');
    expect((await lab.exec(n, 'ip -o link show eth1')).stdout).toMatch(/eth1.*state UP/);
    expect((await lab.exec(n, 'ip route; ip -6 route | grep default')).stdout).toBe('');
    expect((await lab.exec(n, 'ip -o link | cut -d: -f2')).stdout).toMatch(/^ lo\n eth1@if\d+\n$/);
  });

  it("files and /etc are each node's own", async () => {
    const a = lab.node('s01', 'node1');
    await lab.exec(a, 'echo s01n1 > /root/lg-marker; echo "# s01n1" >> /etc/hosts; touch /tmp/lg-tmp-marker');
    for (const other of [lab.node('s01', 'node2'), lab.node('s02', 'node1')]) {
      const r = await lab.exec(other, 'ls /root/lg-marker /tmp/lg-tmp-marker 2>&1; cat /etc/hosts 2>/dev/null | grep -c s01n1');
      expect(r.stdout).toMatch(/No such file/);
      expect(r.stdout.trim().split('\n').pop()).toBe('0');
    }
    expect((await lab.exec(a, 'cat /root/lg-marker')).stdout).toBe('s01n1\n');
    await expect(fs.access('/root/lg-marker')).rejects.toThrow();
    expect(await fs.readFile('/etc/hosts', 'utf8')).not.toContain('s01n1');
    // and the change is in the node's own upper layer
    expect(await fs.readFile(path.join(a.dir, 'etc-upper', 'hosts'), 'utf8')).toContain('s01n1');
  });

  it("the rpm database is each node's own", async () => {
    const a = lab.node('s01', 'node1');
    const top = path.join(a.dir, 'tmp', 'rpmbuild');
    await fs.mkdir(path.join(top, 'SPECS'), { recursive: true });
    await fs.writeFile(
      path.join(top, 'SPECS', 'lgtest.spec'),
      'Name: lgtest\nVersion: 1.0\nRelease: 1.el9\nSummary: t\nLicense: MIT\nBuildArch: noarch\n%description\nt\n%files\n',
    );
    execFileSync('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, path.join(top, 'SPECS', 'lgtest.spec')], { stdio: 'ignore' });
    const r = await lab.exec(a, 'rpm -i --nodeps /tmp/rpmbuild/RPMS/noarch/lgtest-1.0-1.el9.noarch.rpm 2>/dev/null; rpm -q lgtest');
    expect(r.stdout.trim()).toBe('lgtest-1.0-1.el9.noarch');
    for (const other of [lab.node('s01', 'node2'), lab.node('s02', 'node1')])
      expect((await lab.exec(other, 'rpm -q lgtest')).stdout.trim()).toBe('package lgtest is not installed');
  });

  it('a container published on 58080 on one node is seen by no other node and not by the host', async () => {
    const a = lab.node('s01', 'node1');
    const load = LOAD;
    const r = await lab.exec(
      a,
      `${load} && /usr/bin/podman run -d --name httpd-24-centos-7 -p 58080:8080 quay.io/centos7/httpd-24-centos7 >/dev/null && ` +
        // retried until httpd listens; only the last attempt's status is printed (curl prints 000 for each refusal)
        'for i in $(seq 50); do c=$(curl -s -o /dev/null -w "%{http_code}" localhost:58080) && break; sleep 0.1; done; printf %s "$c"',
    );
    expect(r.stdout).toBe('403');
    for (const other of [lab.node('s01', 'node2'), lab.node('s02', 'node1')]) {
      const o = await lab.exec(other, 'curl -s -o /dev/null -w "%{http_code}" --max-time 2 localhost:58080; echo " $?"; /usr/bin/podman ps -aq | wc -l');
      expect(o.stdout).toMatch(/^000 7\n0\n$/);
    }
    expect(await hostPortOpen('127.0.0.1', 58080)).toBe(false);
    expect(await hostPortOpen(a.host, 58080)).toBe(false);
  });

  it("the course addresses connect a student's own nodes only", async () => {
    const set = (s: string, n: string, addr: string) => lab.exec(lab.node(s, n), `ip addr add ${addr} dev eth1`);
    await set('s01', 'node1', '192.168.90.110/24');
    await set('s01', 'node2', '192.168.90.120/24');
    await set('s02', 'node1', '192.168.90.110/24');
    const web = lab.node('s01', 'node2');
    await lab.exec(web, `${LOAD}; /usr/bin/podman run -d -p 58080:8080 quay.io/centos7/httpd-24-centos7 >/dev/null`);
    const probe = 'for i in $(seq 30); do c=$(curl -s -o /dev/null -w "%{http_code}" --max-time 1 http://192.168.90.120:58080/); [ "$c" = 403 ] && break; sleep 0.1; done; echo $c';
    expect((await lab.exec(lab.node('s01', 'node1'), probe)).stdout.trim()).toBe('403');
    // s02's node1 has the same address but s02's network has no .120 yet: nothing answers.
    const other = await lab.exec(lab.node('s02', 'node1'), 'curl -s -o /dev/null -w "%{http_code}" --max-time 2 http://192.168.90.120:58080/; echo " $?"');
    expect(other.stdout.trim()).not.toMatch(/^403/);
    // the host has no course address at all
    expect(execFileSync('ip', ['-o', 'addr'], { encoding: 'utf8' })).not.toContain('192.168.90.');
  });

  it('ip_forward is per node', async () => {
    const a = lab.node('s02', 'node2');
    const before = (await fs.readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim();
    await lab.exec(a, 'echo 1 > /proc/sys/net/ipv4/ip_forward');
    expect((await lab.exec(a, 'cat /proc/sys/net/ipv4/ip_forward')).stdout.trim()).toBe('1');
    expect((await lab.exec(lab.node('s02', 'node3'), 'cat /proc/sys/net/ipv4/ip_forward')).stdout.trim()).toBe('0');
    expect((await fs.readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim()).toBe(before);
    // kernel-wide settings are not the node's to change
    expect((await lab.exec(a, 'echo 10 > /proc/sys/vm/swappiness')).code).not.toBe(0);
  });

  it('snapshot changes when a node changes and not when only read', async () => {
    const n = lab.node('s02', 'node3');
    const s1 = await lab.snapshotText(n);
    await lab.exec(n, 'cat /etc/hosts >/dev/null; rpm -qa >/dev/null; hostname; ip addr; /usr/bin/podman ps -a >/dev/null');
    expect(await lab.snapshotText(n)).toBe(s1);
    await lab.exec(n, 'touch /tmp/x');
    expect(await lab.snapshotText(n)).not.toBe(s1);
    // a scratch file made and removed leaves /tmp as it was (its own mtime is not state; the grader's
    // ssh session may use /tmp)
    await lab.exec(n, 'rm /tmp/x');
    expect(await lab.snapshotText(n)).toBe(s1);
    await lab.exec(n, 'echo "# changed" >> /etc/hosts');
    expect(await lab.snapshotText(n)).not.toBe(s1);
    expect(await lab.snapshot(n)).toMatch(/^[0-9a-f]{64}$/);
  });
});
