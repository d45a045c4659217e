/**
 * SSH transport on ssh2: one connection per node, many exec channels on it (bounded below sshd's
 * MaxSessions), host keys checked against the project's known_hosts, errors mapped to InfraError.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type {
  AnyAuthMethod,
  AuthenticationType,
  ClientChannel,
  ConnectConfig,
  NextAuthHandler,
  ParsedKey,
} from 'ssh2';
import { knownAlgorithms, knownHostsFile, knownHostsName, type HostKeyMode } from './known-hosts.ts';
import { InfraError, withRaw, type ExecResult, type RunOptions, type SshEndpoint, type Transport } from './types.ts';

const { Client, utils } = ssh2;
type Client = InstanceType<typeof Client>;

export const DEFAULT_CONNECT_TIMEOUT_MS = 8_000;
export const DEFAULT_MAX_CHANNELS = 8;
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;

export interface SshOptions {
  /** known_hosts file (default: defaultKnownHostsPath()) */
  knownHosts: string;
  /** 'tofu' (default) records unknown keys; 'strict' refuses them. A changed key is always refused. */
  hostKeyMode?: HostKeyMode;
  /** TCP connect + SSH handshake + auth, per hop (default 8 s) */
  connectTimeoutMs?: number;
  /**
   * How long failures AT CONNECT (refused, reset, timeout) are retried before the node is unreachable; 0 (the
   * default here) = one attempt. openTransport (grading) gives DEFAULT_CONNECT_RETRY_BUDGET_MS.
   */
  connectRetryBudgetMs?: number;
  /** SSH keepalive (default 15 s x 3): a node that dies mid-run is noticed instead of hanging */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** concurrent exec channels per connection (default 8; sshd's MaxSessions default is 10) */
  maxChannels?: number;
  /** default per-command timeout (default 120 s) and output cap (default 16 MiB) */
  commandTimeoutMs?: number;
  maxBytes?: number;
  /** wrap every command in `sudo -n -- bash -c '...'` (non-root login user) */
  sudo?: boolean;
  /**
   * Also bound the command on the node with coreutils `timeout -s KILL` (1 s after our own timer), so
   * a hung command does not outlive its channel. Needed because sshd ignores the SSH "signal" request
   * for root logins (no post-auth privilege separation) and leaves a closed channel's child running.
   * Default true.
   */
  remoteTimeout?: boolean;
  /**
   * Asked for a password only when every other method failed and the server accepts passwords.
   * Supplied by the CLI (interactive); the answer is kept by this transport only, never logged.
   */
  promptPassword?: (label: string) => Promise<string>;
  /** environment to read LABGRADE_SSH_PASSWORD, LABGRADE_KEY_PASSPHRASE, SSH_AUTH_SOCK from (default process.env) */
  env?: NodeJS.ProcessEnv;
}

/** POSIX single-quote quoting for a shell word. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command actually sent when the login user is not root. */
export function sudoWrap(command: string): string {
  return `sudo -n -- bash -c ${shellQuote(command)}`;
}

/**
 * What goes on the wire: the command, bounded by `timeout` on the node when `remoteSecs` is set,
 * under `sudo -n` when asked (timeout inside sudo, so it can kill root's processes).
 */
export function wireCommand(command: string, o: { sudo?: boolean; remoteSecs?: number }): string {
  const inner =
    o.remoteSecs !== undefined ? `timeout -s KILL ${o.remoteSecs} bash -c ${shellQuote(command)}` : undefined;
  if (o.sudo) return inner ? `sudo -n -- ${inner}` : sudoWrap(command);
  return inner ?? command;
}

/** Throws InfraError('sudo') when the result is sudo -n refusing, not the command's own output. */
export function checkSudoRefusal(r: ExecResult, who: string): void {
  if (r.code === 1 && /^sudo: (a password is required|a terminal is required)/m.test(r.stderr)) {
    throw new InfraError('sudo', `sudo -n refused for ${who}: a password is required (grant NOPASSWD sudo, or log in as root)`);
  }
  if (r.code === 1 && /^(sudo: )?\S+ is not (in the sudoers file|allowed to run sudo)/m.test(r.stderr)) {
    throw new InfraError('sudo', `sudo refused for ${who}: the user may not run sudo`);
  }
  if (r.code === 127 && /sudo: (command )?not found/.test(r.stderr)) {
    throw new InfraError('sudo', `sudo is not installed for ${who}`);
  }
}

/**
 * run() reports a timeout or a cap hit in the result and lets the caller decide; this turns them into
 * the InfraError the grader records ('timeout' / 'output-cap').
 */
export function requireComplete(r: ExecResult, what: string): ExecResult {
  if (r.timedOut) throw new InfraError('timeout', `${what}: command did not finish in time`);
  if (r.truncated) throw new InfraError('output-cap', `${what}: command output exceeded the cap and was cut`);
  return r;
}

/** Just the timeout half of requireComplete, for callers that accept truncated output. */
export function requireNotTimedOut(r: ExecResult, what: string): ExecResult {
  if (r.timedOut) throw new InfraError('timeout', `${what}: command did not finish in time`);
  return r;
}

class Semaphore {
  private active = 0;
  private waiters: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiters.push(r));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next(); // hand the slot over: `active` stays the same
      else this.active--;
    };
  }
}

export function endpointLabel(ep: SshEndpoint): string {
  const h = ep.host.includes(':') ? `[${ep.host}]` : ep.host;
  return `${ep.user}@${h}:${ep.port}`;
}

interface KeyLoad {
  file: string;
  key?: ParsedKey;
  problem?: string;
}

function loadKey(file: string, passphrase: string | undefined): KeyLoad {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    return { file, problem: `identity ${file}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}` };
  }
  const parsed = utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    // ssh2's messages ("Encrypted private OpenSSH key detected, but no passphrase given", "bad passphrase?")
    // carry no secret; say which env var to set.
    const hint = /passphrase|encrypt|decrypt/i.test(parsed.message)
      ? passphrase === undefined
        ? ' (set LABGRADE_KEY_PASSPHRASE)'
        : ' (LABGRADE_KEY_PASSPHRASE does not decrypt it)'
      : '';
    return { file, problem: `identity ${file}: ${parsed.message}${hint}` };
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) return { file, problem: `identity ${file}: no key in file` };
  return { file, key };
}

/** Keys OpenSSH would try when none is configured. */
function defaultIdentities(): string[] {
  const dir = path.join(os.homedir(), '.ssh');
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
}

function mapSocketError(err: NodeJS.ErrnoException, where: string, timeoutMs: number): InfraError {
  switch (err.code) {
    case 'ECONNREFUSED':
      return new InfraError('unreachable', `${where}: connection refused (nothing listening on that port?)`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new InfraError('unreachable', `${where}: no route to host`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new InfraError('unreachable', `${where}: host name not found (DNS)`);
    case 'ETIMEDOUT':
      return new InfraError('unreachable', `${where}: connect timed out after ${timeoutMs / 1000} s`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new InfraError('unreachable', `${where}: connection reset during the SSH handshake`);
    default:
      return new InfraError('unreachable', `${where}: ${err.code ?? err.message}`);
  }
}

/** What a password prompt looks like (OpenSSH/PAM: "Password: ", "root@host's password: ", localised PAM forms). */
const PASSWORD_PROMPT = /(password|passwort|passwd|mot de passe|contrase\u00f1a|\uc554\ud638|\ube44\ubc00\ubc88\ud638)\s*:?$/i;

/**
 * keyboard-interactive answers: the password goes only to a round that asks exactly one hidden
 * password prompt, and only once per connection. A server asking anything else (an OTP, "Verification
 * code", several prompts, or the password again) gets empty answers: it could be a student's sshd
 * phishing for the class's shared root password.
 */
export function kbdInteractiveAnswer(
  password: string,
): (name: string, instructions: string, lang: string, prompts: { prompt: string; echo?: boolean }[], finish: (answers: string[]) => void) => void {
  let given = false;
  return (_n, _i, _l, prompts, finish) => {
    const p = prompts[0];
    if (!given && prompts.length === 1 && p && !p.echo && PASSWORD_PROMPT.test(p.prompt.slice(-200).trimEnd())) {
      given = true;
      finish([password]);
      return;
    }
    finish(prompts.map(() => ''));
  };
}

interface Secrets {
  password?: string;
}

/**
 * Opens one authenticated ssh2 client to `ep`, over `sock` when given (a jump's forwarded stream).
 * Rejects with exactly one InfraError; never retries.
 */
function openClient(
  ep: SshEndpoint,
  opts: SshOptions,
  secrets: Secrets,
  sock?: Duplex,
  via?: string,
): Promise<Client> {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const where = `${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}${via ? ` (via ${via})` : ''}`;
  const mode = opts.hostKeyMode ?? 'tofu';
  const kh = knownHostsFile(opts.knownHosts);
  const khName = knownHostsName(ep.host, ep.port);

  const passphrase = env.LABGRADE_KEY_PASSPHRASE || undefined;
  const files = ep.identities.length > 0 ? ep.identities : defaultIdentities();
  const keys = files.map((f) => loadKey(f, passphrase));
  const agent = env.SSH_AUTH_SOCK || undefined;
  // A node's own variable (roster `passwordEnv`) wins over the class-wide one; the roster names it, never the secret.
  if (secrets.password === undefined && ep.passwordEnv && env[ep.passwordEnv]) secrets.password = env[ep.passwordEnv];
  if (secrets.password === undefined && env.LABGRADE_SSH_PASSWORD) secrets.password = env.LABGRADE_SSH_PASSWORD;

  return new Promise<Client>((resolve, reject) => {
    const client = new Client();
    let settled = false;
    let hostErr: InfraError | undefined;
    const tried: string[] = [];
    const authNotes: string[] = [];
    let timer: NodeJS.Timeout | undefined;

    const fail = (e: InfraError): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      client.end();
      if (sock) sock.destroy();
      reject(e);
    };
    const armTimer = (): void => {
      timer = setTimeout(
        () => fail(new InfraError('unreachable', `${where}: connect timeout after ${+(timeoutMs / 1000).toFixed(1)} s (no SSH session)`)),
        timeoutMs,
      );
    };

    // Auth in OpenSSH's order: the configured keys, the agent, then password/keyboard-interactive.
    const queue: (AnyAuthMethod | 'password-any')[] = [];
    for (const k of keys) if (k.key) queue.push({ type: 'publickey', username: ep.user, key: k.key });
    if (agent) queue.push({ type: 'agent', username: ep.user, agent });
    queue.push('password-any');

    const authHandler = (
      methodsLeft: AuthenticationType[] | null,
      _partial: boolean | null,
      next: NextAuthHandler,
    ): void => {
      const allowed = (m: AuthenticationType): boolean => methodsLeft === null || methodsLeft.includes(m);
      for (;;) {
        const m = queue.shift();
        if (m === undefined) {
          (next as unknown as (a: false) => void)(false);
          return;
        }
        if (m === 'password-any') {
          // Never volunteer a password: first ask the server which methods it takes ("none"), as OpenSSH
          // does, so a password goes only to a server that asks for one (after its host key was verified).
          if (methodsLeft === null) {
            queue.unshift(m);
            next({ type: 'none', username: ep.user });
            return;
          }
          const pw = allowed('password') ? 'password' : allowed('keyboard-interactive') ? 'keyboard-interactive' : undefined;
          if (!pw) continue;
          const use = (password: string): void => {
            tried.push(pw);
            if (pw === 'password') next({ type: 'password', username: ep.user, password });
            else
              next({
                type: 'keyboard-interactive',
                username: ep.user,
                prompt: kbdInteractiveAnswer(password),
              });
          };
          if (secrets.password !== undefined) return use(secrets.password);
          if (!opts.promptPassword) continue;
          // The prompt waits for a human: the connect timeout must not run meanwhile.
          if (timer) clearTimeout(timer);
          opts.promptPassword(`${ep.user}@${where}`).then(
            (p) => {
              if (settled) return;
              secrets.password = p;
              armTimer();
              use(p);
            },
            () => fail(new InfraError('auth', `${ep.user}@${where}: password prompt cancelled`)),
          );
          return;
        }
        if (m.type === 'publickey' && !allowed('publickey')) continue;
        if (m.type === 'agent' && !allowed('publickey')) continue;
        tried.push(m.type === 'publickey' ? `publickey` : 'agent');
        next(m);
        return;
      }
    };

    client.on('ready', () => {
      if (settled) {
        client.end();
        return;
      }
      settled = true;
      if (timer) clearTimeout(timer);
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return; // post-ready errors are handled by the connection owner
      if (hostErr) return fail(hostErr);
      // ssh2 reports a failing agent or a key that cannot sign, then goes on with the next method:
      // note it for the final message, do not give up yet.
      if (err.level === 'agent') {
        authNotes.push(`agent ${agent ?? ''}: ${err.code ?? err.message}`);
        return;
      }
      if (err.level === 'client-authentication' && !/^All configured authentication methods failed/.test(err.message)) {
        authNotes.push(err.message);
        return;
      }
      if (err.level === 'client-authentication') {
        const why = [...keys.filter((k) => k.problem).map((k) => k.problem), ...authNotes];
        const triedTxt = tried.length > 0 ? `tried ${[...new Set(tried)].join(', ')}` : 'no usable credential';
        return fail(
          new InfraError(
            'auth',
            `${ep.user}@${where}: authentication failed (${triedTxt})${why.length ? `; ${why.join('; ')}` : ''}`,
          ),
        );
      }
      if (err.level === 'client-socket') return fail(mapSocketError(err, where, timeoutMs));
      fail(new InfraError('protocol', `${where}: ${err.message}`));
    });
    client.on('close', () => {
      if (hostErr) return fail(hostErr);
      fail(new InfraError('unreachable', `${where}: connection closed before the SSH session was ready`));
    });

    const known = knownAlgorithms(kh.entries(), khName);
    const cfg: ConnectConfig = {
      host: ep.host,
      port: ep.port,
      username: ep.user,
      readyTimeout: 0, // our own timer (pausable during a password prompt)
      keepaliveInterval: opts.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: opts.keepaliveCountMax ?? 3,
      authHandler: authHandler as ConnectConfig['authHandler'],
      tryKeyboard: true,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        kh.check(ep.host, ep.port, key, mode).then(
          () => verify(true),
          (e: unknown) => {
            hostErr = e instanceof InfraError ? e : new InfraError('protocol', `${where}: ${(e as Error).message}`);
            verify(false);
          },
        );
      },
    };
    // Ask for the key type we already trust, as OpenSSH does; otherwise a server with several host
    // keys would look "changed" whenever ssh2 prefers another type.
    if (known.length > 0) cfg.algorithms = { serverHostKey: known as never };
    if (sock) cfg.sock = sock;
    armTimer();
    client.connect(cfg);
  });
}

/** Jump connections are shared by every target behind the same bastion (30 students -> 1 connection). */
const jumpPool = new Map<string, { client: Promise<Client>; refs: number }>();

function endpointKey(ep: SshEndpoint): string {
  return `${endpointLabel(ep)}|${ep.identities.join(',')}|${ep.jump ? endpointKey(ep.jump) : ''}`;
}

async function forwardTo(jump: Client, ep: SshEndpoint, via: string, timeoutMs: number): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    // A bastion that never answers the direct-tcpip open would hold this node for ever: bounded too.
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new InfraError('unreachable', `${ep.host}:${ep.port} (via ${via}): the jump host did not open a tunnel within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    jump.forwardOut('127.0.0.1', 0, ep.host, ep.port, (err, stream) => {
      clearTimeout(timer);
      if (done) {
        stream?.destroy();
        return;
      }
      if (err) {
        const reason = err.message.replace(/^\(SSH\) Channel open failure: /, '');
        reject(new InfraError('unreachable', `${ep.host}:${ep.port} (via ${via}): jump host could not connect: ${reason}`));
      } else resolve(stream);
    });
  });
}

/** Connects through ep.jump (recursively) when set. Returns the client and a release for the jump. */
async function connectEndpoint(
  ep: SshEndpoint,
  opts: SshOptions,
  secrets: Secrets,
): Promise<{ client: Client; release: () => void }> {
  if (!ep.jump) return { client: await openClient(ep, opts, secrets), release: () => undefined };
  const jep = ep.jump;
  const key = endpointKey(jep);
  let slot = jumpPool.get(key);
  if (!slot) {
    const created = {
      client: connectEndpoint(jep, opts, {}).then((r) => {
        r.client.on('close', () => {
          r.release();
          if (jumpPool.get(key) === created) jumpPool.delete(key);
        });
        r.client.on('error', () => undefined); // reported through each target's own failure
        return r.client;
      }),
      refs: 0,
    };
    created.client.catch(() => {
      if (jumpPool.get(key) === created) jumpPool.delete(key);
    });
    slot = created;
    jumpPool.set(key, slot);
  }
  slot.refs++;
  const s = slot;
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    s.refs--;
    if (s.refs === 0) {
      if (jumpPool.get(key) === s) jumpPool.delete(key);
      s.client.then((c) => c.end(), () => undefined);
    }
  };
  try {
    let jc: Client;
    try {
      jc = await s.client;
    } catch (e) {
      // Say it was the bastion that failed, not the node behind it.
      if (e instanceof InfraError) throw new InfraError(e.kind, `jump host for ${endpointLabel(ep)}: ${e.message}`);
      throw e;
    }
    const via = endpointLabel(jep);
    const stream = await forwardTo(jc, ep, via, opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    const client = await openClient(ep, opts, secrets, stream, via);
    return { client, release };
  } catch (e) {
    release();
    throw e;
  }
}

/** How long grading retries connect failures before a node is called unreachable (connectWithRetry). */
export const DEFAULT_CONNECT_RETRY_BUDGET_MS = 6_000;

/**
 * A failure at connect that a moment may cure: nothing listening yet (a VM still booting), a reset (sshd's
 * MaxStartups, a middlebox dropping a first connection). Never an auth failure or a host key mismatch (kinds
 * 'auth', 'hostkey-changed', 'hostkey-unknown': retrying those only hammers the node), nor a name that does not
 * resolve, nor a connect timeout: a silent host has had the whole --connect-timeout the instructor gave it, and
 * waiting for it again only doubles how long the class waits to hear it is unreachable.
 */
function retryableConnectError(e: unknown): e is InfraError {
  return e instanceof InfraError && e.kind === 'unreachable' && !/host name not found|connect timeout after/.test(e.message);
}

/**
 * connectEndpoint, retried with backoff (0.25 s doubling to 2 s, +-25 % jitter so a class of nodes does not
 * retry in step) while the failure is retryable and opts.connectRetryBudgetMs allows another wait; a retry's
 * connect timeout is cut to what is left of the budget, so the whole stays within budget + one timeout.
 */
async function connectWithRetry(
  ep: SshEndpoint,
  opts: SshOptions,
  secrets: Secrets,
): Promise<{ client: Client; release: () => void }> {
  const budget = opts.connectRetryBudgetMs ?? 0;
  const timeout = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const t0 = Date.now();
  for (let attempt = 1, delay = 250, o = opts; ; attempt++, delay = Math.min(delay * 2, 2_000)) {
    try {
      return await connectEndpoint(ep, o, secrets);
    } catch (e) {
      const wait = delay * (0.75 + Math.random() * 0.5);
      const left = budget - (Date.now() - t0) - wait;
      if (!retryableConnectError(e) || left < 500) {
        if (attempt > 1 && e instanceof InfraError)
          throw new InfraError(e.kind, `${e.message} (${attempt} attempts over ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        throw e;
      }
      await new Promise((r) => setTimeout(r, wait));
      o = { ...opts, connectTimeoutMs: Math.min(timeout, Math.max(1_000, left)) };
    }
  }
}

export class SshTransport implements Transport {
  readonly label: string;
  private client?: Client;
  private connecting?: Promise<void>;
  private releaseJump: () => void = () => undefined;
  private dead?: InfraError;
  private readonly sem: Semaphore;
  private readonly secrets: Secrets = {};
  private readonly pending = new Set<(e: InfraError) => void>();

  constructor(
    readonly endpoint: SshEndpoint,
    private readonly opts: SshOptions,
  ) {
    this.label = endpointLabel(endpoint);
    this.sem = new Semaphore(opts.maxChannels ?? DEFAULT_MAX_CHANNELS);
  }

  connect(): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    this.connecting ??= connectWithRetry(this.endpoint, this.opts, this.secrets).then(
      ({ client, release }) => {
        this.client = client;
        this.releaseJump = release;
        client.on('error', (err: Error) => {
          this.lost(new InfraError('unreachable', `${this.label}: connection lost: ${err.message}`));
        });
        client.on('close', () => {
          this.lost(new InfraError('unreachable', `${this.label}: connection closed`));
          this.releaseJump();
        });
      },
      (e: unknown) => {
        // The failure after connectWithRetry's bounded retries is the answer for every later call.
        this.dead = e instanceof InfraError ? e : new InfraError('protocol', `${this.label}: ${String(e)}`);
        throw this.dead;
      },
    );
    return this.connecting;
  }

  private lost(e: InfraError): void {
    this.dead ??= e;
    for (const p of this.pending) p(e);
    this.pending.clear();
  }

  async run(command: string, opts: RunOptions = {}): Promise<ExecResult> {
    await this.connect();
    const release = await this.sem.acquire();
    try {
      if (this.dead) throw this.dead;
      const timeoutMs = opts.timeoutMs ?? this.opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
      const remote = (this.opts.remoteTimeout ?? true) && timeoutMs > 0;
      const wire = wireCommand(command, {
        sudo: this.opts.sudo,
        remoteSecs: remote ? Math.ceil(timeoutMs / 1000) + 1 : undefined,
      });
      const r = await this.exec(wire, { ...opts, timeoutMs });
      if (this.opts.sudo) checkSudoRefusal(r, this.label);
      return r;
    } finally {
      release();
    }
  }

  private exec(command: string, opts: RunOptions): Promise<ExecResult> {
    const client = this.client;
    if (!client) return Promise.reject(new InfraError('protocol', `${this.label}: not connected`));
    const maxBytes = opts.maxBytes ?? this.opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const timeoutMs = opts.timeoutMs ?? this.opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;

    return new Promise<ExecResult>((resolve, reject) => {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let kept = 0;
      let truncated = false;
      let timedOut = false;
      let code: number | null = null;
      let done = false;
      let channel: ClientChannel | undefined;
      let timer: NodeJS.Timeout | undefined;
      let grace: NodeJS.Timeout | undefined;

      const finish = (): void => {
        if (done) return;
        done = true;
        this.pending.delete(onLost);
        if (timer) clearTimeout(timer);
        if (grace) clearTimeout(grace);
        const raw = { stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
        const res: ExecResult = {
          stdout: raw.stdout.toString('utf8'),
          stderr: raw.stderr.toString('utf8'),
          code: timedOut ? null : code,
        };
        withRaw(res, raw);
        if (truncated) res.truncated = true;
        if (timedOut) res.timedOut = true;
        resolve(res);
      };
      const onLost = (e: InfraError): void => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        if (grace) clearTimeout(grace);
        reject(e);
      };
      this.pending.add(onLost);

      /** Stop the remote command: KILL (OpenSSH >= 7.9 honours it) and close the channel. */
      const stop = (): void => {
        if (!channel) return;
        // ssh2's channel.signal() is a no-op once our side has sent EOF (it checks `writable`), and we
        // always send EOF right after exec so commands never wait on stdin. sshd does accept the request
        // after EOF (it killpg()s the session), so send it through the protocol object directly.
        const ch = channel as unknown as {
          outgoing?: { id: number; state: string };
          _client?: { _protocol?: { signal(id: number, sig: string): void } };
        };
        try {
          if (ch.outgoing && ['open', 'eof'].includes(ch.outgoing.state)) ch._client?._protocol?.signal(ch.outgoing.id, 'KILL');
        } catch {
          /* channel already closing */
        }
        channel.close();
        // A server that never confirms the close must not hold the caller: give it a moment, then go.
        grace ??= setTimeout(finish, 2_000);
      };

      const collect =
        (into: Buffer[]) =>
        (chunk: Buffer): void => {
          if (truncated || done) return; // past the cap: drop, do not buffer
          const room = maxBytes - kept;
          if (chunk.length > room) {
            if (room > 0) into.push(chunk.subarray(0, room));
            kept = maxBytes;
            truncated = true;
            stop();
            return;
          }
          into.push(chunk);
          kept += chunk.length;
        };

      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          timedOut = true;
          if (channel) return stop();
          // The server never answered the channel-open: nothing to stop, and ssh2 would wait forever.
          this.pending.delete(onLost);
          if (done) return;
          done = true;
          reject(new InfraError('timeout', `${this.label}: the server did not open a channel within ${timeoutMs / 1000} s`));
        }, timeoutMs);
      }

      client.exec(command, (e, ch) => {
        if (e) {
          if (timer) clearTimeout(timer);
          this.pending.delete(onLost);
          if (!done) {
            done = true;
            reject(new InfraError('protocol', `${this.label}: cannot open a channel: ${e.message}`));
          }
          return;
        }
        channel = ch;
        if (done) {
          ch.close();
          return;
        }
        if (timedOut) stop();
        ch.on('data', collect(out));
        ch.stderr.on('data', collect(err));
        ch.on('exit', (c: number | null) => {
          code = typeof c === 'number' ? c : null;
        });
        ch.on('close', finish);
        ch.on('error', () => undefined); // surfaced as close; a write after close must not crash
        if (opts.stdin !== undefined) ch.end(opts.stdin);
        else ch.end();
      });
    });
  }

  async close(): Promise<void> {
    const c = this.client;
    this.dead ??= new InfraError('protocol', `${this.label}: transport closed`);
    if (!c) {
      // Connecting: wait so the socket is not leaked, then close it.
      if (this.connecting) {
        await this.connecting.catch(() => undefined);
        if (this.client) return this.close();
      }
      return;
    }
    this.client = undefined;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2_000);
      c.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      c.end();
    });
  }
}
