#!/usr/bin/env node
// Installs what `npm run bench` compares labgrade with (Debian/Ubuntu only):
//   time (GNU time, for CPU and max RSS), python3-testinfra + python3-pytest-xdist, ansible-core, openssh-client.
// Idempotent: checks with dpkg first, calls apt-get (update first) only for what is missing.
// Called by bench/run.ts when a peer is missing. Usage: node bench/install-peers.mjs [--check]
//   --check  only report what is missing (exit 1 if anything is)
import { $ } from 'zx';

$.verbose = false;
const pkgs = ['time', 'python3-testinfra', 'python3-pytest-xdist', 'ansible-core', 'openssh-client'];
const missing = [];
for (const p of pkgs) if ((await $`dpkg -s ${p}`.nothrow()).exitCode !== 0) missing.push(p);
if (!missing.length) {
  console.log(`install-peers: all present (${pkgs.join(' ')})`);
  process.exit(0);
}
if (process.argv[2] === '--check') {
  console.log(`install-peers: missing ${missing.join(' ')}`);
  process.exit(1);
}
if ((await $`command -v apt-get`.nothrow()).exitCode !== 0) {
  console.error(`install-peers: no apt-get here; install by hand: ${missing.join(' ')} (Debian names)`);
  process.exit(1);
}
const sudo = process.getuid() === 0 ? [] : ['sudo'];
if (sudo.length && (await $`command -v sudo`.nothrow()).exitCode !== 0) {
  console.error(`install-peers: need root (or sudo) to install: ${missing.join(' ')}`);
  process.exit(1);
}
console.error(`install-peers: installing ${missing.join(' ')}`);
$.verbose = true;
await $`${sudo} env DEBIAN_FRONTEND=noninteractive apt-get update -qq`;
await $`${sudo} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing}`;
