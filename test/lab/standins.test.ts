// The node stand-ins (src/lab/standins) run for real in a temp sysroot (LG_SYSROOT), with the real rpm,
// ip, hostname and sysctl. Anything that changes kernel state runs under `unshare --net --uts`
// (LG_KERNEL_OK=1), so the host's own network and hostname are never touched. Needs root (CI is root).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, readlinkSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionFresh } from '../../src/lab/fresh.ts';
import { buildRpmRepo, initRpmDb } from '../../src/lab/packages.ts';
import { FAULTS } from '../../src/lab/faults.ts';
import { STANDINS_DIR, REPO_ROOT } from '../../src/lab/paths.ts';

// built once per machine (buildRpmRepo caches on catalog.json)
const REPO = join(tmpdir(), 'labgrade-test-rpm-repo');
const roots: string[] = [];

async function freshRoot(): Promise<string> {
  const R = mkdtempSync(join(tmpdir(), 'lg-standins-'));
  roots.push(R);
  await provisionFresh(join(R, 'etc'), join(R, 'root'), { student: 's01', name: 'node1', index: 1 });
  await initRpmDb(join(R, 'var/lib/rpm'), REPO);
  for (const d of ['proc', 'sys/module', 'run/labgrade']) mkdirSync(join(R, d), { recursive: true });
  writeFileSync(join(R, 'proc/swaps'), '');
  writeFileSync(join(R, 'run/labgrade/config'), `LG_RPM_REPO=${REPO}\n`);
  return R;
}

interface Out {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * Runs a bash snippet with the stand-ins first on PATH. kernel: in fresh net+UTS namespaces holding an
 * `eth1` (veth; its peer is named so that it is not an ethernet device to the nmcli stand-in).
 */
function sh(R: string, script: string, opts: { kernel?: boolean; env?: Record<string, string> } = {}): Out {
  const env = { ...process.env, LG_SYSROOT: R, PATH: `${STANDINS_DIR}:/usr/sbin:/usr/bin:/sbin:/bin`, ...opts.env };
  const prelude = 'ip link set lo up; ip link add eth1 type veth peer name vpeer1; ip link set eth1 up; hostname node1\n';
  const r = opts.kernel
    ? spawnSync('unshare', ['--net', '--uts', 'bash', '-c', prelude + script], { env: { ...env, LG_KERNEL_OK: '1' }, encoding: 'utf8' })
    : spawnSync('bash', ['-c', script], { env, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

beforeAll(async () => {
  await buildRpmRepo(REPO);
}, 120_000);
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('fresh node', { timeout: 120_000 }, () => {
  it('has the Rocky files, hides the Debian lower entries and boots to the course start state', async () => {
    const R = await freshRoot();
    const reg = readFileSync(join(R, 'etc/containers/registries.conf'), 'utf8');
    expect(reg).toMatch(/^unqualified-search-registries = \["registry.access.redhat.com", "registry.redhat.io", "docker.io"\]$/m);
    expect(reg).toMatch(/^short-name-mode = "enforcing"$/m);
    expect(JSON.parse(readFileSync(join(R, 'etc/containers/policy.json'), 'utf8')).transports.docker['registry.redhat.io'][0].type).toBe('sigstoreSigned');
    // Debian's podman (a required system package) ships this drop-in; the node must not see it
    expect(existsSync('/etc/containers/registries.conf.d/shortnames.conf'), 'podman installed (scripts/install-system-deps)').toBe(true);
    expect(statSync(join(R, 'etc/containers/registries.conf.d/shortnames.conf')).isCharacterDevice()).toBe(true);
    expect(readFileSync(join(R, 'etc/rpm/macros.dbpath'), 'utf8')).toBe('%_dbpath /var/lib/rpm\n');
    expect(readlinkSync(join(R, 'etc/sysctl.d/99-sysctl.conf'))).toBe('../sysctl.conf');
    const r = sh(R, 'getenforce; systemctl is-active firewalld; systemctl is-enabled firewalld; rpm --root "$LG_SYSROOT" --dbpath /var/lib/rpm -q firewalld');
    expect(r.stdout).toBe('Enforcing\nactive\nenabled\nfirewalld-1.3.4-1.el9.noarch\n');
  });
});

describe('getenforce / setenforce (libselinux utils)', { timeout: 120_000 }, () => {
  it('setenforce 0 changes the runtime mode only; the config is read at boot', async () => {
    const R = await freshRoot();
    expect(sh(R, 'setenforce 0 && getenforce').stdout).toBe('Permissive\n');
    expect(readFileSync(join(R, 'etc/selinux/config'), 'utf8')).toMatch(/^SELINUX=enforcing$/m);
    const st = sh(R, 'sestatus').stdout;
    expect(st).toMatch(/^Current mode:\s+permissive$/m);
    expect(st).toMatch(/^Mode from config file:\s+enforcing$/m);
    expect(sh(R, 'setenforce maybe')).toMatchObject({ code: 1, stderr: 'usage:  setenforce [ Enforcing | Permissive | 1 | 0 ]\n' });
    // a reboot (empty /run/labgrade) takes the mode from the config again
    sh(R, "sed -i 's/^SELINUX=.*/SELINUX=permissive/' \"$LG_SYSROOT/etc/selinux/config\"; setenforce 1");
    rmSync(join(R, 'run/labgrade/booted'));
    expect(sh(R, 'getenforce').stdout).toBe('Permissive\n');
  });

  // the boot and sestatus read the config by libselinux's rule (selinux_config.c selinux_getenforcemode), as the grader does
  it.each([
    ['first usable line wins over an appended one', 'SELINUX=enforcing\nSELINUX=permissive\n', 'Enforcing', 'enforcing'],
    ['quoted value skipped', 'SELINUX="permissive"\nSELINUX=enforcing\n', 'Enforcing', 'enforcing'],
    ['blanks after =, case, trailing comment', 'SELINUX=  PERMISSIVE # course\n', 'Permissive', 'permissive'],
    ['no usable line: permissive (load_policy.c), sestatus reports the failure', '  SELINUX=enforcing\nSELINUX = enforcing\n', 'Permissive', 'error (Success)'],
  ])('boot mode: %s', async (_name, config, runtime, fromConfig) => {
    const R = await freshRoot();
    writeFileSync(join(R, 'etc/selinux/config'), config);
    expect(sh(R, 'getenforce').stdout).toBe(`${runtime}\n`);
    expect(sh(R, 'sestatus').stdout).toContain(`Mode from config file:          ${fromConfig}\n`);
  });
});

describe('systemctl (systemd 252 forms, output-formats.md)', { timeout: 120_000 }, () => {
  it('unknown unit: 252 and 253 forms', async () => {
    const R = await freshRoot();
    expect(sh(R, 'systemctl is-active crio')).toEqual({ stdout: 'inactive\n', stderr: '', code: 3 });
    expect(sh(R, 'systemctl is-enabled crio')).toEqual({ stdout: '', stderr: 'Failed to get unit file state for crio.service: No such file or directory\n', code: 1 });
    const env = { LG_SYSTEMD_VERSION: '253' };
    expect(sh(R, 'systemctl is-enabled crio', { env })).toEqual({ stdout: 'not-found\n', stderr: '', code: 4 });
    expect(sh(R, 'systemctl is-active crio', { env })).toEqual({ stdout: 'inactive\n', stderr: '', code: 4 });
    expect(sh(R, 'systemctl start crio')).toMatchObject({ code: 5, stderr: 'Failed to start crio.service: Unit crio.service not found.\n' });
    expect(sh(R, 'systemctl enable crio')).toMatchObject({ code: 1, stderr: 'Failed to enable unit: Unit file crio.service does not exist.\n' });
  });

  it('disable --now firewalld removes the real symlinks; firewall-cmd follows', async () => {
    const R = await freshRoot();
    expect(sh(R, 'firewall-cmd --state')).toEqual({ stdout: 'running\n', stderr: '', code: 0 });
    const r = sh(R, 'systemctl disable --now firewalld');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'Removed "/etc/systemd/system/multi-user.target.wants/firewalld.service".\n' +
        'Removed "/etc/systemd/system/dbus-org.fedoraproject.FirewallD1.service".\n',
    );
    expect(existsSync(join(R, 'etc/systemd/system/multi-user.target.wants/firewalld.service'))).toBe(false);
    expect(sh(R, 'systemctl is-enabled firewalld')).toMatchObject({ stdout: 'disabled\n', code: 1 });
    expect(sh(R, 'systemctl is-active firewalld')).toMatchObject({ stdout: 'inactive\n', code: 3 });
    expect(sh(R, 'firewall-cmd --state')).toEqual({ stdout: '', stderr: 'not running\n', code: 252 });
    expect(sh(R, 'systemctl mask firewalld; systemctl is-enabled firewalld').stdout).toBe('masked\n');
  });

  it('enable --now after dnf install; kubelet waits for kubeadm ("activating")', async () => {
    const R = await freshRoot();
    writeFileSync(join(R, 'etc/yum.repos.d/kubernetes.repo'), K8S_REPO);
    writeFileSync(join(R, 'etc/yum.repos.d/crio.repo'), CRIO_REPO);
    expect(sh(R, 'dnf install -y cri-o && dnf install -y kubelet kubeadm kubectl --disableexcludes=kubernetes').code).toBe(0);
    const r = sh(R, 'systemctl enable --now crio');
    expect(r.stderr).toBe('Created symlink /etc/systemd/system/multi-user.target.wants/crio.service → /usr/lib/systemd/system/crio.service.\n');
    expect(readlinkSync(join(R, 'etc/systemd/system/multi-user.target.wants/crio.service'))).toBe('/usr/lib/systemd/system/crio.service');
    expect(sh(R, 'systemctl is-enabled crio; systemctl is-active crio')).toMatchObject({ stdout: 'enabled\nactive\n', code: 0 });
    sh(R, 'systemctl enable --now kubelet');
    expect(sh(R, 'systemctl is-enabled kubelet; systemctl is-active kubelet')).toMatchObject({ stdout: 'enabled\nactivating\n', code: 3 });
    expect(sh(R, 'systemctl status crio').stdout).toMatch(/^● crio\.service - Container Runtime Interface for OCI \(CRI-O\)\n\s+Loaded: loaded \(\/usr\/lib\/systemd\/system\/crio\.service; enabled; preset: disabled\)\n\s+Active: active \(running\) since /);
    // a reboot starts what is enabled
    sh(R, 'systemctl stop crio');
    rmSync(join(R, 'run/labgrade/booted'));
    expect(sh(R, 'systemctl is-active crio').stdout).toBe('active\n');
  });
});

const K8S_REPO = `[kubernetes]
name=Kubernetes
baseurl=https://pkgs.k8s.io/core:/stable:/v1.24/rpm/
enabled=1
gpgcheck=1
exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
`;
const CRIO_REPO = `[devel_kubic_libcontainers_stable_cri-o_1.24_1.24.6]
name=devel:kubic:libcontainers:stable:cri-o:1.24:1.24.6 (CentOS_8)
baseurl=https://download.opensuse.org/repositories/devel:/kubic:/libcontainers:/stable:/cri-o:/1.24:/1.24.6/CentOS_8/
enabled=1
`;

describe('dnf (dnf 4 shapes) over the real rpm database', { timeout: 120_000 }, () => {
  it('unknown names, EPEL only after epel-release, real rpm -q afterwards', async () => {
    const R = await freshRoot();
    expect(sh(R, 'dnf install -y nosuch')).toMatchObject({ code: 1, stderr: 'Error: Unable to find a match: nosuch\n' });
    expect(sh(R, 'dnf install -y nosuch').stdout).toMatch(/^No match for argument: nosuch$/m);
    expect(sh(R, 'dnf install -y podman-compose').stdout).toMatch(/^No match for argument: podman-compose$/m);
    const e = sh(R, 'dnf install -y epel-release');
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^Dependencies resolved\.$/m);
    expect(e.stdout).toMatch(/^Complete!$/m);
    expect(existsSync(join(R, 'etc/yum.repos.d/epel.repo'))).toBe(true);
    expect(sh(R, 'dnf repolist').stdout).toMatch(/^epel\s+Extra Packages for Enterprise Linux 9 - x86_64$/m);
    const p = sh(R, 'dnf install podman podman-docker podman-compose -y');
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/^Installing dependencies:$/m);
    expect(sh(R, 'rpm --root "$LG_SYSROOT" --dbpath /var/lib/rpm -q podman podman-docker podman-compose').stdout).toBe(
      'podman-4.9.4-10.el9_4.noarch\npodman-docker-4.9.4-10.el9_4.noarch\npodman-compose-1.0.6-3.el9.noarch\n',
    );
    expect(sh(R, 'dnf install -y epel-release').stdout).toMatch(/^Package epel-release-9-7\.el9\.noarch is already installed\.$/m);
    // without -y and no "y" on stdin dnf aborts
    expect(sh(R, 'dnf remove podman-compose </dev/null')).toMatchObject({ code: 1 });
    expect(sh(R, 'dnf remove -y podman-compose && rpm --root "$LG_SYSROOT" --dbpath /var/lib/rpm -q podman-compose').stdout).toMatch(/package podman-compose is not installed/);
  });

  it('cri-o only from the 1.24 kubic repo, Kubernetes packages only with --disableexcludes', async () => {
    const R = await freshRoot();
    expect(sh(R, 'dnf install -y cri-o').stdout).toMatch(/^No match for argument: cri-o$/m);
    writeFileSync(join(R, 'etc/yum.repos.d/crio.repo'), CRIO_REPO.replace(/1\.24/g, '1.23'));
    expect(sh(R, 'dnf install -y cri-o').code).toBe(1);
    writeFileSync(join(R, 'etc/yum.repos.d/crio.repo'), CRIO_REPO.replace('enabled=1', 'enabled=0'));
    expect(sh(R, 'dnf install -y cri-o').code).toBe(1);
    writeFileSync(join(R, 'etc/yum.repos.d/crio.repo'), CRIO_REPO);
    expect(sh(R, 'dnf install -y crio')).toMatchObject({ code: 1, stderr: 'Error: Unable to find a match: crio\n' });
    expect(sh(R, 'dnf install -y cri-o && rpm --root "$LG_SYSROOT" --dbpath /var/lib/rpm -q cri-o').stdout).toMatch(/^cri-o-1\.24\.6-1\.1\.el8\.noarch$/m);
    writeFileSync(join(R, 'etc/yum.repos.d/kubernetes.repo'), K8S_REPO);
    const ex = sh(R, 'dnf install -y kubelet');
    expect(ex.code).toBe(1);
    expect(ex.stdout).toMatch(/^All matches were filtered out by exclude filtering for argument: kubelet$/m);
    const ok = sh(R, 'dnf install -y kubelet kubeadm kubectl --disableexcludes=kubernetes');
    expect(ok.code).toBe(0);
    expect(sh(R, 'rpm --root "$LG_SYSROOT" --dbpath /var/lib/rpm -q kubelet kubeadm kubectl cri-tools kubernetes-cni').stdout).toBe(
      'kubelet-1.24.17-150500.1.1.noarch\nkubeadm-1.24.17-150500.1.1.noarch\nkubectl-1.24.17-150500.1.1.noarch\n' +
        'cri-tools-1.24.2-0.noarch\nkubernetes-cni-1.2.0-150500.2.1.noarch\n',
    );
    expect(sh(R, 'dnf list installed').stdout).toMatch(/^kubelet\.noarch\s+1\.24\.17-150500\.1\.1\s+@kubernetes$/m);
  });
});

describe('swapon / swapoff (util-linux 2.37, kernel swap_show)', { timeout: 120_000 }, () => {
  it('shows the LVM swap, swapoff -a empties it, swapon -a follows fstab', async () => {
    const R = await freshRoot();
    expect(sh(R, 'swapon --show').stdout).toBe('NAME      TYPE      SIZE USED PRIO\n/dev/dm-1 partition   2G   0B   -2\n');
    expect(sh(R, 'swapon --show --noheadings').stdout).toBe('/dev/dm-1 partition 2G 0B -2\n');
    expect(readFileSync(join(R, 'proc/swaps'), 'utf8')).toBe(
      'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/dm-1                               partition\t2097148\t\t0\t\t-2\n',
    );
    expect(sh(R, 'swapoff -a; swapon --show; swapon --show --noheadings')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(readFileSync(join(R, 'proc/swaps'), 'utf8')).toBe('Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n');
    expect(sh(R, 'swapon -a; swapon --show --noheadings').stdout).toBe('/dev/dm-1 partition 2G 0B -2\n');
    sh(R, 'swapoff /dev/mapper/rl-swap; sed -i -E "s/^([^#].*[[:space:]]swap[[:space:]].*)$/#\\1/" "$LG_SYSROOT/etc/fstab"; swapon -a');
    expect(sh(R, 'swapon --show').stdout).toBe('');
  });
});

describe('modprobe / lsmod (kmod formats)', { timeout: 120_000 }, () => {
  it('loads into the node /sys/module with dependencies', async () => {
    const R = await freshRoot();
    expect(sh(R, 'modprobe br_netfilter').code).toBe(0);
    expect(statSync(join(R, 'sys/module/br_netfilter')).isDirectory()).toBe(true);
    const l = sh(R, 'lsmod').stdout.split('\n');
    expect(l[0]).toBe('Module                  Size  Used by');
    expect(l[1]).toBe('br_netfilter           32768  0');
    expect(l).toContain('bridge                315392  1 br_netfilter');
    expect(sh(R, 'modprobe nosuch')).toMatchObject({ code: 1, stderr: 'modprobe: FATAL: Module nosuch not found in directory /lib/modules/5.14.0-427.13.1.el9_4.x86_64\n' });
    expect(sh(R, 'modprobe -r br_netfilter; test -d "$LG_SYSROOT/sys/module/br_netfilter"').code).toBe(1);
    // modules-load.d is read at boot
    writeFileSync(join(R, 'etc/modules-load.d/k8s.conf'), 'overlay\nbr_netfilter\n');
    rmSync(join(R, 'run/labgrade/booted'));
    expect(sh(R, 'lsmod | grep -c "^br_netfilter "').stdout).toBe('1\n');
  });

  // systemd-modules-load 252 rules at boot, as the grader's modules probe reads them
  it.each([
    ['an inline comment is part of the module name: not loaded', { 'etc/modules-load.d/k8s.conf': 'br_netfilter # kubernetes\n' }, '0'],
    ['/usr/lib/modules-load.d counts', { 'usr/lib/modules-load.d/k8s.conf': '  br_netfilter  \n' }, '1'],
    ['a same-named /etc file replaces /usr/lib', { 'usr/lib/modules-load.d/k8s.conf': 'br_netfilter\n', 'etc/modules-load.d/k8s.conf': '; nothing\n' }, '0'],
  ])('boot: %s', async (_name, files, want) => {
    const R = await freshRoot();
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(join(R, p, '..'), { recursive: true });
      writeFileSync(join(R, p), text);
    }
    rmSync(join(R, 'run/labgrade/booted'), { force: true });
    expect(sh(R, 'lsmod | grep -c "^br_netfilter "').stdout).toBe(`${want}\n`);
  });
});

describe('sysctl wrapper', { timeout: 120_000 }, () => {
  // the boot applies sysctl.d by systemd-sysctl 252's rules (src/sysctl/sysctl.c), as the grader reads them;
  // a fresh netns starts with ip_forward 0, so what the boot writes shows
  it.each([
    ['an explicit key beats a later glob', { 'k8s.conf': 'net.ipv4.ip_forward = 1\n', 'zz.conf': 'net.ipv4.ip_forw* = 0\n' }, '1'],
    ['a glob applies when no explicit key', { 'zz.conf': 'net.ipv4.ip_forw* = 1\n' }, '1'],
    ['"-key" cancels the key', { 'k8s.conf': 'net.ipv4.ip_forward = 1\n', 'zz.conf': '-net.ipv4.ip_forward\n' }, '0'],
    ['a leading slash is dropped', { 'k8s.conf': '/net/ipv4/ip_forward = 1\n' }, '1'],
    ['the last assignment wins', { 'a.conf': 'net.ipv4.ip_forward = 0\n', 'b.conf': 'net.ipv4.ip_forward = 1\n' }, '1'],
  ])('boot (systemd-sysctl rules): %s', async (_name, files, want) => {
    const R = await freshRoot();
    for (const [name, text] of Object.entries(files)) writeFileSync(join(R, 'etc/sysctl.d', name), text);
    rmSync(join(R, 'run/labgrade/booted'), { force: true });
    const r = sh(R, 'rm -f "$LG_SYSROOT/run/labgrade/booted"; sysctl -n net.ipv4.ip_forward', { kernel: true });
    expect(r.stdout).toBe(`${want}\n`);
  });

  it('sysctl --system is procps: "-key" without "=" is invalid syntax', async () => {
    const R = await freshRoot();
    writeFileSync(join(R, 'etc/sysctl.d/k8s.conf'), 'net.ipv4.ip_forward = 1\n-net.ipv4.ip_forward\n');
    const r = sh(R, 'sysctl --system >/dev/null; sysctl -n net.ipv4.ip_forward', { kernel: true });
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('sysctl: /etc/sysctl.d/k8s.conf(2): invalid syntax, continuing...\n');
  });

  it('net.* reaches the node netns; net.bridge.* needs br_netfilter; other keys never reach the kernel', async () => {
    const R = await freshRoot();
    const r = sh(
      R,
      `sysctl -w net.ipv4.ip_forward=1; sysctl -n net.ipv4.ip_forward; cat /proc/sys/net/ipv4/ip_forward
       sysctl net.bridge.bridge-nf-call-iptables; echo "rc=$?"
       modprobe br_netfilter; sysctl net.bridge.bridge-nf-call-iptables
       printf 'net.ipv4.ip_forward = 0\\nnet.bridge.bridge-nf-call-iptables = 1\\n' > "$LG_SYSROOT/etc/sysctl.d/k8s.conf"
       sysctl --system | grep -A2 k8s.conf; sysctl -n net.ipv4.ip_forward`,
      { kernel: true },
    );
    expect(r.stdout).toBe(
      'net.ipv4.ip_forward = 1\n1\n1\nrc=1\nnet.bridge.bridge-nf-call-iptables = 1\n' +
        '* Applying /etc/sysctl.d/k8s.conf ...\nnet.ipv4.ip_forward = 0\nnet.bridge.bridge-nf-call-iptables = 1\n0\n',
    );
    expect(r.stderr).toBe('sysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory\n');
    const before = readFileSync('/proc/sys/kernel/pid_max', 'utf8');
    expect(sh(R, 'sysctl -w kernel.pid_max=32768; sysctl -n kernel.pid_max').stdout).toBe('kernel.pid_max = 32768\n32768\n');
    expect(readFileSync('/proc/sys/kernel/pid_max', 'utf8')).toBe(before);
  });

  it('without LG_KERNEL_OK a net.* write stays out of the kernel', async () => {
    const R = await freshRoot();
    const host = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
    const flipped = host.trim() === '1' ? '0' : '1';
    const r = sh(R, `sysctl -w net.ipv4.ip_forward=${flipped}`);
    expect(r.stderr).toMatch(/not written/);
    expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')).toBe(host);
  });
});

describe('hostnamectl', { timeout: 120_000 }, () => {
  it('set-hostname writes /etc/hostname and the kernel hostname of the UTS namespace', async () => {
    const R = await freshRoot();
    const r = sh(R, 'hostnamectl set-hostname control1.example.com; hostname; hostnamectl --static; hostnamectl | head -n 1', { kernel: true });
    expect(r.stdout).toBe('control1.example.com\ncontrol1.example.com\n Static hostname: control1.example.com\n');
    expect(readFileSync(join(R, 'etc/hostname'), 'utf8')).toBe('control1.example.com\n');
  });
});

describe('nmcli (NetworkManager 1.46 formats)', { timeout: 120_000 }, () => {
  it('a daemon older than nmcli (dnf update, no restart): the version warning on stderr of every call, data unchanged', async () => {
    const R = await freshRoot();
    const before = sh(R, 'nmcli -t -f NAME,TYPE con show', { kernel: true });
    writeFileSync(join(R, 'run/labgrade/nm-daemon-version'), '1.44.0\n');
    const r = sh(R, 'nmcli -t -f NAME,TYPE con show', { kernel: true });
    expect(r.stdout).toBe(before.stdout);
    expect(r.stderr).toBe("Warning: nmcli (1.46.0) and NetworkManager (1.44.0) versions don't match. Restarting NetworkManager is advised.\n");
  });
  it('fresh: eth1 on an in-memory "Wired connection 1"; con mod persists it; con up applies it', async () => {
    const R = await freshRoot();
    const r = sh(
      R,
      String.raw`nmcli -t -f NAME,TYPE,DEVICE con show
echo ---; ls "$LG_SYSROOT/run/NetworkManager/system-connections/"
echo ---; nmcli -g ipv4.method,ipv4.addresses,ipv4.never-default con show "Wired connection 1"
nmcli con mod "Wired connection 1" ipv4.addresses 192.168.90.110/24 ipv4.method manual ipv4.never-default yes
echo ---; ls "$LG_SYSROOT/run/NetworkManager/system-connections/"; ip -4 -br addr show dev eth1 | awk '{print $3}'
nmcli con up "Wired connection 1"
echo ---; nmcli -g ipv4.method,ipv4.addresses,ipv4.never-default con show "Wired connection 1"
ip -j addr show dev eth1
echo; nmcli -t -f GENERAL.CONNECTION dev show eth1
nmcli con mod "Wired connection 1" ipv4.method auto ipv4.addresses ""; nmcli con up "Wired connection 1" >/dev/null
echo ---; ip -4 -br addr show dev eth1 | awk '{print $3}'`,
      { kernel: true },
    );
    expect(r.stderr).toBe('');
    const parts = r.stdout.split('---\n');
    expect(parts[0]).toBe('lo:loopback:lo\nWired connection 1:802-3-ethernet:eth1\neth0:802-3-ethernet:\n');
    expect(parts[1]).toBe('Wired connection 1.nmconnection\n');
    expect(parts[2]).toBe('auto\n\nno\n');
    // moved to /etc, nothing applied until `con up`
    expect(parts[3]).toBe('Connection successfully activated (D-Bus active path: /org/freedesktop/NetworkManager/ActiveConnection/2)\n');
    expect(parts[4]).toMatch(/^manual\n192\.168\.90\.110\/24\nyes\n/);
    const addr = JSON.parse((parts[4] ?? '').split('\n')[3] ?? '[]')[0].addr_info.find((a: { family: string }) => a.family === 'inet');
    expect(addr).toMatchObject({ local: '192.168.90.110', prefixlen: 24, noprefixroute: true });
    expect(addr.dynamic).toBeUndefined();
    expect(parts[4]).toMatch(/\nGENERAL\.CONNECTION:Wired connection 1\n$/);
    expect(parts[5]).toBe(''); // method auto: the static address is gone (no DHCP here)
    const keyfile = join(R, 'etc/NetworkManager/system-connections/Wired connection 1.nmconnection');
    expect(statSync(keyfile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyfile, 'utf8')).toMatch(/\[ipv4\]\nmethod=auto\n/);
  });

  it('keyfile after con mod: [ipv4] address1, method=manual, never-default=true', async () => {
    const R = await freshRoot();
    sh(R, 'nmcli con mod "Wired connection 1" ipv4.addresses 192.168.90.120/24 ipv4.method manual ipv4.never-default yes', { kernel: true });
    const text = readFileSync(join(R, 'etc/NetworkManager/system-connections/Wired connection 1.nmconnection'), 'utf8');
    expect(text).toMatch(/^\[ipv4\]\naddress1=192\.168\.90\.120\/24\nmethod=manual\nnever-default=true$/m);
    expect(text).toMatch(/^interface-name=eth1$/m);
  });

  it('concurrent calls (a grader gathering many probes at once) all see the same, whole state', async () => {
    const R = await freshRoot();
    // 12 readers racing NetworkManager's first start and two `con up`s: each writes nm.json; without the lock a
    // reader met a half-written (empty) nm.json and printed eth1 as disconnected, or boots ran twice
    const r = sh(
      R,
      String.raw`d=$(mktemp -d)
for i in $(seq 1 8); do nmcli -t -f NAME,DEVICE con show > "$d/$i" 2>&1 & done
nmcli con up "Wired connection 1" >/dev/null 2>&1 & nmcli con up "Wired connection 1" >/dev/null 2>&1 &
for i in $(seq 9 12); do nmcli -t -f NAME,DEVICE con show > "$d/$i" 2>&1 & done
wait; sort "$d"/* | uniq -c | sed 's/^ *//'; rm -r "$d"
echo ---; nmcli -t -f GENERAL.CONNECTION dev show eth1`,
      { kernel: true },
    );
    expect(r.stderr).toBe('');
    const [counts, dev] = r.stdout.split('---\n');
    expect(counts).toBe('12 Wired connection 1:eth1\n12 eth0:\n12 lo:lo\n');
    expect(dev).toBe('GENERAL.CONNECTION:Wired connection 1\n');
  });

  it('errors and terse escaping', async () => {
    const R = await freshRoot();
    const r = sh(
      R,
      String.raw`nmcli con show nope; echo "rc=$?"; nmcli dev show eth9; echo "rc=$?"
nmcli con add type ethernet con-name 'lab:eth\1' ifname eth9 >/dev/null
nmcli -t -f NAME con show | grep lab; nmcli -g NAME con show | grep lab; nmcli -t -f connection.id con show 'lab:eth\1'
nmcli -f NAME,FILENAME con show | sed -n 1p`,
      { kernel: true },
    );
    expect(r.stderr).toBe("Error: nope - no such connection profile.\nError: Device 'eth9' not found.\n");
    expect(r.stdout).toBe(
      'rc=10\nrc=10\n' + String.raw`lab\:eth\\1` + '\n' + String.raw`lab\:eth\\1` + '\n' + String.raw`connection.id:lab:eth\1` + '\n' +
        'NAME                FILENAME                                                               \n',
    );
  });
});

describe('podman / docker shims', { timeout: 120_000 }, () => {
  it('are "command not found" until their rpm is installed', async () => {
    const R = await freshRoot();
    expect(sh(R, 'podman ps')).toEqual({ stdout: '', stderr: 'bash: podman: command not found\n', code: 127 });
    expect(sh(R, 'docker ps')).toMatchObject({ code: 127 });
  });
});

describe('faults and solutions', { timeout: 120_000 }, () => {
  it('every script is valid bash', () => {
    for (const f of FAULTS) {
      const r = spawnSync('bash', ['-n'], { input: f.script, encoding: 'utf8' });
      expect(r.stderr, f.id).toBe('');
    }
    for (const s of ['day1.sh', 'day2.sh']) {
      expect(spawnSync('bash', ['-n', join(REPO_ROOT, 'scripts/solutions', s)]).status, s).toBe(0);
    }
    for (const f of readdirSync(STANDINS_DIR)) {
      const p = join(STANDINS_DIR, f);
      if (!statSync(p).isFile() || f === 'package.json') continue;
      const first = readFileSync(p, 'utf8').split('\n')[0] ?? '';
      const r = first.includes('node') ? spawnSync('node', ['--check', p]) : spawnSync('bash', ['-n', p]);
      expect(r.status, f).toBe(0);
    }
  });

  it('ids are unique, and every outcome of outcomes.md has a breaking fault', () => {
    expect(new Set(FAULTS.map((f) => f.id)).size).toBe(FAULTS.length);
    // the ids of ../shared/course/outcomes.md (the spec lives beside the repo, not in it)
    const outcomes = [
      'd1.epel', 'd1.podman', 'd1.registries', 'd1.image', 'd1.publish', 'd1.port', 'd1.network', 'd1.pod',
      'd1.pod-containers', 'd1.kube-yaml', 'd1.eth1', 'd2.libcontainers-repo', 'd2.crio-repo', 'd2.crio',
      'd2.cri-tools', 'd2.crio-service', 'd2.selinux', 'd2.k8s-repo', 'd2.k8s-packages', 'd2.firewalld', 'd2.swap',
      'd2.br-netfilter', 'd2.ip-forward', 'd2.hosts', 'd2.policy',
    ];
    // the course material sits beside the clone (as in CI); missing, this must fail rather than check nothing
    const spec = join(REPO_ROOT, '..', 'shared', 'course', 'outcomes.md');
    expect(existsSync(spec), `${spec} (the course spec, beside the clone)`).toBe(true);
    expect([...readFileSync(spec, 'utf8').matchAll(/^\| (d[12]\.[a-z0-9-]+) \|/gm)].map((m) => m[1])).toEqual(outcomes);
    expect(outcomes.length).toBe(25);
    const breaking = new Set(FAULTS.filter((f) => !f.valid).map((f) => f.outcome));
    expect(outcomes.filter((o) => !breaking.has(o ?? ''))).toEqual([]);
    expect(FAULTS.filter((f) => f.valid).length).toBeGreaterThanOrEqual(5);
  });
});

describe('exportfs and nfs-server (nfs-utils 2.5.4, reference §10)', { timeout: 120_000 }, () => {
  it('is absent without nfs-utils; reads /etc/exports and exports.d; the notes\' slips; the unit loads and empties the list', async () => {
    const R = await freshRoot();
    expect(sh(R, 'exportfs -s')).toMatchObject({ code: 127, stderr: 'bash: exportfs: command not found\n' });
    expect(sh(R, 'dnf install nfs-utils -y').code).toBe(0);
    expect(sh(R, 'rpm --root "$LG_SYSROOT" --dbpath /var/lib/rpm -q nfs-utils').stdout).toBe('nfs-utils-2.5.4-25.el9.noarch\n');
    expect(sh(R, 'systemctl is-enabled nfs-server; systemctl is-active nfs-server').stdout).toBe('disabled\ninactive\n');
    // the notes: /etc/exportfs is never read
    writeFileSync(join(R, 'etc/exportfs'), '/nfs *(rw,no_root_squash)\n');
    expect(sh(R, 'exportfs -avrs; echo "rc=$?"; exportfs -s')).toMatchObject({ stdout: 'rc=0\n', stderr: 'exportfs: No file systems exported!\n' });
    // the notes' space: bad option list, exit 1, nothing exported
    writeFileSync(join(R, 'etc/exports'), '/nfs *(rw, no_root_squash)\n');
    expect(sh(R, 'exportfs -avrs; echo "rc=$?"')).toMatchObject({ stdout: 'rc=1\n', stderr: 'exportfs: /etc/exports:1: syntax error: bad option list\nexportfs: No file systems exported!\n' });
    writeFileSync(join(R, 'etc/exports'), '/nfs *(rw,no_root_squash)\n');
    const ok = sh(R, 'systemctl enable --now nfs-server 2>/dev/null; exportfs -s; exportfs; exportfs -v');
    expect(ok.stdout).toBe(
      '/nfs *(sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,no_root_squash,no_all_squash)\n/nfs          \t<world>\n/nfs          \t<world>(sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,no_root_squash,no_all_squash)\n',
    );
    expect(sh(R, 'systemctl stop nfs-server; exportfs -s').stdout).toBe('');
    // exports.d/*.exports is read too; other names there are not
    mkdirSync(join(R, 'etc/exports.d'));
    writeFileSync(join(R, 'etc/exports'), '');
    writeFileSync(join(R, 'etc/exports.d/a.exports'), '/srv 192.168.90.0/24(ro,no_subtree_check)\n');
    writeFileSync(join(R, 'etc/exports.d/b.conf'), '/nfs *(rw)\n');
    expect(sh(R, 'systemctl start nfs-server; exportfs -s').stdout).toBe('/srv 192.168.90.0/24(sync,wdelay,hide,no_subtree_check,sec=sys,ro,secure,root_squash,no_all_squash)\n');
    expect(sh(R, 'exportfs -u 192.168.90.0/24:/srv; exportfs -s').stdout).toBe('');
  });
});

describe('kubectl config (client side, day 4)', { timeout: 120_000 }, () => {
  const ADMIN = 'apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: Q0E=\n    server: https://192.168.90.110:6443\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: kubernetes-admin\n  name: kubernetes-admin@kubernetes\ncurrent-context: kubernetes-admin@kubernetes\nkind: Config\npreferences: {}\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: Q0VSVA==\n    client-key-data: S0VZ\n';
  it('set-context --current --namespace rewrites the file as kubectl does; config view --minify -o json in struct order; an empty namespace drops it', async () => {
    const R = await freshRoot();
    mkdirSync(join(R, 'etc/kubernetes'), { recursive: true });
    writeFileSync(join(R, 'etc/kubernetes/admin.conf'), ADMIN);
    const env = { LG_K8S_UNGATED: '1', KUBECONFIG: '/etc/kubernetes/admin.conf' };
    expect(sh(R, 'kubectl config set-context --current --namespace=release-apache', { env }).stdout).toBe('Context "kubernetes-admin@kubernetes" modified.\n');
    expect(readFileSync(join(R, 'etc/kubernetes/admin.conf'), 'utf8')).toBe(ADMIN.replace('    cluster: kubernetes\n    user:', '    cluster: kubernetes\n    namespace: release-apache\n    user:'));
    const view = sh(R, 'kubectl config view --minify -o json', { env }).stdout;
    expect(view).toBe(
      '{\n    "kind": "Config",\n    "apiVersion": "v1",\n    "preferences": {},\n    "clusters": [\n        {\n            "name": "kubernetes",\n            "cluster": {\n                "server": "https://192.168.90.110:6443",\n                "certificate-authority-data": "DATA+OMITTED"\n            }\n        }\n    ],\n' +
        '    "users": [\n        {\n            "name": "kubernetes-admin",\n            "user": {\n                "client-certificate-data": "REDACTED",\n                "client-key-data": "REDACTED"\n            }\n        }\n    ],\n' +
        '    "contexts": [\n        {\n            "name": "kubernetes-admin@kubernetes",\n            "context": {\n                "cluster": "kubernetes",\n                "user": "kubernetes-admin",\n                "namespace": "release-apache"\n            }\n        }\n    ],\n    "current-context": "kubernetes-admin@kubernetes"\n}\n',
    );
    expect(sh(R, 'kubectl config get-contexts', { env }).stdout).toMatch(/^\*\s+kubernetes-admin@kubernetes\s+kubernetes\s+kubernetes-admin\s+release-apache$/m);
    sh(R, 'kubectl config set-context --current --namespace=', { env });
    expect(readFileSync(join(R, 'etc/kubernetes/admin.conf'), 'utf8')).toBe(ADMIN);
    expect(sh(R, 'kubectl config get-context', { env })).toMatchObject({ code: 1, stderr: 'error: unknown command "get-context"\nSee \'kubectl config -h\' for help and examples\n' });
    expect(sh(R, 'kubectl config view --minify', { env: { LG_K8S_UNGATED: '1', KUBECONFIG: '/nope' } })).toMatchObject({ code: 1, stderr: 'error: current-context must exist in order to minify\n' });
  });
});
