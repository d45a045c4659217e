/** Transport entry point: a roster node -> a connected-on-demand Transport. */
import type { NodeTarget } from '../roster/schema.ts';
import { defaultKnownHostsPath, type HostKeyMode } from './known-hosts.ts';
import { LocalTransport } from './local.ts';
import { DEFAULT_CONNECT_RETRY_BUDGET_MS, SshTransport, type SshOptions } from './ssh.ts';
import type { Transport } from './types.ts';

export { InfraError, type ExecResult, type InfraKind, type RunOptions, type SshEndpoint, type Transport } from './types.ts';
export { LocalTransport, type LocalOptions } from './local.ts';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_RETRY_BUDGET_MS,
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
  // a node that refuses or resets at connect (a VM still booting, a flaky link) gets a few seconds of retries
  const retry = Number(process.env.LABGRADE_CONNECT_RETRY_MS);
  return new SshTransport(target, {
    connectRetryBudgetMs: Number.isInteger(retry) && retry >= 0 ? retry : DEFAULT_CONNECT_RETRY_BUDGET_MS,
    ...opts,
    knownHosts: opts.knownHosts ?? target.knownHosts ?? defaultKnownHostsPath(),
    sudo: target.sudo,
  });
}
