/**
 * The project's own known_hosts file (OpenSSH format), checked from ssh2's `hostVerifier`.
 *
 * Why our own file and not ~/.ssh/known_hosts: a class of 90 freshly installed nodes would otherwise
 * flood the teacher's personal file, and a reinstalled node must be fixable without touching it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InfraError } from './types.ts';

export type HostKeyMode = 'tofu' | 'strict';

export interface KnownHostEntry {
  /** 1-based line number in the file, for "remove line N" advice */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** raw host field: comma-separated patterns, or a hashed `|1|salt|hash` */
  hosts: string;
  keyType: string;
  key: Buffer;
}

/** Default file: $LABGRADE_KNOWN_HOSTS, else ~/.config/labgrade/known_hosts. */
export function defaultKnownHostsPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.LABGRADE_KNOWN_HOSTS;
  if (fromEnv) return fromEnv;
  return path.join(os.homedir(), '.config', 'labgrade', 'known_hosts');
}

/** The name OpenSSH stores: `host` for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `SHA256:<base64 without padding>`, as `ssh-keygen -l` and OpenSSH's warnings print it. */
export function fingerprint(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').split('=')[0]!;
}

/** The algorithm name inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const n = key.readUInt32BE(0);
  if (n <= 0 || n > 64 || 4 + n > key.length) return 'unknown';
  return key.subarray(4, 4 + n).toString('latin1');
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else continue; // unknown marker: OpenSSH skips the line too
    }
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64) continue; // malformed line: skip, as OpenSSH does
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) continue;
    out.push({ line: i + 1, marker, hosts, keyType, key });
  }
  return out;
}

/** OpenSSH's match_pattern: `*` and `?` wildcards, case-insensitive for host names. */
function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
        .join('') +
      '$',
    'i',
  );
  return re.test(name);
}

/** Does a known_hosts host field match `name` (already in `host` / `[host]:port` form)? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    const want = Buffer.from(hash, 'base64');
    return want.length === mac.length && timingSafeEqual(mac, want);
  }
  // Comma-separated patterns; a matching negated pattern vetoes the line (OpenSSH match_hostname).
  let positive = false;
  for (const p of field.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) positive = true;
  }
  return positive;
}

export type Verdict =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown' }
  | { status: 'changed'; entries: KnownHostEntry[] }
  | { status: 'revoked'; entry: KnownHostEntry };

/** Compares a presented key with the entries for `name`. Pure. */
export function verifyKey(entries: KnownHostEntry[], name: string, key: Buffer): Verdict {
  const mine = entries.filter((e) => e.marker !== 'cert-authority' && hostFieldMatches(e.hosts, name));
  const revoked = mine.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = mine.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.key.equals(key));
  if (same) return { status: 'known', entry: same };
  // Any other key on file for this host counts as a change. ssh.ts restricts the negotiated host-key
  // algorithms to the known ones (as OpenSSH does), so "another type" means the known key is gone.
  if (plain.length > 0) return { status: 'changed', entries: plain };
  return { status: 'unknown' };
}

/** Key algorithms stored for `name`, mapped to what ssh2 should negotiate to get that same key back. */
export function knownAlgorithms(entries: KnownHostEntry[], name: string): string[] {
  const algos: string[] = [];
  for (const e of entries) {
    if (e.marker !== undefined || !hostFieldMatches(e.hosts, name)) continue;
    // An ssh-rsa key is presented under the rsa-sha2-* signature algorithms too.
    const list = e.keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [e.keyType];
    for (const a of list) if (!algos.includes(a)) algos.push(a);
  }
  return algos;
}

interface Cached {
  mtimeMs: number;
  size: number;
  entries: KnownHostEntry[];
}

/**
 * One known_hosts file. Reads are cached by mtime+size (cheap re-validation when 90 nodes connect);
 * appends go through one in-process queue plus a lock file, so parallel processes (shards) and parallel
 * connections never write duplicate or interleaved lines.
 */
export class KnownHostsFile {
  private cache?: Cached;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  entries(): KnownHostEntry[] {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    if (this.cache && this.cache.mtimeMs === st.mtimeMs && this.cache.size === st.size) return this.cache.entries;
    const entries = parseKnownHosts(fs.readFileSync(this.file, 'utf8'));
    this.cache = { mtimeMs: st.mtimeMs, size: st.size, entries };
    return entries;
  }

  /**
   * Checks `key` for host:port; in TOFU mode records an unknown key. Throws InfraError
   * ('hostkey-changed' | 'hostkey-unknown').
   */
  async check(host: string, port: number, key: Buffer, mode: HostKeyMode): Promise<void> {
    const name = knownHostsName(host, port);
    const v = verifyKey(this.entries(), name, key);
    if (v.status === 'known') return;
    if (v.status !== 'unknown') throw this.refusal(name, key, v);
    if (mode === 'strict') {
      throw new InfraError(
        'hostkey-unknown',
        `host key for ${name} is not in ${this.file} (strict mode): server offered ${keyTypeOf(key)} ${fingerprint(key)}. ` +
          `Verify it on the node (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and add it, or use TOFU mode.`,
      );
    }
    await this.append(name, key);
  }

  private refusal(name: string, key: Buffer, v: Verdict): InfraError {
    const seen = `${keyTypeOf(key)} ${fingerprint(key)}`;
    if (v.status === 'revoked') {
      return new InfraError(
        'hostkey-changed',
        `host key for ${name} is marked @revoked in ${this.file}:${v.entry.line}: server offered ${seen}. Connection refused.`,
      );
    }
    const lines = v.status === 'changed' ? v.entries.map((e) => e.line) : [];
    const where = lines.map((l) => `${this.file}:${l}`).join(', ');
    return new InfraError(
      'hostkey-changed',
      `HOST KEY CHANGED for ${name}: server offered ${seen}, but ${where} holds another key. ` +
        `If the node was reinstalled, remove line ${lines.join(', ')} of ${this.file} ` +
        `(ssh-keygen -R '${name}' -f ${this.file}) and run again; otherwise someone may be intercepting the connection.`,
    );
  }

  /** Appends `name keytype base64` unless an entry appeared meanwhile (another connection or process). */
  private append(name: string, key: Buffer): Promise<void> {
    const job = this.queue.then(() => this.appendLocked(name, key));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async appendLocked(name: string, key: Buffer): Promise<void> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const release = await acquireLock(this.file + '.lock');
    try {
      // Re-read under the lock: another process may have recorded this host since we looked.
      this.cache = undefined;
      const v = verifyKey(this.entries(), name, key);
      if (v.status === 'known') return;
      if (v.status !== 'unknown') throw this.refusal(name, key, v);
      let prefix = '';
      try {
        const st = fs.statSync(this.file);
        if (st.size > 0) {
          const fd = fs.openSync(this.file, 'r');
          try {
            const last = Buffer.alloc(1);
            fs.readSync(fd, last, 0, 1, st.size - 1);
            if (last[0] !== 0x0a) prefix = '\n'; // hand-edited file without a final newline
          } finally {
            fs.closeSync(fd);
          }
        }
      } catch {
        /* no file yet */
      }
      // One write(2) with O_APPEND: a reader never sees half a line.
      fs.appendFileSync(this.file, `${prefix}${name} ${keyTypeOf(key)} ${key.toString('base64')}\n`, { mode: 0o644 });
      this.cache = undefined;
    } finally {
      release();
    }
  }
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

/** A lock file created with O_EXCL; a lock older than 10 s is taken over (its holder died). */
async function acquireLock(lockPath: string): Promise<() => void> {
  const start = Date.now();
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => {
        try {
          fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        const st = fs.statSync(lockPath);
        if (Date.now() - st.mtimeMs > LOCK_STALE_MS) {
          fs.unlinkSync(lockPath);
          continue;
        }
      } catch {
        continue; // vanished between open and stat: retry at once
      }
      if (Date.now() - start > LOCK_WAIT_MS) {
        throw new InfraError('protocol', `cannot lock ${lockPath} (held by another labgrade for over 5 s)`);
      }
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }
}

const files = new Map<string, KnownHostsFile>();

/** One KnownHostsFile per path per process, so all connections share its write queue. */
export function knownHostsFile(file: string): KnownHostsFile {
  const abs = path.resolve(file);
  let f = files.get(abs);
  if (!f) {
    f = new KnownHostsFile(abs);
    files.set(abs, f);
  }
  return f;
}
