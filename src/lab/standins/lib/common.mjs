// @ts-check
// Shared by the Node stand-ins (dnf, nmcli). No npm dependencies: the stand-ins run from
// /usr/local/sbin inside a node, where node_modules cannot be resolved.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** LG_SYSROOT: prefix of every path a stand-in touches (tests use a temp dir). */
export const R = process.env.LG_SYSROOT ?? '';
export const RUN = `${R}/run/labgrade`;
export const STANDINS_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

/** @param {string} p absolute path on the node */
export const at = (p) => `${R}${p}`;

/** Lab setting: environment first, else the last KEY=VALUE line in $RUN/config. */
export function config(/** @type {string} */ key, /** @type {string} */ def = '') {
  const env = process.env[key];
  if (env) return env;
  try {
    const lines = readFileSync(join(RUN, 'config'), 'utf8').split('\n');
    let val = '';
    for (const l of lines) if (l.startsWith(`${key}=`)) val = l.slice(key.length + 1);
    return val || def;
  } catch {
    return def;
  }
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ input?: string }} [opts]
 */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input ?? '' });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** real rpm against the node's database */
export const rpm = (/** @type {string[]} */ args) => run('/usr/bin/rpm', ['--root', R || '/', '--dbpath', '/var/lib/rpm', ...args]);

/** See lib/common.sh lg_in_node / lg_kernel_ok. */
export function inNode() {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${STANDINS_DIR} `);
  } catch {
    return false;
  }
}
export const kernelOk = () => inNode() || (!!R && !!process.env.LG_KERNEL_OK);

/** Refuse to act on the machine's own /etc and /run (see lib/common.sh). */
export function refuseOnHost() {
  if (!R && !process.env.LG_ALLOW_HOST && !inNode()) {
    process.stderr.write(`labgrade stand-in ${process.argv[1]?.split('/').pop()}: refusing to run outside a simulated node (set LG_SYSROOT to test)\n`);
    process.exit(1);
  }
}

/**
 * Holds an exclusive lock until this process exits: a listening Linux abstract unix socket named after `name`.
 * The kernel gives the name to one socket at a time (per network namespace: one per node) and frees it when the
 * holder exits or is killed, so there is no stale lock to clean up, and no file is created: grading leaves the
 * node's files, mtimes included, as they were. Waits in 5-20 ms steps, at most 30 s, then goes on anyway (a
 * stand-in must not hang a grader forever; the wait is far longer than any call).
 * @param {string} name
 */
export async function lock(name) {
  const until = Date.now() + 30_000;
  for (let i = 0; ; i++) {
    const srv = createServer();
    const held = await new Promise((resolve) => {
      srv.once('error', () => resolve(false));
      srv.listen({ path: `\0labgrade-lock:${name}` }, () => resolve(true));
    });
    if (held) return void srv.unref();
    if (Date.now() > until) return;
    await new Promise((r) => setTimeout(r, Math.min(20, 5 + i)));
  }
}

export function ensureBooted() {
  refuseOnHost();
  if (existsSync(join(RUN, 'booted')) || process.env.LG_BOOTING) return;
  spawnSync(join(STANDINS_DIR, 'lg-boot'), [], { stdio: 'ignore' });
}

/** Minimal INI reader keeping order (dnf .repo files, NetworkManager keyfiles). */
export function parseIni(/** @type {string} */ text) {
  /** @type {{ name: string, entries: [string, string][] }[]} */
  const sections = [];
  let cur = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^\[(.*)\]$/.exec(line);
    if (m) {
      cur = { name: m[1] ?? '', entries: /** @type {[string, string][]} */ ([]) };
      sections.push(cur);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || !cur) continue;
    cur.entries.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return sections;
}
