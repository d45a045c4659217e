/** What a node-side command produced. `code` is null when the command was killed or never finished. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
  /** the output cap was hit: stdout/stderr hold only the first bytes */
  truncated?: boolean;
  /** the per-command timeout fired before the command ended */
  timedOut?: boolean;
  /** the bytes as they came (stdout/stderr above are their UTF-8 decoding): byte caps count these */
  raw?: { stdout: Buffer; stderr: Buffer };
}

export interface RunOptions {
  /** text written to the command's stdin, then closed */
  stdin?: string;
  /** per-command timeout in ms */
  timeoutMs?: number;
  /** cap on stdout+stderr bytes kept; the channel is closed past it */
  maxBytes?: number;
}

/** Attaches the raw bytes, not enumerable: results stay comparable and printable as plain text. */
export function withRaw(r: ExecResult, raw: { stdout: Buffer; stderr: Buffer }): ExecResult {
  Object.defineProperty(r, 'raw', { value: raw, enumerable: false, writable: true, configurable: true });
  return r;
}

/** One node, one connection: ssh2 over SSH, or execa for --local. */
export interface Transport {
  /** e.g. "root@127.77.1.1:22" or "local" */
  readonly label: string;
  /** Connects (idempotent). Throws InfraError. */
  connect(): Promise<void>;
  /** Runs a command line through the login user's shell (with `sudo -n` when configured). */
  run(command: string, opts?: RunOptions): Promise<ExecResult>;
  close(): Promise<void>;
}

/** Why a node could not be graded. These are never the student's fault. */
export type InfraKind =
  | 'unreachable' // DNS, refused, no route, connect timeout
  | 'auth' // every offered credential refused
  | 'hostkey-changed' // known_hosts has another key for this host
  | 'hostkey-unknown' // strict mode and no known key
  | 'timeout' // a command did not finish in time
  | 'sudo' // sudo -n refused (password required)
  | 'output-cap' // a command printed more than the cap
  | 'protocol'; // anything else on the wire

export class InfraError extends Error {
  constructor(
    readonly kind: InfraKind,
    message: string,
  ) {
    super(message);
    this.name = 'InfraError';
  }
}

/**
 * Where to SSH to, fully resolved (roster defaults, per-node overrides and ~/.ssh/config applied).
 * Added for the transport; the roster's NodeTarget extends it.
 */
export interface SshEndpoint {
  /** the name as written in the roster (may be an ssh_config alias) */
  alias: string;
  /** the address or DNS name actually connected to (ssh_config HostName, else alias) */
  host: string;
  port: number;
  user: string;
  /** private key files to offer, in order (roster identity first, then ssh_config IdentityFile) */
  identities: string[];
  /** environment variable holding this node's SSH password (roster `passwordEnv`); the roster never holds the secret */
  passwordEnv?: string;
  /** the hop to go through (ProxyJump); itself may have a jump (multi-hop) */
  jump?: SshEndpoint;
}
