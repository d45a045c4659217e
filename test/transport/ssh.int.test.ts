import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/transport/known-hosts.ts';
import { requireComplete, SshTransport, type SshOptions } from '../../src/transport/ssh.ts';
import { InfraError, type SshEndpoint } from '../../src/transport/types.ts';
import { ensureTestUsers, keygen, startAgent, startSshd, type Sshd, type TestUsers } from './sshd-harness.ts';

const PASSWORD = 'lg-Secr3t-pw-7731';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-ssh-int-'));
// sshd reads AuthorizedKeysFile as the login user: non-root test users must be able to reach it.
fs.chmodSync(tmp, 0o755);
const key = path.join(tmp, 'id_ed25519');
const wrongKey = path.join(tmp, 'wrong_ed25519');
const lockedKey = path.join(tmp, 'locked_ed25519'); // passphrase-protected
const agentKey = path.join(tmp, 'agent_ed25519'); // only in the agent
const PASSPHRASE = 'lg-Passphr4se-9911';
// No agent, no password, no default keys unless a test says so: each test controls its credentials.
const env = {};

let node: Sshd; // 127.66.0.1:2201, the "student node"
let bastion: Sshd; // 127.66.0.2:2202, a jump host
let users: TestUsers | undefined;

function ep(over: Partial<SshEndpoint> = {}): SshEndpoint {
  return { alias: '127.66.0.1', host: '127.66.0.1', port: 2201, user: 'root', identities: [key], ...over };
}
function opts(over: Partial<SshOptions> = {}): SshOptions {
  return { knownHosts: path.join(tmp, `kh-${Math.random().toString(36).slice(2)}`), env, ...over };
}
/** Polls `cond` every 50 ms until it holds or `ms` pass; returns whether it held. */
async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (cond()) return true;
  return cond();
}
/** A real gc (vitest does not start node with --expose-gc): RSS figures without a pending collection's garbage. */
const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
/** pids whose command line matches (pgrep excludes itself; no shell wrapper that would match too) */
function pgrep(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern]).toString().trim();
  } catch {
    return ''; // exit 1: none
  }
}
async function infra(p: Promise<unknown>): Promise<InfraError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InfraError) return e;
    throw e;
  }
  throw new Error('expected an InfraError');
}

beforeAll(async () => {
  keygen(key);
  keygen(wrongKey);
  keygen(lockedKey, 'ed25519', PASSPHRASE);
  keygen(agentKey);
  users = ensureTestUsers(PASSWORD);
  const pub = fs.readFileSync(key + '.pub', 'utf8').trim();
  node = await startSshd({
    addr: '127.66.0.1',
    port: 2201,
    dir: path.join(tmp, 'node'),
    authorized: {
      root: [pub, ...[lockedKey, agentKey].map((k) => fs.readFileSync(k + '.pub', 'utf8').trim())],
      lgtest: [pub],
      lgnosudo: [pub],
    },
  });
  bastion = await startSshd({
    addr: '127.66.0.2',
    port: 2202,
    dir: path.join(tmp, 'bastion'),
    authorized: { root: [pub] },
  });
});

afterAll(async () => {
  await Promise.all([node?.stop(), bastion?.stop()]);
  users?.remove();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('SshTransport against a real sshd', () => {
  it('runs a command: stdout, stderr, exit code; stdin for bash -s', async () => {
    const t = new SshTransport(ep(), opts());
    try {
      const r = await t.run('echo out; echo err >&2; exit 3');
      expect(r).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 3 });
      const s = await t.run('bash -s', { stdin: 'echo "from stdin $((6*7))"\nexit 0\n' });
      expect(s).toEqual({ stdout: 'from stdin 42\n', stderr: '', code: 0 });
    } finally {
      await t.close();
    }
  });

  it('runs 20 commands concurrently on ONE connection, at most 8 channels at a time', { timeout: 60_000 }, async () => {
    const before = node.accepted().length;
    // lgtest, a user with a plain shell start-up: this host's root runs `pyenv init` in its .bashrc
    const t = new SshTransport(ep({ user: 'lgtest' }), opts());
    // Each command says it started (a file), then waits for the test's go: the number of commands started before
    // the go is the number of channels open at once, counted, not timed.
    const dir = fs.mkdtempSync(path.join(tmp, 'chan-'));
    fs.chmodSync(dir, 0o777);
    const started = () => fs.readdirSync(dir).filter((f) => f.startsWith('started.')).length;
    try {
      await t.connect();
      const cmd = (i: number): string => `touch ${dir}/started.${i}; while [ ! -e ${dir}/go.${i} ] && [ ! -e ${dir}/go ]; do sleep 0.05; done; echo ${i}`;
      const all = Promise.all(Array.from({ length: 20 }, (_, i) => t.run(cmd(i))));
      expect(await waitFor(() => started() >= 8, 30_000), `8 commands started (${started()})`).toBe(true);
      // a ninth channel would have opened by now had the limit not held (generous: shells start in ~10 ms)
      await new Promise((r) => setTimeout(r, 1_500));
      expect(started()).toBe(8);
      // released one at a time: a burst of 8 finished sessions plus 8 new ones can exceed sshd's MaxSessions (10)
      // before sshd has freed the old ones ("Channel open failure"), a race of its own, not this limit
      for (let i = 0; i < 20; i++) {
        fs.writeFileSync(path.join(dir, `go.${i}`), '');
        await new Promise((r) => setTimeout(r, 100));
      }
      const rs = await all;
      expect(rs.map((r) => r.code)).toEqual(Array(20).fill(0));
      expect(rs.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
      expect(started()).toBe(20);
      expect(node.accepted().length - before).toBe(1);
    } finally {
      fs.writeFileSync(path.join(dir, 'go'), ''); // a failed assertion must not leave the commands waiting
      await t.close();
    }
  });

  it('times out a hanging command: timedOut, code null, the process is killed', async () => {
    const t = new SshTransport(ep(), opts());
    try {
      const start = Date.now();
      const r = await t.run('sleep 31337', { timeoutMs: 500 });
      const ms = Date.now() - start;
      expect(r.timedOut).toBe(true);
      expect(r.code).toBeNull();
      expect(ms).toBeLessThan(15_000); // generous: the point is not waiting for the command (8.7 hours)
      await expect(Promise.resolve().then(() => requireComplete(r, 'probe x'))).rejects.toMatchObject({
        kind: 'timeout',
      });
      // the connection still works afterwards
      expect((await t.run('echo ok')).stdout).toBe('ok\n');
      // killed on the node: gone within a (generous) bound, polled rather than slept
      expect(await waitFor(() => pgrep('sleep 31337') === '', 10_000), pgrep('sleep 31337')).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('caps 100 MB of output at maxBytes without holding it in memory', async () => {
    const t = new SshTransport(ep(), opts());
    try {
      await t.connect();
      gc();
      const rss0 = process.memoryUsage().rss;
      const start = Date.now();
      let peak = rss0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const r = await t.run('head -c 100000000 /dev/zero | tr "\\0" x; echo done', { timeoutMs: 60_000 });
      clearInterval(sampler);
      const ms = Date.now() - start;
      expect(r.truncated).toBe(true);
      expect(r.timedOut).toBeUndefined();
      expect(r.stdout.length).toBe(16 * 1024 * 1024);
      expect(r.stdout.endsWith('done\n')).toBe(false);
      const grew = (peak - rss0) / 1024 / 1024;
      console.log(`100 MB run: kept ${r.stdout.length} bytes, ${ms} ms, rss +${grew.toFixed(0)} MiB`);
      expect(grew).toBeLessThan(120); // 16 MiB kept (+ a string copy); 100 MB would be far above
      const small = await t.run('seq 1 100000', { maxBytes: 1000 });
      expect(small.truncated).toBe(true);
      expect(small.stdout.length).toBe(1000);
      expect((await t.run('echo still')).stdout).toBe('still\n');
    } finally {
      await t.close();
    }
  });

  it('wrong key -> auth, naming the user and host, quickly', async () => {
    const t = new SshTransport(ep({ identities: [wrongKey] }), opts({ connectTimeoutMs: 60_000 }));
    const start = Date.now();
    const e = await infra(t.connect());
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/^root@127\.66\.0\.1:2201: authentication failed \(tried publickey\)/);
    expect(Date.now() - start).toBeLessThan(20_000); // generous, and far below the 60 s connect timeout: no waiting for it
    // the same answer again, without a second attempt
    const before = node.log().length;
    expect(await infra(t.run('true'))).toBe(e);
    expect(node.log().length).toBe(before);
  });

  it('encrypted key: LABGRADE_KEY_PASSPHRASE unlocks it; missing or wrong -> auth, never echoing it', async () => {
    const ok = new SshTransport(ep({ identities: [lockedKey] }), opts({ env: { LABGRADE_KEY_PASSPHRASE: PASSPHRASE } }));
    expect((await ok.run('echo unlocked')).stdout).toBe('unlocked\n');
    await ok.close();
    const none = await infra(new SshTransport(ep({ identities: [lockedKey] }), opts()).connect());
    expect(none.kind).toBe('auth');
    expect(none.message).toBe(
      `root@127.66.0.1:2201: authentication failed (no usable credential); identity ${lockedKey}: ` +
        'Encrypted private OpenSSH key detected, but no passphrase given (set LABGRADE_KEY_PASSPHRASE)',
    );
    const wrong = await infra(
      new SshTransport(ep({ identities: [lockedKey] }), opts({ env: { LABGRADE_KEY_PASSPHRASE: 'x' + PASSPHRASE } })).connect(),
    );
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).toContain('(LABGRADE_KEY_PASSPHRASE does not decrypt it)');
    expect(wrong.message + String(wrong.stack)).not.toContain(PASSPHRASE);
  });

  it('ssh-agent (SSH_AUTH_SOCK) after the key files', async () => {
    const sock = path.join(tmp, 'agent.sock');
    const agent = await startAgent(sock, agentKey);
    try {
      const t = new SshTransport(ep({ identities: [wrongKey] }), opts({ env: { SSH_AUTH_SOCK: sock } }));
      expect((await t.run('echo agent')).stdout).toBe('agent\n');
      await t.close();
      // a dead agent socket is just one method less
      const e = await infra(
        new SshTransport(ep({ identities: [wrongKey] }), opts({ env: { SSH_AUTH_SOCK: path.join(tmp, 'nope.sock') } })).connect(),
      );
      expect(e.kind).toBe('auth');
      expect(e.message).toBe(
        `root@127.66.0.1:2201: authentication failed (tried publickey, agent); agent ${path.join(tmp, 'nope.sock')}: Failed to connect to agent`,
      );
    } finally {
      await agent.stop();
    }
  });

  it('missing key file -> auth, the message says which file', async () => {
    const t = new SshTransport(ep({ identities: [path.join(tmp, 'nope')] }), opts());
    const e = await infra(t.connect());
    expect(e.kind).toBe('auth');
    expect(e.message).toContain(`identity ${path.join(tmp, 'nope')}: ENOENT`);
  });

  it('strict mode and an unknown host key -> hostkey-unknown', async () => {
    const t = new SshTransport(ep(), opts({ hostKeyMode: 'strict' }));
    const e = await infra(t.connect());
    expect(e.kind).toBe('hostkey-unknown');
    expect(e.message).toContain('[127.66.0.1]:2201');
    expect(e.message).toMatch(/ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}/);
  });

  it('TOFU: 12 connections at once write exactly one line; then strict accepts it', async () => {
    const kh = path.join(tmp, 'tofu', 'known_hosts'); // directory does not exist yet
    const ts = Array.from({ length: 12 }, () => new SshTransport(ep(), opts({ knownHosts: kh })));
    try {
      await Promise.all(ts.map((t) => t.connect()));
    } finally {
      await Promise.all(ts.map((t) => t.close()));
    }
    const lines = fs.readFileSync(kh, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const [type, b64] = node.hostPub.split(' ');
    expect(lines[0]).toBe(`[127.66.0.1]:2201 ${type} ${b64}`);
    expect(fs.existsSync(kh + '.lock')).toBe(false);
    const strict = new SshTransport(ep(), opts({ knownHosts: kh, hostKeyMode: 'strict' }));
    expect((await strict.run('echo yes')).stdout).toBe('yes\n');
    await strict.close();
  });

  it('a changed host key -> hostkey-changed, fingerprint + file:line, and no login happens', async () => {
    const kh = path.join(tmp, 'changed_known_hosts');
    const other = path.join(tmp, 'other_host');
    keygen(other);
    const otherPub = fs.readFileSync(other + '.pub', 'utf8').trim().split(' ');
    fs.writeFileSync(kh, `# class of 2025\nexample.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==\n[127.66.0.1]:2201 ${otherPub[0]} ${otherPub[1]}\n`);
    const before = node.accepted().length;
    const t = new SshTransport(ep(), opts({ knownHosts: kh }));
    const e = await infra(t.connect());
    expect(e.kind).toBe('hostkey-changed');
    const seen = fingerprint(Buffer.from(node.hostPub.split(' ')[1] ?? '', 'base64'));
    expect(e.message).toContain(`server offered ssh-ed25519 ${seen}`);
    expect(e.message).toContain(`${kh}:3`);
    expect(e.message).toContain(`remove line 3 of ${kh}`);
    expect(node.accepted().length).toBe(before);
    // TOFU mode never overwrites: the file is unchanged
    expect(fs.readFileSync(kh, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('hashed known_hosts entry (ssh-keyscan -H style) is accepted in strict mode', async () => {
    const kh = path.join(tmp, 'hashed_known_hosts');
    const [type, b64] = node.hostPub.split(' ');
    fs.writeFileSync(kh, `[127.66.0.1]:2201 ${type} ${b64}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' });
    expect(fs.readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    const t = new SshTransport(ep(), opts({ knownHosts: kh, hostKeyMode: 'strict' }));
    expect((await t.run('echo h')).stdout).toBe('h\n');
    await t.close();
  });

  it('nothing listening -> unreachable at once, with host:port', async () => {
    const start = Date.now();
    const e = await infra(new SshTransport(ep({ port: 2299 }), opts({ connectTimeoutMs: 60_000 })).connect());
    expect(e.kind).toBe('unreachable');
    expect(e.message).toBe('127.66.0.1:2299: connection refused (nothing listening on that port?)');
    expect(Date.now() - start).toBeLessThan(20_000); // generous, and far below the 60 s connect timeout
  });

  it('a port that accepts but never speaks SSH -> unreachable after the connect timeout', async () => {
    const socks: net.Socket[] = [];
    const srv = net.createServer((s) => socks.push(s));
    await new Promise<void>((r) => srv.listen(2298, '127.66.0.3', r));
    try {
      const start = Date.now();
      const e = await infra(
        new SshTransport(ep({ host: '127.66.0.3', port: 2298 }), opts({ connectTimeoutMs: 800 })).connect(),
      );
      const ms = Date.now() - start;
      expect(e.kind).toBe('unreachable');
      expect(e.message).toBe('127.66.0.3:2298: connect timeout after 0.8 s (no SSH session)');
      expect(ms).toBeGreaterThanOrEqual(750); // not before the timeout
      expect(ms).toBeLessThan(15_000); // generous: it does give up
    } finally {
      socks.forEach((s) => s.destroy());
      await new Promise((r) => srv.close(r));
    }
  });

  it('ProxyJump: through the bastion sshd to the node, one connection each', async () => {
    const nodeBefore = node.accepted().length;
    const bastionBefore = bastion.accepted().length;
    const jump: SshEndpoint = { alias: 'bastion', host: '127.66.0.2', port: 2202, user: 'root', identities: [key] };
    const kh = path.join(tmp, 'jump_known_hosts');
    const a = new SshTransport(ep({ jump }), opts({ knownHosts: kh }));
    const b = new SshTransport(ep({ jump }), opts({ knownHosts: kh }));
    try {
      const [ra, rb] = await Promise.all([a.run('echo $SSH_CONNECTION'), b.run('hostname')]);
      expect(ra.code).toBe(0);
      expect(ra.stdout).toMatch(/ 127\.66\.0\.1 2201\n$/);
      expect(rb.code).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    expect(node.accepted().length - nodeBefore).toBe(2);
    // the two targets share one bastion connection
    expect(bastion.accepted().length - bastionBefore).toBe(1);
    const lines = fs.readFileSync(kh, 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual(['[127.66.0.1]:2201', '[127.66.0.2]:2202']);
  });

  it('ProxyJump: the target unreachable from the bastion -> unreachable naming both', async () => {
    const jump: SshEndpoint = { alias: 'bastion', host: '127.66.0.2', port: 2202, user: 'root', identities: [key] };
    const e = await infra(new SshTransport(ep({ port: 2297, jump }), opts()).connect());
    expect(e.kind).toBe('unreachable');
    expect(e.message).toMatch(/^127\.66\.0\.1:2297 \(via root@127\.66\.0\.2:2202\): jump host could not connect/);
  });

  it('password from LABGRADE_SSH_PASSWORD; a wrong one -> auth, and no password in any message', async () => {
    const good = new SshTransport(
      ep({ user: 'lgtest', identities: [wrongKey] }),
      opts({ env: { LABGRADE_SSH_PASSWORD: PASSWORD } }),
    );
    expect((await good.run('id -un')).stdout).toBe('lgtest\n');
    await good.close();
    expect(node.log()).toMatch(/Accepted password for lgtest/);

    const bad = new SshTransport(
      ep({ user: 'lgtest', identities: [wrongKey] }),
      opts({ env: { LABGRADE_SSH_PASSWORD: 'not-' + PASSWORD } }),
    );
    const e = await infra(bad.connect());
    expect(e.kind).toBe('auth');
    expect(e.message).toBe('lgtest@127.66.0.1:2201: authentication failed (tried publickey, password)');
    expect(e.message + String(e.stack)).not.toContain(PASSWORD);

    // interactive prompt (the CLI's callback), asked once
    let asked = 0;
    const prompted = new SshTransport(
      ep({ user: 'lgtest', identities: [] }),
      opts({
        env: { HOME: tmp },
        promptPassword: async (label) => {
          asked++;
          expect(label).toBe('lgtest@127.66.0.1:2201');
          return PASSWORD;
        },
      }),
    );
    expect((await prompted.run('echo p')).stdout).toBe('p\n');
    expect(asked).toBe(1);
    await prompted.close();
  });

  it('sudo: NOPASSWD user runs as root; a user without rights -> InfraError sudo', async () => {
    const t = new SshTransport(ep({ user: 'lgtest' }), opts({ sudo: true }));
    const r = await t.run(`id -u; echo "it's quoted"; cat`, { stdin: 'piped\n' });
    expect(r).toEqual({ stdout: "0\nit's quoted\npiped\n", stderr: '', code: 0 });
    await t.close();

    const n = new SshTransport(ep({ user: 'lgnosudo' }), opts({ sudo: true }));
    const e = await infra(n.run('id -u'));
    expect(e.kind).toBe('sudo');
    expect(e.message).toBe(
      'sudo -n refused for lgnosudo@127.66.0.1:2201: a password is required (grant NOPASSWD sudo, or log in as root)',
    );
    await n.close();
  });
});
