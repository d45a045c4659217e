// The read-only layers every node shares, built once per lab dir into <lab>/shared/.
import fs from 'node:fs/promises';
import path from 'node:path';
import { buildRpmRepo, initRpmDb } from './packages.ts';
import { NODE_PATH, REPO_ROOT } from './paths.ts';
import { run } from './sys.ts';

/** Bump when anything below changes, so an old shared/ is rebuilt instead of reused. */
const SHARED_VERSION = '2';

export const IMAGE_NAME = 'quay.io/centos7/httpd-24-centos7';

export interface SharedPaths {
  dir: string;
  etcLower: string;
  containersConf: string;
  images: string;
  httpdArchive: string;
  repo: string;
  rpmdbTemplate: string;
  nodeInit: string;
  nodeLogin: string;
}

export function sharedPaths(sharedDir: string): SharedPaths {
  return {
    dir: sharedDir,
    etcLower: path.join(sharedDir, 'etc-lower'),
    containersConf: path.join(sharedDir, 'containers.conf'),
    images: path.join(sharedDir, 'images'),
    httpdArchive: path.join(sharedDir, 'images', 'httpd-24-centos7.tar'),
    repo: path.join(sharedDir, 'repo'),
    rpmdbTemplate: path.join(sharedDir, 'rpmdb-fresh'),
    nodeInit: path.join(sharedDir, 'node-init.sh'),
    nodeLogin: path.join(sharedDir, 'node-login.sh'),
  };
}

// Measured here (running-real-nodes-here.md): crun cannot run on this cgroup-v1 hybrid host, default
// ulimits are refused, there is no systemd (cgroupfs) and no journald (file events).
const CONTAINERS_CONF = `# written by labgrade lab: podman settings every simulated node uses (CONTAINERS_CONF)
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1000:1000"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
`;

// The lower layer is a copy of the host's /etc taken once, so nodes do not change when the host does.
// It must otherwise equal the host's /etc: provisionFresh() hides host entries a Rocky node lacks with
// whiteouts computed from the host's /etc (a whiteout in a directory the lower lacks would show as a
// device). Only the host's private host keys are left out.
const ETC_STRIP = ['ssh/ssh_host_ecdsa_key', 'ssh/ssh_host_ed25519_key', 'ssh/ssh_host_rsa_key'];

/**
 * Runs as PID 1 of a node's pid namespace (unshare --mount --uts --pid --fork --mount-proc), so the node's
 * `ps` sees only its own processes and everything it started dies with it. Args: node dir, netns, hostname,
 * shared dir, stand-ins dir, package root.
 */
const NODE_INIT = `#!/bin/bash
NODE_PATH=${NODE_PATH}
# labgrade lab node init: give this mount/uts/pid namespace the node's own files, then run its sshd.
set -euo pipefail
N=$1 NETNS=$2 HOST=$3 SHARED=$4 STANDINS=$5 PKG=$6
mount --make-rprivate /
hostname "$HOST"
# The stand-ins first: they live in the clone, which may be under /tmp or /root, replaced just below.
mount --bind "$STANDINS" /usr/local/sbin
mount -o remount,bind,ro /usr/local/sbin
# labgrade itself, read-only at /opt/labgrade, as a student would have it installed on the node for
# \`labgrade check --local\` (/opt is a fresh Rocky VM's empty dir: a tmpfs here, so the host's stays as it is).
mount -t tmpfs -o mode=755 tmpfs /opt
mkdir /opt/labgrade
mount --bind "$PKG" /opt/labgrade
mount -o remount,bind,ro /opt/labgrade
# Keep a handle on the node's netns before /run is replaced (ForceCommand enters it).
touch "$N/netns"
mount --bind "/run/netns/$NETNS" "$N/netns"
mount -t overlay overlay -o "lowerdir=$SHARED/etc-lower,upperdir=$N/etc-upper,workdir=$N/etc-work" /etc
mount --bind "$N/root" /root
mkdir -p /var/lib/rpm /var/lib/containers
mount --bind "$N/rpm" /var/lib/rpm
mount --bind "$N/containers" /var/lib/containers
# CNI's host-local IPAM keeps its leases in /var/lib/cni/networks/<net>: shared, the class's nodes would
# fill one 254-address pool between them, and a node taken down would never give its leases back.
mkdir -p /var/lib/cni
mount --bind "$N/cni" /var/lib/cni
mount --bind "$N/var-tmp" /var/tmp
# kubeadm's and the kubelet's state (the cluster stand-in keeps etcd's in /var/lib/etcd): the node's own
mkdir -p "$N/k8s/etcd" "$N/k8s/kubelet" /var/lib/etcd /var/lib/kubelet
mount --bind "$N/k8s/etcd" /var/lib/etcd
mount --bind "$N/k8s/kubelet" /var/lib/kubelet
# day 5's NFS export directory (the course: mkdir -p /nfs on control1): the node's own, not the host's
mkdir -p "$N/nfs" /nfs
mount --bind "$N/nfs" /nfs
mount --bind "$N/tmp" /tmp
# A fresh /run like a booted VM: the host's netns files, sockets and podman state are not this node's.
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run
mkdir -p /run/sshd /run/containers /run/libpod /run/NetworkManager /run/labgrade /run/netns /run/lock /run/user
mount --bind "$N/run-labgrade" /run/labgrade
# podman's lock table lives in /dev/shm; shared, two nodes' lock numbers collide.
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
# So a stand-in modprobe can make /sys/module/<name> without touching the host.
mount -t tmpfs -o mode=755 tmpfs /sys/module
mount --bind "$N/proc-swaps" /proc/swaps
# Kernel-wide sysctls stay the host's and read-only; net.* is per netns, so it stays writable.
mount --bind /proc/sys /proc/sys
mount -o remount,bind,ro /proc/sys
mount --bind /proc/sys/net /proc/sys/net
mount -o remount,bind,rw /proc/sys/net
# The host's /usr/local/bin (docker, terraform ...) is not on a fresh Rocky node.
mount -t tmpfs -o ro,mode=755 tmpfs /usr/local/bin
echo "LG_LAB_SHARED=$SHARED" > /run/labgrade/config
# sshd and the sessions get their own mount and UTS namespaces below this PID 1, so that a stand-in
# comparing its namespaces with /proc/1's (lg_in_host_ns) knows it runs inside a node, not on the host.
# The node "boots" first (lg-boot: runtime state from its files, as systemd would), in the node's netns.
unshare --mount --uts -- /bin/bash -c '
  if [ -x "$2/lg-boot" ]; then
    /usr/bin/nsenter "--net=$1/netns" -- /usr/bin/env PATH=$3 LG_LAB_SHARED=$4 "$2/lg-boot" >>"$1/boot.log" 2>&1 || true
  fi
  exec /usr/sbin/sshd -D -f "$1/sshd_config" -E "$1/sshd.log"' node-sshd "$N" /usr/local/sbin "${NODE_PATH}" "$SHARED" &
echo "$!" > "$N/sshd.nspid"
# As PID 1 this shell reaps orphans (conmon, podman cleanup) so none are left as zombies.
trap 'exit 0' TERM
while :; do
  sleep 3600 &
  wait $! || true
done
`;

/** ForceCommand: every SSH session enters the node's netns with the node's PATH and podman settings. */
function nodeLogin(sharedDir: string): string {
  return `#!/bin/bash
# labgrade lab ForceCommand. Arg: node dir. Runs the client's command (or a login shell) inside the node.
N=$1
set -- /usr/bin/nsenter "--net=$N/netns" -- /usr/bin/env PATH=${NODE_PATH} CONTAINERS_CONF=${sharedDir}/containers.conf \\
  LG_LAB_SHARED=${sharedDir}
if [ -z "\${SSH_ORIGINAL_COMMAND+set}" ]; then
  exec "$@" /bin/bash -l
fi
exec "$@" /bin/bash -c "$SSH_ORIGINAL_COMMAND"
`;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/** The offline stand-in for quay.io/centos7/httpd-24-centos7 (sclorg httpd-container 2.4), as a docker archive. */
async function buildHttpdImage(sp: SharedPaths, busybox: string, log: (l: string) => void): Promise<void> {
  const work = path.join(sp.dir, 'build-image');
  await fs.rm(work, { recursive: true, force: true });
  const root = path.join(work, 'rootfs');
  for (const d of ['bin', 'usr/bin', 'var/www/html/cgi-bin', 'etc', 'tmp', 'opt/app-root/src'])
    await fs.mkdir(path.join(root, d), { recursive: true });
  await fs.copyFile(busybox, path.join(root, 'bin/busybox'));
  await fs.chmod(path.join(root, 'bin/busybox'), 0o755);
  for (const a of ['sh', 'httpd', 'cat', 'echo', 'ls', 'sleep', 'env', 'id', 'ps'])
    await fs.symlink('busybox', path.join(root, 'bin', a));
  await fs.chmod(path.join(root, 'tmp'), 0o1777);
  await fs.writeFile(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\ndefault:x:1001:0:Default Application User:/opt/app-root/src:/sbin/nologin\n');
  await fs.writeFile(path.join(root, 'etc/group'), 'root:x:0:\n');
  // Real image: ENTRYPOINT container-entrypoint (`exec "$@"`), CMD /usr/bin/run-httpd. Arguments after the
  // image name (the course's `--port 8080`) replace CMD, so that container exits at once, as on a VM.
  await fs.writeFile(path.join(root, 'usr/bin/container-entrypoint'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
  await fs.writeFile(
    path.join(root, 'usr/bin/run-httpd'),
    '#!/bin/sh\n# stand-in for sclorg run-httpd: busybox httpd on 8080, DocumentRoot /var/www/html\nexec /bin/httpd -f -p 8080 -h /var/www/html\n',
    { mode: 0o755 },
  );
  // The real image answers 403 with its test page on / while DocumentRoot has no index.html (welcome.conf);
  // busybox httpd falls back to /cgi-bin/index.cgi when index.html is missing, a file dropped in answers 200.
  await fs.writeFile(
    path.join(root, 'var/www/html/cgi-bin/index.cgi'),
    `#!/bin/sh
printf 'Status: 403 Forbidden\\r\\nContent-Type: text/html; charset=UTF-8\\r\\n\\r\\n'
cat <<'HTML'
<!doctype html>
<html>
<head><title>Test Page for the HTTP Server on Red Hat Enterprise Linux</title></head>
<body><h1>Red Hat Enterprise Linux <strong>Test Page</strong></h1>
<p>This page is used to test the proper operation of the HTTP server after it has been installed.</p></body>
</html>
HTML
`,
    { mode: 0o755 },
  );
  const tarFile = path.join(work, 'rootfs.tar');
  await run('tar', ['-C', root, '--owner=0', '--group=0', '-cf', tarFile, '.']);
  // Throwaway vfs storage: nothing mounted, nothing left behind in the host's own podman storage.
  const p = [
    '--root', path.join(work, 'storage'), '--runroot', path.join(work, 'run'), '--tmpdir', path.join(work, 'tmp'),
    '--storage-driver', 'vfs',
  ];
  const env = { ...process.env, CONTAINERS_CONF: sp.containersConf };
  await run('podman', [...p, 'import',
    '--change', 'ENTRYPOINT ["container-entrypoint"]',
    '--change', 'CMD ["/usr/bin/run-httpd"]',
    '--change', 'EXPOSE 8080', '--change', 'EXPOSE 8443',
    '--change', 'USER 1001',
    '--change', 'WORKDIR /opt/app-root/src',
    '--change', 'ENV PATH=/opt/app-root/src/bin:/opt/app-root/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '--change', 'LABEL name=centos7/httpd-24-centos7 io.k8s.display-name="Apache httpd 2.4" io.openshift.expose-services=8080:http,8443:https',
    tarFile, IMAGE_NAME], { env });
  await fs.mkdir(sp.images, { recursive: true });
  await fs.rm(sp.httpdArchive, { force: true });
  // `podman load` needs a file, not a pipe: keep the archive as a file the nodes read.
  await run('podman', [...p, 'save', '-q', '--format', 'docker-archive', '-o', sp.httpdArchive, IMAGE_NAME], { env });
  await run('podman', [...p, 'rmi', '-a', '-f'], { env, allowFail: true });
  await fs.rm(work, { recursive: true, force: true });
  log(`shared: image ${IMAGE_NAME} -> ${sp.httpdArchive}`);
}

/** Builds <lab>/shared once (or again when SHARED_VERSION changed or a piece is missing). */
export async function buildShared(sharedDir: string, busybox: string, log: (l: string) => void): Promise<SharedPaths> {
  const sp = sharedPaths(sharedDir);
  const stamp = path.join(sharedDir, '.built');
  const ok =
    (await fs.readFile(stamp, 'utf8').catch(() => '')) === SHARED_VERSION &&
    (await Promise.all([sp.etcLower, sp.httpdArchive, sp.repo, sp.rpmdbTemplate, sp.nodeInit].map(exists))).every(Boolean);
  // Scripts are cheap and must match this code even when the rest is reused.
  await fs.mkdir(sharedDir, { recursive: true });
  await fs.writeFile(sp.containersConf, CONTAINERS_CONF);
  await fs.writeFile(sp.nodeInit, NODE_INIT, { mode: 0o755 });
  await fs.writeFile(sp.nodeLogin, nodeLogin(sharedDir), { mode: 0o755 });
  // The Kubernetes stand-ins read YAML as kubectl does; a node cannot reach the clone's node_modules
  // (a clone under /tmp or /root is hidden by the node's own), so the library is copied beside the repo.
  const yamlDir = path.join(sharedDir, 'node_modules', 'yaml');
  await fs.rm(yamlDir, { recursive: true, force: true });
  await fs.mkdir(path.dirname(yamlDir), { recursive: true });
  await fs.cp(path.join(REPO_ROOT, 'node_modules', 'yaml'), yamlDir, { recursive: true });
  if (ok) return sp;
  await fs.rm(stamp, { force: true });

  await fs.rm(sp.etcLower, { recursive: true, force: true });
  await run('cp', ['-a', '/etc', sp.etcLower]);
  for (const e of ETC_STRIP) await fs.rm(path.join(sp.etcLower, e), { recursive: true, force: true });
  log('shared: /etc lower layer');

  await buildHttpdImage(sp, busybox, log);

  await fs.rm(sp.repo, { recursive: true, force: true });
  await fs.mkdir(sp.repo, { recursive: true });
  await buildRpmRepo(sp.repo);
  await fs.rm(sp.rpmdbTemplate, { recursive: true, force: true });
  await fs.mkdir(sp.rpmdbTemplate, { recursive: true });
  await initRpmDb(sp.rpmdbTemplate, sp.repo);
  log('shared: rpm repo and fresh rpm database');

  await fs.writeFile(stamp, SHARED_VERSION);
  return sp;
}
