/**
 * ~/.ssh/config support: the directives labgrade needs (HostName, User, Port, IdentityFile, ProxyJump)
 * resolved the way OpenSSH does (first value wins, Host * is just a pattern, IdentityFile accumulates),
 * using the `ssh-config` package's compute().
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SSHConfig from 'ssh-config';

export interface SshConfigHost {
  /** the name that was looked up */
  alias: string;
  /** HostName, or the alias itself */
  hostName: string;
  user?: string;
  port?: number;
  /** IdentityFile values in file order, ~ and tokens expanded */
  identityFiles: string[];
  /** raw ProxyJump value ("none" is reported as undefined) */
  proxyJump?: string;
}

export class SshConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshConfigError';
  }
}

/** The config file used when none is named: ~/.ssh/config, only when it exists. */
export function defaultSshConfigPath(): string | undefined {
  const p = path.join(os.homedir(), '.ssh', 'config');
  return fs.existsSync(p) ? p : undefined;
}

/** `~` / `~/x` -> home; a relative path resolves against `base` (when given). */
export function expandPath(p: string, base?: string): string {
  let out = p;
  if (out === '~') out = os.homedir();
  else if (out.startsWith('~/')) out = path.join(os.homedir(), out.slice(2));
  if (base !== undefined && !path.isAbsolute(out)) out = path.resolve(base, out);
  return out;
}

function localUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

/** OpenSSH percent tokens, the basic set: %% %d %h %n %p %r %u. Unknown tokens are left as they are. */
export function expandTokens(s: string, t: { host: string; alias: string; port: number; user: string }): string {
  return s.replace(/%([%dhnpru])/g, (_m, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'd':
        return os.homedir();
      case 'h':
        return t.host;
      case 'n':
        return t.alias;
      case 'p':
        return String(t.port);
      case 'r':
        return t.user;
      case 'u':
        return localUser();
      default:
        return _m;
    }
  });
}

const parsed = new Map<string, { mtimeMs: number; config: SSHConfig }>();

/** Parses (and caches) a config file. Throws SshConfigError when it cannot be read. */
export function loadSshConfig(file: string): SSHConfig {
  const abs = path.resolve(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new SshConfigError(`ssh config ${abs}: no such file`);
  }
  const hit = parsed.get(abs);
  if (hit && hit.mtimeMs === st.mtimeMs) return hit.config;
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(fs.readFileSync(abs, 'utf8'));
  } catch (e) {
    throw new SshConfigError(`ssh config ${abs}: ${(e as Error).message}`);
  }
  parsed.set(abs, { mtimeMs: st.mtimeMs, config });
  return config;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Resolves `alias` through a parsed config. `user`/`port` given by the caller (the roster) take part
 * in token expansion; they are not overridden here (the caller decides precedence).
 */
export function resolveSshHost(config: SSHConfig | undefined, alias: string): SshConfigHost {
  if (!config) return { alias, hostName: alias, identityFiles: [] };
  // matchExec: false, because a `Match exec` line would run a shell command just to load a roster.
  const c = config.compute(alias, { ignoreCase: true, matchExec: false });
  const hostNameRaw = first(c.hostname);
  const hostName = hostNameRaw ? expandTokens(hostNameRaw, { host: alias, alias, port: 22, user: '' }) : alias;
  const portRaw = first(c.port);
  let port: number | undefined;
  if (portRaw !== undefined) {
    port = Number(portRaw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new SshConfigError(`ssh config: Host ${alias}: bad Port '${portRaw}'`);
    }
  }
  const user = first(c.user);
  const ids = c.identityfile === undefined ? [] : Array.isArray(c.identityfile) ? c.identityfile : [c.identityfile];
  const tok = { host: hostName, alias, port: port ?? 22, user: user ?? '' };
  const identityFiles = ids.map((f) => expandPath(expandTokens(f, tok)));
  const pj = first(c.proxyjump);
  return {
    alias,
    hostName,
    user,
    port,
    identityFiles,
    proxyJump: pj && pj.toLowerCase() !== 'none' ? pj : undefined,
  };
}

export interface JumpSpec {
  user?: string;
  host: string;
  port?: number;
}

/** `[user@]host[:port]`, `[user@][v6addr]:port`, or `ssh://[user@]host[:port]` (one hop). */
export function parseJumpSpec(spec: string): JumpSpec {
  let s = spec.trim();
  if (s.startsWith('ssh://')) s = s.slice(6);
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let host = s;
  let portStr: string | undefined;
  const br = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (br) {
    host = br[1] ?? '';
    portStr = br[2];
  } else {
    const m = /^([^:]+):(\d+)$/.exec(s);
    if (m) {
      host = m[1] ?? '';
      portStr = m[2];
    }
  }
  if (host === '' || /[\s/]/.test(host)) throw new SshConfigError(`bad jump host '${spec}'`);
  let port: number | undefined;
  if (portStr !== undefined) {
    port = Number(portStr);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SshConfigError(`bad port in jump host '${spec}'`);
  }
  return { user, host, port };
}
