/**
 * A probe reads one fact from a node: one bash snippet run as root, and a pure parser.
 * Probes never change the node.
 */
export interface ProbeOutput {
  stdout: string;
  stderr: string;
  /** exit status of the snippet */
  code: number;
}

export interface Probe<T> {
  /** unique per distinct command, e.g. `rpm:cri-o,kubelet`; used to run each command once per node */
  readonly key: string;
  /** bash snippet; must be read-only */
  readonly command: string;
  /** slow commands (podman, curl) get their own channel so they run concurrently with the batch */
  readonly heavy?: boolean;
  /** pure; throws ProbeParseError on output it does not recognise */
  parse(out: ProbeOutput): T;
}

export class ProbeParseError extends Error {
  constructor(
    readonly probeKey: string,
    message: string,
  ) {
    super(`${probeKey}: ${message}`);
    this.name = 'ProbeParseError';
  }
}
