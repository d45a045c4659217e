/**
 * Real OpenSSH servers for the transport's integration tests, on 127.66.0.x (this part's range;
 * the simulated class uses 127.77.x.x). Each sshd runs with -D -e as a child of the test process,
 * so we reap it ourselves (PID 1 here does not reap orphans).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Sshd {
  addr: string;
  port: number;
  dir: string;
  hostPub: string;
  /** sshd's stderr so far (LogLevel VERBOSE) */
  log(): string;
  /** "Accepted <method> for <user>" lines */
  accepted(): string[];
  stop(): Promise<void>;
}

export function keygen(file: string, type = 'ed25519', passphrase = ''): void {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'labgrade-test', '-f', file]);
}

/** An ssh-agent in the foreground (-D), our child, holding `key`. */
export async function startAgent(sock: string, key: string): Promise<{ stop(): Promise<void> }> {
  const child = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; i < 100 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
  execFileSync('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export function hasUser(name: string): boolean {
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface TestUsers {
  /** Removes what ensureTestUsers added (users it created, its sudoers file), restoring the machine as it was. */
  remove(): void;
}

const SUDOERS = '/etc/sudoers.d/labgrade-lgtest';

/**
 * Test users: lgtest (NOPASSWD sudo, password known) and lgnosudo (no sudo rights). Throws when the machine cannot
 * have them (CI runs as root with useradd and sudo: scripts/install-system-deps --tests); a missing user is a
 * failure, never a skipped test. Users that existed before are left as they were on remove(), new ones are deleted.
 */
export function ensureTestUsers(password: string): TestUsers {
  if (!fs.existsSync('/usr/bin/sudo')) throw new Error('sudo is not installed (scripts/install-system-deps --tests installs it)');
  const created: string[] = [];
  const oldSudoers = fs.existsSync(SUDOERS) ? fs.readFileSync(SUDOERS) : undefined;
  const remove = (): void => {
    // sudoers first: whatever else fails, no NOPASSWD rule stays behind
    if (oldSudoers === undefined) fs.rmSync(SUDOERS, { force: true });
    else fs.writeFileSync(SUDOERS, oldSudoers, { mode: 0o440 });
    const errors: string[] = [];
    for (const u of created.splice(0)) {
      // what the tests left running as that user (a failed test's commands): ended by pid, then the user goes
      const pids = spawnSync('pgrep', ['-u', u], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      const r = spawnSync('userdel', ['--force', '--remove', u], { encoding: 'utf8' });
      // 6: mail spool or home not found, the user itself is removed
      if (r.status !== 0 && r.status !== 6 && hasUser(u)) errors.push(`userdel ${u}: ${r.stderr.trim()}`);
    }
    if (errors.length) throw new Error(errors.join('; '));
  };
  try {
    for (const u of ['lgtest', 'lgnosudo']) {
      if (!hasUser(u)) {
        execFileSync('useradd', ['--system', '--create-home', '--shell', '/bin/bash', u]);
        created.push(u);
      }
      execFileSync('chpasswd', [], { input: `${u}:${password}\n` });
    }
    fs.mkdirSync('/etc/sudoers.d', { recursive: true });
    fs.writeFileSync(SUDOERS, 'lgtest ALL=(ALL) NOPASSWD: ALL\n', { mode: 0o440 });
  } catch (e) {
    remove();
    throw e;
  }
  return { remove };
}

export async function startSshd(opts: {
  addr: string;
  port: number;
  dir: string;
  /** user -> public key lines */
  authorized: Record<string, string[]>;
  hostKey?: string;
  extra?: string;
}): Promise<Sshd> {
  fs.mkdirSync('/run/sshd', { recursive: true });
  const dir = opts.dir;
  fs.mkdirSync(path.join(dir, 'ak'), { recursive: true });
  const hostKey = opts.hostKey ?? path.join(dir, 'host_ed25519');
  if (!fs.existsSync(hostKey)) keygen(hostKey);
  for (const [u, keys] of Object.entries(opts.authorized)) {
    fs.writeFileSync(path.join(dir, 'ak', u), keys.join('\n') + '\n');
  }
  const conf = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    conf,
    [
      `ListenAddress ${opts.addr}:${opts.port}`,
      `HostKey ${hostKey}`,
      'PidFile none',
      `AuthorizedKeysFile ${dir}/ak/%u`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'LogLevel VERBOSE',
      'MaxSessions 10',
      'MaxStartups 200',
      'PrintMotd no',
      'AllowTcpForwarding yes',
      opts.extra ?? '',
    ].join('\n') + '\n',
  );
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Ready when it logs "Server listening"; fail fast if it exits.
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`sshd ${opts.addr}:${opts.port} did not start:\n${log}`)), 10_000);
    const poll = setInterval(() => {
      if (/Server listening/.test(log)) {
        clearTimeout(t);
        clearInterval(poll);
        resolve();
      }
    }, 20);
    void exited.then(() => {
      clearTimeout(t);
      clearInterval(poll);
      reject(new Error(`sshd ${opts.addr}:${opts.port} exited:\n${log}`));
    });
  });
  return {
    addr: opts.addr,
    port: opts.port,
    dir,
    hostPub: fs.readFileSync(hostKey + '.pub', 'utf8').trim(),
    log: () => log,
    accepted: () => log.split('\n').filter((l) => /Accepted \S+ for /.test(l)),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
