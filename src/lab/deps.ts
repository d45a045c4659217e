// What the simulated class needs from the host, and a clear error when it is not there.
import fs from 'node:fs/promises';
import os from 'node:os';
import { run } from './sys.ts';

interface Need {
  /** absolute paths tried in order; the first that exists counts */
  paths: string[];
  what: string;
  deb: string;
  rpm: string;
}

// Kept in step with scripts/install-system-deps.
const NEEDS: Need[] = [
  { what: 'podman', paths: ['/usr/bin/podman'], deb: 'podman', rpm: 'podman' },
  // crun fails on this cgroup-v1 hybrid host; the lab's containers.conf selects runc.
  { what: 'runc', paths: ['/usr/sbin/runc', '/usr/bin/runc'], deb: 'runc', rpm: 'runc' },
  { what: 'conmon', paths: ['/usr/bin/conmon', '/usr/libexec/podman/conmon'], deb: 'conmon', rpm: 'conmon' },
  { what: 'catatonit (pod infra containers)', paths: ['/usr/libexec/podman/catatonit', '/usr/bin/catatonit'], deb: 'catatonit', rpm: 'catatonit' },
  { what: 'sshd', paths: ['/usr/sbin/sshd'], deb: 'openssh-server', rpm: 'openssh-server' },
  { what: 'ssh-keygen', paths: ['/usr/bin/ssh-keygen'], deb: 'openssh-client', rpm: 'openssh-clients' },
  { what: 'rpm', paths: ['/usr/bin/rpm'], deb: 'rpm', rpm: 'rpm' },
  { what: 'rpmbuild', paths: ['/usr/bin/rpmbuild'], deb: 'rpm', rpm: 'rpm-build' },
  { what: 'busybox (static)', paths: ['/bin/busybox', '/usr/bin/busybox', '/usr/sbin/busybox'], deb: 'busybox-static', rpm: 'busybox' },
  { what: 'ip', paths: ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip'], deb: 'iproute2', rpm: 'iproute' },
  { what: 'curl', paths: ['/usr/bin/curl'], deb: 'curl', rpm: 'curl' },
  { what: 'nsenter', paths: ['/usr/bin/nsenter'], deb: 'util-linux', rpm: 'util-linux' },
  { what: 'unshare', paths: ['/usr/bin/unshare'], deb: 'util-linux', rpm: 'util-linux' },
];

export class LabDependencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabDependencyError';
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

async function hostFamily(): Promise<'deb' | 'rpm'> {
  const osr = await fs.readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^ID(_LIKE)?=.*(fedora|rhel|centos|rocky)/m.test(osr) ? 'rpm' : 'deb';
}

export function installCommand(family: 'deb' | 'rpm', pkgs: string[]): string {
  const list = [...new Set(pkgs)].join(' ');
  return family === 'deb' ? `apt-get update && apt-get install -y ${list}` : `dnf install -y ${list}`;
}

/** Resolved tool paths, for callers that must not rely on PATH. */
export interface HostTools {
  busybox: string;
}

/**
 * Throws LabDependencyError naming every missing piece and the command that installs it.
 * `platform`/`uid` are parameters so the message itself can be tested without another machine.
 */
export async function checkHost(
  probe: { platform?: string; uid?: number; paths?: Need[] } = {},
): Promise<HostTools> {
  const platform = probe.platform ?? os.platform();
  if (platform !== 'linux')
    throw new LabDependencyError(
      `labgrade lab needs Linux (namespaces, sshd, podman); this is ${platform}. Run it in a Linux VM or container as root.`,
    );
  const uid = probe.uid ?? process.getuid?.() ?? -1;
  if (uid !== 0)
    throw new LabDependencyError(
      'labgrade lab needs root (it creates network namespaces, mounts and sshd on 127.77.x.y). Run it with sudo.',
    );
  const needs = probe.paths ?? NEEDS;
  const missing: Need[] = [];
  let busybox = '';
  for (const n of needs) {
    let found = '';
    for (const p of n.paths)
      if (await exists(p)) {
        found = p;
        break;
      }
    if (!found) missing.push(n);
    else if (n.deb === 'busybox-static') busybox = found;
  }
  // The image rootfs has no libc: a dynamically linked busybox would not start in it.
  if (busybox) {
    const ldd = await run('ldd', [busybox], { allowFail: true }).catch(() => null);
    if (ldd && ldd.code === 0 && !/not a dynamic|statically linked/.test(ldd.stdout + ldd.stderr))
      missing.push(NEEDS.find((n) => n.deb === 'busybox-static') as Need);
  }
  if (missing.length) {
    const fam = await hostFamily();
    const pkgs = missing.map((n) => (fam === 'deb' ? n.deb : n.rpm));
    throw new LabDependencyError(
      `labgrade lab: missing system packages: ${missing.map((n) => `${n.what} (package ${fam === 'deb' ? n.deb : n.rpm})`).join(', ')}.\n` +
        `Install them with: sudo scripts/install-system-deps\n` +
        `or directly: ${installCommand(fam, pkgs)}`,
    );
  }
  return { busybox };
}

export type { Need as HostNeed };
