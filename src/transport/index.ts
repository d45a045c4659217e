/** Transport entry point: a roster node -> a connected-on-demand Transport. */
import type { NodeTarget } from '../roster/schema.ts';
import { defaultKnownHostsPath, type HostKeyMode } from './known-hosts.ts';
import { LocalTransport } from './local.ts';
import { SshTransport, type SshOptions } from './ssh.ts';
import type { Transport } from './types.ts';

export { InfraError, type ExecResult, type InfraKind, type RunOptions, type SshEndpoint, type Transport } from './types.ts';
export { LocalTransport, type LocalOptions } from './local.ts';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_CHANNELS,
  requireComplete,
  requireNotTimedOut,
  SshTransport,
  type SshOptions,
} from './ssh.ts';
export { defaultKnownHostsPath, fingerprint, type HostKeyMode } from './known-hosts.ts';

export interface OpenOptions extends Partial<Omit<SshOptions, 'knownHosts' | 'sudo'>> {
  /** run on this machine instead (--local); the target only names the node */
  local?: boolean;
  hostKeyMode?: HostKeyMode;
  /** overrides the roster's known_hosts file */
  knownHosts?: string;
}

/** Does not connect: the first run() (or connect()) does, so opening 90 transports is free. */
export function openTransport(target: NodeTarget, opts: OpenOptions = {}): Transport {
  if (opts.local) {
    return new LocalTransport({ commandTimeoutMs: opts.commandTimeoutMs, maxBytes: opts.maxBytes });
  }
  return new SshTransport(target, {
    ...opts,
    knownHosts: opts.knownHosts ?? target.knownHosts ?? defaultKnownHostsPath(),
    sudo: target.sudo,
  });
}
