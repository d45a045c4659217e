// One simulated node: its files, its sshd config, and starting/stopping its namespaces.
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { provisionFresh } from './fresh.ts';
import { type NodeNames, REPO_ROOT, STANDINS_DIR } from './paths.ts';
import type { SharedPaths } from './shared.ts';
import type { NodeRecord } from './state.ts';
import { childrenOf, cmdline, isAlive, killQuiet, run, sleep, spawnDaemon, waitGone } from './sys.ts';

export function nodeFiles(dir: string) {
  return {
    etcUpper: path.join(dir, 'etc-upper'),
    etcWork: path.join(dir, 'etc-work'),
    root: path.join(dir, 'root'),
    rpm: path.join(dir, 'rpm'),
    containers: path.join(dir, 'containers'),
    cni: path.join(dir, 'cni'),
    tmp: path.join(dir, 'tmp'),
    varTmp: path.join(dir, 'var-tmp'),
    runLabgrade: path.join(dir, 'run-labgrade'),
    procSwaps: path.join(dir, 'proc-swaps'),
    sshdConfig: path.join(dir, 'sshd_config'),
    sshdLog: path.join(dir, 'sshd.log'),
    initLog: path.join(dir, 'init.log'),
    authorizedKeys: path.join(dir, 'root', '.ssh', 'authorized_keys'),
  };
}

// /proc/swaps of a fresh Rocky 9 VM with the installer's LVM swap (format: mm/swapfile.c swap_show(),
// "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority"; the swapon stand-in keeps this file current).
const FRESH_SWAPS =
  'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n' + '/dev/dm-1                               partition\t2097148\t\t0\t\t-2\n';

function sshdConfig(n: NodeNames, hostKeyFile: string, sp: SharedPaths): string {
  return `# labgrade lab: sshd of ${n.student}/${n.name}
ListenAddress ${n.host}:22
HostKey ${hostKeyFile}
PidFile none
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
MaxSessions 10
MaxStartups 100:30:200
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
PermitTunnel no
ForceCommand ${sp.nodeLogin} ${n.dir}
`;
}

/** Writes a fresh node's own files (nothing is mounted yet). */
export async function provisionNode(n: NodeNames, sp: SharedPaths, hostKeyFile: string, labPubKey: string): Promise<void> {
  const f = nodeFiles(n.dir);
  await fs.rm(n.dir, { recursive: true, force: true });
  for (const d of [f.etcUpper, f.etcWork, f.rpm, f.containers, f.cni, f.runLabgrade]) await fs.mkdir(d, { recursive: true });
  await fs.mkdir(f.root, { recursive: true, mode: 0o700 });
  for (const d of [f.tmp, f.varTmp]) {
    await fs.mkdir(d, { recursive: true });
    await fs.chmod(d, 0o1777);
  }
  await provisionFresh(f.etcUpper, f.root, { student: n.student, name: n.name, index: n.index });
  // provisionFresh owns the fresh files; the hostname is also ours to guarantee (`hostname` must match it).
  await fs.writeFile(path.join(f.etcUpper, 'hostname'), `${n.name}\n`, { flag: 'wx' }).catch(() => undefined);
  await fs.chmod(f.root, 0o700);
  await fs.mkdir(path.dirname(f.authorizedKeys), { recursive: true, mode: 0o700 });
  await fs.chmod(path.dirname(f.authorizedKeys), 0o700);
  await fs.writeFile(f.authorizedKeys, `${labPubKey}\n`, { mode: 0o600 });
  await run('cp', ['-a', `${sp.rpmdbTemplate}/.`, f.rpm]);
  await fs.writeFile(f.procSwaps, FRESH_SWAPS);
  await fs.writeFile(f.sshdConfig, sshdConfig(n, hostKeyFile, sp));
}

async function portOpen(host: string, port = 22, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });
}
export { portOpen };

/** How long one node may take to start: 8 start at once, and on a slow VM (forks are dear) each needs seconds. */
const START_TIMEOUT_S = 60;

/** Starts the node's namespaces and sshd; resolves once sshd accepts connections. */
export async function startNode(n: NodeNames, sp: SharedPaths): Promise<{ unsharePid: number; initPid: number }> {
  const f = nodeFiles(n.dir);
  const unsharePid = await spawnDaemon(
    'unshare',
    ['--mount', '--uts', '--pid', '--fork', '--mount-proc', '/bin/bash', sp.nodeInit, n.dir, n.netns, n.name, sp.dir, STANDINS_DIR, REPO_ROOT],
    f.initLog,
  );
  const end = Date.now() + START_TIMEOUT_S * 1000;
  let initPid = 0;
  while (Date.now() < end) {
    if (!initPid) initPid = (await childrenOf(unsharePid))[0] ?? 0;
    if (!(await isAlive(unsharePid))) {
      const log = await fs.readFile(f.initLog, 'utf8').catch(() => '');
      const slog = await fs.readFile(f.sshdLog, 'utf8').catch(() => '');
      throw new Error(`node ${n.student}/${n.name} did not start:\n${log}${slog}`.trim());
    }
    if (initPid && (await fs.access(path.join(n.dir, 'sshd.nspid')).then(() => true, () => false)) && (await portOpen(n.host)))
      return { unsharePid, initPid };
    await sleep(25);
  }
  killQuiet(unsharePid);
  throw new Error(`node ${n.student}/${n.name}: sshd did not listen on ${n.host}:22 within ${START_TIMEOUT_S} s (see ${f.sshdLog})`);
}

/** Host pid of the node's sshd listener (a child of the node's PID 1). */
export async function findSshd(rec: NodeRecord): Promise<number | null> {
  if (!rec.initPid) return null;
  for (const pid of await childrenOf(rec.initPid)) {
    if ((await cmdline(pid)).includes(`sshd -D -f ${rec.dir}/sshd_config`) && (await isAlive(pid))) return pid;
  }
  return null;
}

/** Stops the node's sshd only: the node (containers included) keeps running but does not answer. */
export async function stopNodeSshd(rec: NodeRecord): Promise<void> {
  const pid = await findSshd(rec);
  if (!pid) return;
  killQuiet(pid, 'SIGTERM');
  if ((await waitGone([pid], 5000)).length) killQuiet(pid, 'SIGKILL');
  const end = Date.now() + 5000;
  while ((await portOpen(rec.host)) && Date.now() < end) await sleep(50);
}

/** Kills the node's pid namespace (and with it conmon and every container, which may ignore SIGTERM). */
export async function killNode(rec: NodeRecord): Promise<number[]> {
  const pids: number[] = [];
  if (rec.initPid && (await isAlive(rec.initPid)) && (await cmdline(rec.initPid)).includes(rec.dir)) pids.push(rec.initPid);
  if (rec.unsharePid && (await isAlive(rec.unsharePid)) && (await cmdline(rec.unsharePid)).includes(rec.dir))
    pids.push(rec.unsharePid);
  for (const p of pids) killQuiet(p);
  return pids;
}
