import { writeSync } from 'node:fs';
import { terminalSafe } from '../cli/out.ts';

export type ProgressMode = 'tty' | 'plain' | 'off';

/** Nodes done / total, failures so far, elapsed. One rewritten line on a terminal, plain lines otherwise. */
export class Progress {
  private done = 0;
  private failing = 0;
  private unreachable = 0;
  private readonly started = Date.now();
  private lastPlain = 0;

  constructor(
    private readonly total: number,
    private readonly mode: ProgressMode,
    private readonly label: string,
  ) {}

  static fromEnv(total: number, label: string): Progress {
    const env = process.env.LABGRADE_PROGRESS as ProgressMode | undefined;
    const mode: ProgressMode = env ?? (process.env.CI === 'true' || !process.stderr.isTTY ? 'plain' : 'tty');
    return new Progress(total, mode, label);
  }

  nodeDone(failedChecks: number, infra: boolean): void {
    this.done++;
    if (failedChecks > 0) this.failing++;
    if (infra) this.unreachable++;
    if (this.mode === 'off') return;
    // the label is ours today; it still goes through the same sanitiser as everything else printed
    const line = `${terminalSafe(this.label)}: ${this.done}/${this.total} nodes graded, ${this.failing} with failures, ${this.unreachable} not reachable, ${((Date.now() - this.started) / 1000).toFixed(1)} s`;
    if (this.mode === 'tty') {
      this.write(`\r\x1b[2K${line}${this.done === this.total ? '\n' : ''}`);
      return;
    }
    // Plain mode: about ten lines per run, and always the last.
    const step = Math.max(1, Math.ceil(this.total / 10));
    if (this.done === this.total || this.done - this.lastPlain >= step) {
      this.lastPlain = this.done;
      this.write(`${line}\n`);
    }
  }

  private write(s: string): void {
    try {
      writeSync(2, s);
    } catch {
      // progress is best effort: a closed stderr must not stop grading
    }
  }
}
