/**
 * The packages a simulated node can install, and the metadata-only rpms behind them.
 *
 * Each package is a real noarch rpm built with `rpmbuild -bb` (no payload, except epel-release which
 * carries its .repo files, because `dnf install epel-release` is how EPEL appears). Installing one with
 * the real `rpm -i` makes `rpm -q cri-o` print `cri-o-1.24.6-1.1.el8.noarch` on the node.
 * Known difference: the real packages are x86_64 (noarch only for epel-release, podman-compose,
 * containers-common...), ours are all noarch, so %{ARCH} and the NVRA suffix say noarch.
 *
 * Versions: Rocky 9.4 BaseOS/AppStream/Extras, EPEL 9, the openSUSE kubic cri-o 1.24.6 CentOS_8 repo,
 * pkgs.k8s.io core:/stable:/v1.24 (its "-150500.x.y" release naming).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Which repository family serves a package; the dnf stand-in maps .repo baseurls to these. */
export type PackageSource = 'baseos' | 'appstream' | 'extras' | 'epel' | 'libcontainers' | 'crio-1.24' | 'kubernetes';

export interface PackageSpec {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  source: PackageSource;
  summary: string;
  /** names (optionally with a version constraint) of other catalog packages */
  requires: string[];
  /** download / installed sizes, for dnf's transaction table */
  sizeKiB: number;
  installedKiB: number;
  /** files the rpm really installs (path -> content); only where the course depends on them */
  files?: Record<string, string>;
  /** installed on a fresh node (the Rocky 9 minimal install) */
  fresh?: boolean;
}

// EPEL's repo files as epel-release-9-7 ships them (Fedora dist-git epel-release, branch epel9).
const EPEL_REPO = `[epel]
name=Extra Packages for Enterprise Linux $releasever - $basearch
# It is much more secure to use the metalink, but if you wish to use a local mirror
# place its address here.
#baseurl=https://download.example/pub/epel/$releasever/Everything/$basearch/
metalink=https://mirrors.fedoraproject.org/metalink?repo=epel-$releasever&arch=$basearch&infra=$infra&content=$contentdir
enabled=1
gpgcheck=1
countme=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-EPEL-$releasever

[epel-debuginfo]
name=Extra Packages for Enterprise Linux $releasever - $basearch - Debug
# It is much more secure to use the metalink, but if you wish to use a local mirror
# place its address here.
#baseurl=https://download.example/pub/epel/$releasever/Everything/$basearch/debug/
metalink=https://mirrors.fedoraproject.org/metalink?repo=epel-debug-$releasever&arch=$basearch&infra=$infra&content=$contentdir
enabled=0
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-EPEL-$releasever
gpgcheck=1

[epel-source]
name=Extra Packages for Enterprise Linux $releasever - $basearch - Source
# It is much more secure to use the metalink, but if you wish to use a local mirror
# place its address here.
#baseurl=https://download.example/pub/epel/$releasever/Everything/source/tree/
metalink=https://mirrors.fedoraproject.org/metalink?repo=epel-source-$releasever&arch=$basearch&infra=$infra&content=$contentdir
enabled=0
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-EPEL-$releasever
gpgcheck=1
`;
const EPEL_TESTING_REPO = `[epel-testing]
name=Extra Packages for Enterprise Linux $releasever - Testing - $basearch
# It is much more secure to use the metalink, but if you wish to use a local mirror
# place its address here.
#baseurl=https://download.example/pub/epel/testing/$releasever/Everything/$basearch/
metalink=https://mirrors.fedoraproject.org/metalink?repo=testing-epel$releasever&arch=$basearch&infra=$infra&content=$contentdir
enabled=0
gpgcheck=1
countme=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-EPEL-$releasever
`;

export const PACKAGES: PackageSpec[] = [
  // --- the minimal install (kept small: what the course's checks and commands touch)
  { name: 'rocky-release', version: '9.4', release: '1.7.el9', source: 'baseos', summary: 'Rocky Linux release files', requires: [], sizeKiB: 22, installedKiB: 61, fresh: true },
  { name: 'bash', version: '5.1.8', release: '9.el9', source: 'baseos', summary: 'The GNU Bourne Again shell', requires: [], sizeKiB: 1700, installedKiB: 7500, fresh: true },
  { name: 'rpm', version: '4.16.1.3', release: '29.el9', source: 'baseos', summary: 'The RPM package management system', requires: [], sizeKiB: 530, installedKiB: 2600, fresh: true },
  { name: 'dnf', version: '4.14.0', release: '9.el9', source: 'baseos', summary: 'Package manager', requires: [], sizeKiB: 470, installedKiB: 2300, fresh: true },
  { name: 'systemd', version: '252', release: '32.el9_4', source: 'baseos', summary: 'System and Service Manager', requires: [], sizeKiB: 4200, installedKiB: 13000, fresh: true },
  { name: 'NetworkManager', epoch: 1, version: '1.46.0', release: '8.el9_4', source: 'baseos', summary: 'Network connection manager and user applications', requires: [], sizeKiB: 2300, installedKiB: 6300, fresh: true },
  { name: 'openssh-server', version: '8.7p1', release: '38.el9', source: 'baseos', summary: 'An open source SSH server daemon', requires: [], sizeKiB: 457, installedKiB: 1400, fresh: true },
  { name: 'firewalld', version: '1.3.4', release: '1.el9', source: 'baseos', summary: 'A firewall daemon with D-Bus interface providing a dynamic firewall', requires: [], sizeKiB: 470, installedKiB: 2000, fresh: true },
  { name: 'selinux-policy-targeted', version: '38.1.35', release: '2.el9_4', source: 'baseos', summary: 'SELinux targeted policy', requires: [], sizeKiB: 6800, installedKiB: 18000, fresh: true },
  // --- day 1
  { name: 'epel-release', version: '9', release: '7.el9', source: 'extras', summary: 'Extra Packages for Enterprise Linux repository configuration', requires: [], sizeKiB: 19, installedKiB: 26,
    files: { '/etc/yum.repos.d/epel.repo': EPEL_REPO, '/etc/yum.repos.d/epel-testing.repo': EPEL_TESTING_REPO } },
  { name: 'containers-common', epoch: 2, version: '1', release: '91.el9_4', source: 'appstream', summary: 'Common configuration and documentation for containers', requires: [], sizeKiB: 149, installedKiB: 410 },
  { name: 'conmon', epoch: 3, version: '2.1.10', release: '1.el9', source: 'appstream', summary: 'OCI container runtime monitor', requires: [], sizeKiB: 50, installedKiB: 150 },
  { name: 'podman', epoch: 4, version: '4.9.4', release: '10.el9_4', source: 'appstream', summary: 'Manage Pods, Containers and Container Images', requires: ['containers-common', 'conmon'], sizeKiB: 15800, installedKiB: 53000 },
  { name: 'podman-docker', epoch: 4, version: '4.9.4', release: '10.el9_4', source: 'appstream', summary: 'Emulate Docker CLI using podman', requires: ['podman'], sizeKiB: 100, installedKiB: 100 },
  { name: 'podman-compose', version: '1.0.6', release: '3.el9', source: 'epel', summary: 'Run docker-compose.yml using podman', requires: ['podman'], sizeKiB: 46, installedKiB: 130 },
  // --- day 2
  { name: 'cri-o', version: '1.24.6', release: '1.1.el8', source: 'crio-1.24', summary: 'Kubernetes Container Runtime Interface for OCI-based containers', requires: ['conmon', 'containers-common'], sizeKiB: 22000, installedKiB: 86000 },
  { name: 'cri-tools', version: '1.24.2', release: '0', source: 'kubernetes', summary: 'Command-line utility for interacting with a container runtime', requires: [], sizeKiB: 6200, installedKiB: 20000 },
  { name: 'kubernetes-cni', version: '1.2.0', release: '150500.2.1', source: 'kubernetes', summary: 'Binaries required to provision kubernetes container networking', requires: [], sizeKiB: 6400, installedKiB: 50000 },
  { name: 'kubelet', version: '1.24.17', release: '150500.1.1', source: 'kubernetes', summary: 'Node agent for Kubernetes clusters', requires: ['kubernetes-cni'], sizeKiB: 21000, installedKiB: 112000 },
  { name: 'kubectl', version: '1.24.17', release: '150500.1.1', source: 'kubernetes', summary: 'Command-line utility for interacting with a Kubernetes cluster', requires: [], sizeKiB: 10000, installedKiB: 46000 },
  { name: 'kubeadm', version: '1.24.17', release: '150500.1.1', source: 'kubernetes', summary: 'Command-line utility for administering a Kubernetes cluster', requires: ['kubelet', 'kubectl', 'cri-tools'], sizeKiB: 9600, installedKiB: 44000 },
  // day 5: the NFS server (Rocky 9.4 BaseOS nfs-utils-1:2.5.4-25.el9); its nfs-server unit is the systemctl stand-in's, exportfs a stand-in
  { name: 'nfs-utils', epoch: 1, version: '2.5.4', release: '25.el9', source: 'baseos', summary: 'NFS utilities and supporting clients and daemons for the kernel NFS server', requires: [], sizeKiB: 430, installedKiB: 1500 },
];

export const rpmFileName = (p: PackageSpec): string => `${p.name}-${p.version}-${p.release}.noarch.rpm`;

function specFile(p: PackageSpec): string {
  const files = Object.keys(p.files ?? {});
  const install = files
    .map((f, i) => `mkdir -p %{buildroot}${f.slice(0, f.lastIndexOf('/'))}\ncp %{_sourcedir}/f${i} %{buildroot}${f}`)
    .join('\n');
  return [
    `Name: ${p.name}`,
    ...(p.epoch ? [`Epoch: ${p.epoch}`] : []),
    `Version: ${p.version}`,
    `Release: ${p.release}`,
    `Summary: ${p.summary}`,
    'License: MIT',
    'BuildArch: noarch',
    // no automatic provides/requires scanning: the payload is at most a few text files
    'AutoReqProv: no',
    ...p.requires.map((r) => `Requires: ${r}`),
    '',
    '%description',
    `${p.summary} (labgrade simulated node: metadata only).`,
    '',
    '%install',
    install,
    '',
    '%files',
    ...files.map((f) => `%config(noreplace) ${f}`),
    '',
  ].join('\n');
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

async function buildOne(p: PackageSpec, outDir: string): Promise<void> {
  const top = await mkdtemp(join(tmpdir(), 'lg-rpmbuild-'));
  try {
    const src = join(top, 'SOURCES');
    await mkdir(src, { recursive: true });
    const files = Object.values(p.files ?? {});
    await Promise.all(files.map((content, i) => writeFile(join(src, `f${i}`), content)));
    const spec = join(top, `${p.name}.spec`);
    await writeFile(spec, specFile(p));
    await run('rpmbuild', [
      '-bb', '--quiet',
      '--define', `_topdir ${top}`,
      '--define', `_rpmdir ${outDir}`,
      '--define', '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm',
      // Debian's rpmbuild would otherwise try to compress/strip with host tools and add a dist tag
      '--define', 'dist %{nil}',
      '--define', '__os_install_post %{nil}',
      spec,
    ]);
  } finally {
    await rm(top, { recursive: true, force: true });
  }
}

/** What the dnf stand-in reads: `<repo>/catalog.json`. */
function catalog(): unknown {
  return {
    packages: PACKAGES.map((p) => ({
      name: p.name, epoch: p.epoch ?? 0, version: p.version, release: p.release, arch: 'noarch', source: p.source,
      summary: p.summary, requires: p.requires, sizeKiB: p.sizeKiB, installedKiB: p.installedKiB, file: rpmFileName(p),
    })),
  };
}

/**
 * Builds every package into outDir (a few rpmbuilds at a time) and writes catalog.json.
 * Cached: returns at once when catalog.json matches and every rpm is present.
 */
export async function buildRpmRepo(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const want = JSON.stringify(catalog(), null, 1);
  const catPath = join(outDir, 'catalog.json');
  const have = await readFile(catPath, 'utf8').catch(() => '');
  const missing: PackageSpec[] = [];
  for (const p of PACKAGES) if (have !== want || !(await exists(join(outDir, rpmFileName(p))))) missing.push(p);
  if (!missing.length) return;
  const queue = [...missing];
  const worker = async (): Promise<void> => {
    for (let p = queue.shift(); p; p = queue.shift()) await buildOne(p, outDir);
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await writeFile(catPath, want);
}

/**
 * A fresh node's rpm database (the node's /var/lib/rpm, given as a host directory): initialised,
 * with the minimal-install packages recorded (`--justdb`: they carry no files anyway).
 */
export async function initRpmDb(dbDir: string, repoDir: string): Promise<void> {
  await mkdir(dbDir, { recursive: true });
  await run('rpm', ['--dbpath', dbDir, '--initdb']);
  const fresh = PACKAGES.filter((p) => p.fresh).map((p) => join(repoDir, rpmFileName(p)));
  const { stdout } = await run('rpm', ['--dbpath', dbDir, '-qa', '--qf', '%{NAME}\n']);
  const have = new Set(stdout.split('\n'));
  const todo = fresh.filter((_, i) => !have.has(PACKAGES.filter((p) => p.fresh)[i]?.name ?? ''));
  if (todo.length) await run('rpm', ['--dbpath', dbDir, '-i', '--justdb', '--nodeps', ...todo]);
}
