#!/usr/bin/env node
// Installs the system packages `labgrade lab` needs (kept in step with src/lab/deps.ts). Run through
// scripts/install-system-deps (a bash bootstrap that first makes sure the npm packages, zx among them, are there).
// Idempotent and fast when everything is present: it checks first and only then calls the package manager.
// Usage: scripts/install-system-deps [--quiet] [--tests]
//   --tests  also what the test suite uses: chromium (report rendering), sudo (non-root SSH tests),
//            python3 (a strict XML parser for the JUnit checks), xmllint (the hostile-node suite)
import { $, fs, minimist } from 'zx';

$.verbose = false;
const argv = minimist(process.argv.slice(2), { boolean: ['quiet', 'tests'] });
const unknown = Object.keys(argv).filter((k) => !['_', 'quiet', 'tests'].includes(k)).concat(argv._);
if (unknown.length) {
  console.error(`install-system-deps: unknown option ${unknown.join(' ')}`);
  process.exit(2);
}
const say = (s) => argv.quiet || console.log(s);

const debPkgs = ['podman', 'runc', 'conmon', 'catatonit', 'openssh-server', 'openssh-client', 'rpm', 'busybox-static', 'iproute2', 'curl', 'util-linux'];
const rpmPkgs = ['podman', 'runc', 'conmon', 'catatonit', 'openssh-server', 'openssh-clients', 'rpm', 'rpm-build', 'busybox', 'iproute', 'curl', 'util-linux'];
if (argv.tests) {
  debPkgs.push('chromium', 'sudo', 'python3', 'libxml2-utils');
  rpmPkgs.push('chromium', 'sudo', 'python3', 'libxml2');
  // openssl: a self-signed certificate for the `labgrade serve --tls-cert` test;
  // a Korean font, so the live pages' screenshots show Hangul (summary.html's font list names NanumGothic)
  debPkgs.push('openssl', 'fonts-nanum');
  rpmPkgs.push('openssl', 'google-noto-sans-cjk-ttc-fonts');
}

// /etc/os-release: shell-style KEY=value lines (os-release(5))
const osr = Object.fromEntries(
  (await fs.readFile('/etc/os-release', 'utf8').catch(() => ''))
    .split('\n')
    .map((l) => /^([A-Z_]+)=("?)(.*)\2$/.exec(l.trim()))
    .filter(Boolean)
    .map((m) => [m[1], m[3]]),
);
const ids = ` ${osr.ID ?? ''} ${osr.ID_LIKE ?? ''} `;
const family = /\s(debian|ubuntu)\s/.test(ids) ? 'deb' : /\s(fedora|rhel|centos|rocky)\s/.test(ids) ? 'rpm' : '';
if (!family) {
  console.error(`install-system-deps: unsupported system '${osr.ID ?? 'unknown'}'; install by hand: ${debPkgs.join(' ')} (Debian names)`);
  process.exit(1);
}

const pkgs = family === 'deb' ? debPkgs : rpmPkgs;
const installed = async (p) => (await (family === 'deb' ? $`dpkg -s ${p}` : $`rpm -q ${p}`).nothrow()).exitCode === 0;
const missing = [];
for (const p of pkgs) if (!(await installed(p))) missing.push(p);
if (!missing.length) {
  say('install-system-deps: all present');
  process.exit(0);
}

const sudo = process.getuid() === 0 ? [] : ['sudo'];
if (sudo.length && !(await which('sudo'))) {
  console.error(`install-system-deps: need root (or sudo) to install: ${missing.join(' ')}`);
  process.exit(1);
}
// Always say what is being installed, even with --quiet: it changes the machine.
console.error(`install-system-deps: installing ${missing.join(' ')}`);
$.verbose = true;
if (family === 'deb') {
  await $`${sudo} env DEBIAN_FRONTEND=noninteractive apt-get update -qq`;
  await $`${sudo} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing}`;
} else {
  await $`${sudo} dnf install -y -q ${missing}`;
}

async function which(cmd) {
  return (await $`command -v ${cmd}`.nothrow()).exitCode === 0;
}
