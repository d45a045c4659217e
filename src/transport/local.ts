/**
 * Local transport (`--local`): the node is this machine. Same contract as SshTransport: bash -c,
 * a combined stdout+stderr cap, a per-command timeout that reports instead of throwing.
 */
import * as os from 'node:os';
import { execa } from 'execa';
import { checkSudoRefusal, DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_MAX_BYTES, sudoWrap } from './ssh.ts';
import { withRaw, type ExecResult, type RunOptions, type Transport } from './types.ts';

export interface LocalOptions {
  /** default: sudo when not running as root */
  sudo?: boolean;
  commandTimeoutMs?: number;
  maxBytes?: number;
}

export class LocalTransport implements Transport {
  readonly label = 'local';
  private readonly sudo: boolean;

  constructor(private readonly opts: LocalOptions = {}) {
    this.sudo = opts.sudo ?? os.userInfo().uid !== 0;
  }

  async connect(): Promise<void> {}

  async close(): Promise<void> {}

  async run(command: string, opts: RunOptions = {}): Promise<ExecResult> {
    const maxBytes = opts.maxBytes ?? this.opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const timeoutMs = opts.timeoutMs ?? this.opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const wire = this.sudo ? sudoWrap(command) : command;
    // Own process group, so a timeout kills the whole pipeline, not just bash (children would keep
    // the pipes open and the run would never end).
    const child = execa('bash', ['-c', wire], {
      buffer: false,
      reject: false,
      detached: true,
      stdin: opts.stdin !== undefined ? 'pipe' : 'ignore',
      stripFinalNewline: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    let timedOut = false;
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const collect =
      (into: Buffer[]) =>
      (chunk: Buffer): void => {
        if (truncated) return;
        const room = maxBytes - kept;
        if (chunk.length > room) {
          if (room > 0) into.push(chunk.subarray(0, room));
          kept = maxBytes;
          truncated = true;
          killGroup();
          return;
        }
        into.push(chunk);
        kept += chunk.length;
      };
    child.stdout?.on('data', collect(out));
    child.stderr?.on('data', collect(err));
    if (opts.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE when the command exits without reading
      child.stdin.end(opts.stdin);
    }
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            killGroup();
          }, timeoutMs)
        : undefined;
    const r = await child;
    if (timer) clearTimeout(timer);
    const raw = { stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
    const res: ExecResult = {
      stdout: raw.stdout.toString('utf8'),
      stderr: raw.stderr.toString('utf8'),
      code: timedOut || truncated || r.exitCode === undefined ? null : r.exitCode,
    };
    withRaw(res, raw);
    if (truncated) res.truncated = true;
    if (timedOut) res.timedOut = true;
    if (this.sudo) checkSudoRefusal(res, `local user ${os.userInfo().username}`);
    return res;
  }
}
