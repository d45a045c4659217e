/**
 * A fresh Rocky Linux 9.4 minimal node as the course finds it on day 1, written into the node's /etc
 * overlay upper dir (lower = this machine's /etc) and root's home.
 *
 * Where the Debian lower shows through with something a Rocky node does not have, the entry is hidden
 * with an overlayfs whiteout (a 0/0 character device of the same name in the upper dir).
 * Sources: containers-common el9 (openela-main/containers-common SOURCES/registries.conf,
 * default-policy.json), rocky-release 9.4 (os-release, rocky*.repo), setup/anaconda defaults
 * (hosts, fstab), selinux-policy (selinux/config), bash (root's dotfiles).
 * Deliberate simplification: /etc/containers/* are present on the fresh node, as if containers-common
 * were installed (on a real minimal node they arrive with `dnf install podman`).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FreshNode {
  student: string;
  name: 'node1' | 'node2' | 'node3';
  index: 1 | 2 | 3;
}

/** The host /etc that is the overlay's lower layer (DESIGN.md "Simulated class"). */
const LOWER_ETC = '/etc';

export const REGISTRIES_CONF = `# For more information on this configuration file, see containers-registries.conf(5).
#
# NOTE: RISK OF USING UNQUALIFIED IMAGE NAMES
# We recommend always using fully qualified image names including the registry
# server (full dns name), namespace, image name, and tag
# (e.g., registry.redhat.io/ubi8/ubi:latest). Pulling by digest (i.e.,
# quay.io/repository/name@digest) further eliminates the ambiguity of tags.
# When using short names, there is always an inherent risk that the image being
# pulled could be spoofed. For example, a user wants to pull an image named
# \`foobar\` from a registry and expects it to come from myregistry.com. If
# myregistry.com is not first in the search list, an attacker could place a
# different \`foobar\` image at a registry earlier in the search list. The user
# would accidentally pull and run the attacker's image and code rather than the
# intended content. We recommend only adding registries which are completely
# trusted (i.e., registries which don't allow unknown or anonymous users to
# create accounts with arbitrary names). This will prevent an image from being
# spoofed, squatted or otherwise made insecure.  If it is necessary to use one
# of these registries, it should be added at the end of the list.
#
# # An array of host[:port] registries to try when pulling an unqualified image, in order.
# unqualified-search-registries = ["example.com"]
unqualified-search-registries = ["registry.access.redhat.com", "registry.redhat.io", "docker.io"]
#
# [[registry]]
# # The "prefix" field is used to choose the relevant [[registry]] TOML table;
# # (only) the TOML table with the longest match for the input image name
# # (taking into account namespace/repo/tag/digest separators) is used.
# #
# # The prefix can also be of the form: *.example.com for wildcard subdomain
# # matching.
# #
# # If the prefix field is missing, it defaults to be the same as the "location" field.
# prefix = "example.com/foo"
#
# # If true, unencrypted HTTP as well as TLS connections with untrusted
# # certificates are allowed.
# insecure = false
#
# # If true, pulling images with matching names is forbidden.
# blocked = false
#
# # The physical location of the "prefix"-rooted namespace.
# #
# # By default, this is equal to "prefix" (in which case "prefix" can be omitted
# # and the [[registry]] TOML table can only specify "location").
# #
# # Example: Given
# #   prefix = "example.com/foo"
# #   location = "internal-registry-for-example.com/bar"
# # requests for the image example.com/foo/myimage:latest will actually work with the
# # internal-registry-for-example.com/bar/myimage:latest image.
#
# # The location can be empty if prefix is in a
# # wildcarded format: "*.example.com". In this case, the input reference will
# # be used as-is without any rewrite.
# location = internal-registry-for-example.com/bar"
#
# # (Possibly-partial) mirrors for the "prefix"-rooted namespace.
# #
# # The mirrors are attempted in the specified order; the first one that can be
# # contacted and contains the image will be used (and if none of the mirrors contains the image,
# # the primary location specified by the "registry.location" field, or using the unmodified
# # user-specified reference, is tried last).
# #
# # Each TOML table in the "mirror" array can contain the following fields, with the same semantics
# # as if specified in the [[registry]] TOML table directly:
# # - location
# # - insecure
# [[registry.mirror]]
# location = "example-mirror-0.local/mirror-for-foo"
# [[registry.mirror]]
# location = "example-mirror-1.local/mirrors/foo"
# insecure = true
# # Given the above, a pull of example.com/foo/image:latest will try:
# # 1. example-mirror-0.local/mirror-for-foo/image:latest
# # 2. example-mirror-1.local/mirrors/foo/image:latest
# # 3. internal-registry-for-example.com/bar/image:latest
# # in order, and use the first one that exists.
short-name-mode = "enforcing"
`;

// containers-common's shortnames.conf (aliases only; trimmed to a handful of its ~300 entries).
const SHORTNAMES_CONF = `[aliases]
  # almalinux
  "almalinux" = "docker.io/library/almalinux"
  # centos
  "centos" = "quay.io/centos/centos"
  # containers
  "skopeo" = "quay.io/skopeo/stable"
  "buildah" = "quay.io/buildah/stable"
  "podman" = "quay.io/podman/stable"
  # docker
  "alpine" = "docker.io/library/alpine"
  "docker" = "docker.io/library/docker"
  "registry" = "docker.io/library/registry"
  "hello-world" = "docker.io/library/hello-world"
  "swarm" = "docker.io/library/swarm"
  # Fedora
  "fedora-minimal" = "registry.fedoraproject.org/fedora-minimal"
  "fedora" = "registry.fedoraproject.org/fedora"
  # Rocky Linux
  "rockylinux" = "docker.io/library/rockylinux"
  # Debian
  "debian" = "docker.io/library/debian"
  # Ubuntu
  "ubuntu" = "docker.io/library/ubuntu"
  # UBI
  "ubi9" = "registry.access.redhat.com/ubi9"
  "ubi9/ubi" = "registry.access.redhat.com/ubi9/ubi"
  "ubi9-minimal" = "registry.access.redhat.com/ubi9-minimal"
  "ubi8" = "registry.access.redhat.com/ubi8"
  # Red Hat Universal Base Image 7
  "rhel7/rhel" = "registry.access.redhat.com/rhel7/rhel"
`;

/**
 * openela-main/containers-common SOURCES/default-policy.json (el9, sigstoreSigned form), without the
 * `rekorPublicKeyPath` lines of the newest builds: the podman 4.3 that really runs here rejects that key
 * ("invalid policy ... Unknown key") and every pull/load would fail.
 */
export const RH_POLICY_JSON = `{
    "default": [
        {
            "type": "insecureAcceptAnything"
        }
    ],
    "transports": {
        "docker": {
\t    "registry.access.redhat.com": [
\t\t{
\t\t    "type": "sigstoreSigned",
\t\t    "keyPath": "/etc/pki/sigstore/SIGSTORE-redhat-release3"
\t\t}
\t    ],
\t    "registry.redhat.io": [
\t\t{
\t\t    "type": "sigstoreSigned",
\t\t    "keyPath": "/etc/pki/sigstore/SIGSTORE-redhat-release3"
\t\t}
\t    ]
\t},
        "docker-daemon": {
\t    "": [
\t\t{
\t\t    "type": "insecureAcceptAnything"
\t\t}
\t    ]
\t}
    }
}
`;

const rockyRepo = (id: string, name: string, repo: string, path: string, enabled: boolean): string => `[${id}]
name=Rocky Linux $releasever - ${name}
mirrorlist=https://mirrors.rockylinux.org/mirrorlist?arch=$basearch&repo=${repo}-$releasever$rltype
#baseurl=http://dl.rockylinux.org/$contentdir/$releasever/${path}/$basearch/os/
gpgcheck=1
enabled=${enabled ? 1 : 0}
countme=1
metadata_expire=6h
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-Rocky-9
`;

const ROCKY_REPO = [
  rockyRepo('baseos', 'BaseOS', 'BaseOS', 'BaseOS', true),
  rockyRepo('appstream', 'AppStream', 'AppStream', 'AppStream', true),
  rockyRepo('crb', 'CRB', 'CRB', 'CRB', false),
].join('\n');
const ROCKY_EXTRAS_REPO = [rockyRepo('extras', 'Extras', 'extras', 'extras', true), rockyRepo('plus', 'Plus', 'plus', 'plus', false)].join('\n');

const OS_RELEASE = `NAME="Rocky Linux"
VERSION="9.4 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.4"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"
ANSI_COLOR="0;32"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
HOME_URL="https://rockylinux.org/"
BUG_REPORT_URL="https://bugs.rockylinux.org/"
SUPPORT_END="2032-05-31"
ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"
ROCKY_SUPPORT_PRODUCT_VERSION="9.4"
REDHAT_SUPPORT_PRODUCT="Rocky Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.4"
`;

const SELINUX_CONFIG = `
# This file controls the state of SELinux on the system.
# SELINUX= can take one of these three values:
#     enforcing - SELinux security policy is enforced.
#     permissive - SELinux prints warnings instead of enforcing.
#     disabled - No SELinux policy is loaded.
# See also:
# https://docs.fedoraproject.org/en-US/quick-docs/getting-started-with-selinux/#getting-started-with-selinux-selinux-states-and-modes
#
# NOTE: In earlier Fedora kernel builds, SELINUX=disabled would also
# fully disable SELinux during boot. If you need a system with SELinux
# fully disabled instead of SELinux running with no policy loaded, you
# need to pass selinux=0 to the kernel command line. You can use grubby
# to persistently set the bootloader to boot with selinux=0:
#
#    grubby --update-kernel ALL --args selinux=0
#
# To revert back to SELinux enabled:
#
#    grubby --update-kernel ALL --remove-args selinux
#
SELINUX=enforcing
# SELINUXTYPE= can take one of these three values:
#     targeted - Targeted processes are protected,
#     minimum - Modification of targeted policy. Only selected processes are protected.
#     mls - Multi Level Security protection.
SELINUXTYPE=targeted

`;

const fstab = (bootUuid: string): string => `
#
# /etc/fstab
# Created by anaconda on Mon Apr 29 09:12:45 2024
#
# Accessible filesystems, by reference, are maintained under '/dev/disk/'.
# See man pages fstab(5), findfs(8), mount(8) and/or blkid(8) for more info.
#
# After editing this file, run 'systemctl daemon-reload' to update systemd
# units generated from this file.
#
/dev/mapper/rl-root     /                       xfs     defaults        0 0
UUID=${bootUuid} /boot                   xfs     defaults        0 0
/dev/mapper/rl-swap     none                    swap    defaults        0 0
`;

const HOSTS = `127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4
::1         localhost localhost.localdomain localhost6 localhost6.localdomain6
`;

const SYSCTL_CONF = `# sysctl settings are defined through files in
# /usr/lib/sysctl.d/, /run/sysctl.d/, and /etc/sysctl.d/.
#
# Vendors settings live in /usr/lib/sysctl.d/.
# To override a whole file, create a new file with the same in
# /etc/sysctl.d/ and put new settings there. To override
# only specific settings, add a file with a lexically later
# name in /etc/sysctl.d/ and put new settings there.
#
# For more information, see sysctl.conf(5) and sysctl.d(5).
`;

const DNF_CONF = `[main]
gpgcheck=1
installonly_limit=3
clean_requirements_on_remove=True
best=True
skip_if_unavailable=False
`;

const BASHRC = `# .bashrc

# User specific aliases and functions

alias rm='rm -i'
alias cp='cp -i'
alias mv='mv -i'

# Source global definitions
if [ -f /etc/bashrc ]; then
\t. /etc/bashrc
fi
`;

const BASH_PROFILE = `# .bash_profile

# Get the aliases and functions
if [ -f ~/.bashrc ]; then
\t. ~/.bashrc
fi

# User specific environment and startup programs
`;

const BASH_LOGOUT = `# ~/.bash_logout
`;

const uuid = (): string => {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The eth0 profile anaconda writes (RHEL 9 installs keyfiles). eth1 gets none: NM makes "Wired connection 1". */
const eth0Keyfile = (): string => `[connection]
id=eth0
uuid=${uuid()}
type=ethernet
autoconnect-priority=-999
interface-name=eth0
timestamp=1714381965

[ethernet]

[ipv4]
method=auto

[ipv6]
addr-gen-mode=eui64
method=auto

[proxy]
`;

async function put(root: string, path: string, content: string, mode = 0o644): Promise<void> {
  const p = join(root, path);
  await mkdir(dirname(p), { recursive: true });
  await rm(p, { force: true });
  await writeFile(p, content, { mode });
  await chmod(p, mode);
}

async function link(root: string, path: string, target: string): Promise<void> {
  const p = join(root, path);
  await mkdir(dirname(p), { recursive: true });
  await rm(p, { force: true });
  await symlink(target, p);
}

/** Hides every entry of lowerDir/rel that the upper does not provide itself (overlayfs whiteouts). */
async function hideLower(etcUpper: string, rel: string, keep: string[] = []): Promise<void> {
  const names = await readdir(join(LOWER_ETC, rel)).catch(() => [] as string[]);
  for (const n of names) {
    if (keep.includes(n)) continue;
    const p = join(etcUpper, rel, n);
    const st = await lstat(p).catch(() => null);
    if (st?.isCharacterDevice()) continue;
    await mkdir(dirname(p), { recursive: true });
    await rm(p, { recursive: true, force: true });
    await run('mknod', [p, 'c', '0', '0']);
  }
}

export async function provisionFresh(etcUpper: string, rootHome: string, node: FreshNode): Promise<void> {
  const e = etcUpper;
  // containers-common (el9)
  await put(e, 'containers/registries.conf', REGISTRIES_CONF);
  await put(e, 'containers/registries.conf.d/000-shortnames.conf', SHORTNAMES_CONF);
  await hideLower(e, 'containers/registries.conf.d', ['000-shortnames.conf']);
  await put(e, 'containers/policy.json', RH_POLICY_JSON);
  // release, identity
  await put(e, 'os-release', OS_RELEASE);
  await put(e, 'redhat-release', 'Rocky Linux release 9.4 (Blue Onyx)\n');
  await put(e, 'rocky-release', 'Rocky Linux release 9.4 (Blue Onyx)\n');
  await put(e, 'system-release', 'Rocky Linux release 9.4 (Blue Onyx)\n');
  await put(e, 'hostname', `${node.name}\n`);
  await put(e, 'machine-id', `${randomBytes(16).toString('hex')}\n`, 0o444);
  await put(e, 'hosts', HOSTS);
  await put(e, 'fstab', fstab(uuid()));
  await put(e, 'selinux/config', SELINUX_CONFIG);
  // packages
  await put(e, 'yum.repos.d/rocky.repo', ROCKY_REPO);
  await put(e, 'yum.repos.d/rocky-extras.repo', ROCKY_EXTRAS_REPO);
  await hideLower(e, 'yum.repos.d', ['rocky.repo', 'rocky-extras.repo']);
  await put(e, 'dnf/dnf.conf', DNF_CONF);
  // Debian's rpm keeps its database in ~/.rpmdb; Rocky's is /var/lib/rpm
  await put(e, 'rpm/macros.dbpath', '%_dbpath /var/lib/rpm\n');
  // kernel settings: empty modules-load.d, Rocky's sysctl.conf and its 99-sysctl.conf link
  await mkdir(join(e, 'modules-load.d'), { recursive: true });
  await hideLower(e, 'modules-load.d');
  await put(e, 'sysctl.conf', SYSCTL_CONF);
  await hideLower(e, 'sysctl.d', ['99-sysctl.conf']);
  await link(e, 'sysctl.d/99-sysctl.conf', '../sysctl.conf');
  // NetworkManager: anaconda's eth0 profile; eth1's "Wired connection 1" is made in memory at NM start
  await put(e, 'NetworkManager/system-connections/eth0.nmconnection', eth0Keyfile(), 0o600);
  await hideLower(e, 'NetworkManager/system-connections', ['eth0.nmconnection']);
  // systemd: what the minimal install enables (the stand-in systemctl reads these links)
  await hideLower(e, 'systemd/system/multi-user.target.wants');
  const wants = 'systemd/system/multi-user.target.wants';
  for (const u of ['firewalld', 'sshd', 'NetworkManager']) await link(e, `${wants}/${u}.service`, `/usr/lib/systemd/system/${u}.service`);
  await link(e, 'systemd/system/dbus-org.fedoraproject.FirewallD1.service', '/usr/lib/systemd/system/firewalld.service');
  await link(e, 'systemd/system/dbus-org.freedesktop.NetworkManager.service', '/usr/lib/systemd/system/NetworkManager.service');
  // root's home (Rocky's skeleton: no pyenv, nothing slow)
  await put(rootHome, '.bashrc', BASHRC);
  await put(rootHome, '.bash_profile', BASH_PROFILE);
  await put(rootHome, '.bash_logout', BASH_LOGOUT);
  await chmod(rootHome, 0o550);
}
