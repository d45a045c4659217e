// Small system helpers for the lab: running host commands, bounded parallelism, /proc inspection.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export class CommandError extends Error {
  constructor(
    readonly cmd: string,
    readonly result: RunResult,
  ) {
    super(`${cmd} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(0, 2000)}`);
    this.name = 'CommandError';
  }
}

/** Runs a host command without a shell. Throws CommandError on a non-zero exit unless `allowFail`. */
export function run(
  file: string,
  args: string[],
  opts: { input?: string; allowFail?: boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        const res = { stdout: String(stdout), stderr: String(stderr), code };
        if (code !== 0 && !opts.allowFail) reject(new CommandError([file, ...args].join(' '), res));
        else resolve(res);
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Runs fn over items with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const errors: unknown[] = [];
  async function worker(): Promise<void> {
    while (next < items.length && errors.length === 0) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (e) {
        errors.push(e);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (errors.length) throw errors[0];
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** State letter from /proc/PID/stat, or null when the process is gone. Z counts as gone (PID 1 here does not reap). */
export async function procState(pid: number): Promise<string | null> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

export async function isAlive(pid: number | undefined): Promise<boolean> {
  if (!pid) return false;
  const s = await procState(pid);
  return s !== null && s !== 'Z' && s !== 'X';
}

export async function cmdline(pid: number): Promise<string> {
  try {
    return (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

export async function listPids(): Promise<number[]> {
  return (await fs.readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number);
}

export async function childrenOf(pid: number): Promise<number[]> {
  try {
    const tasks = await fs.readdir(`/proc/${pid}/task`);
    const kids: number[] = [];
    for (const t of tasks) {
      const c = await fs.readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => '');
      kids.push(...c.split(/\s+/).filter(Boolean).map(Number));
    }
    return kids;
  } catch {
    return [];
  }
}

/** Resident memory of a process in KiB (VmRSS), 0 when gone. */
export async function rssKiB(pid: number): Promise<number> {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(await fs.readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Namespace identity ("net:[4026532]") of a process or an nsfs file, null when unreadable. */
export async function nsId(pathToNs: string): Promise<string | null> {
  try {
    const st = await fs.stat(pathToNs);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

export function killQuiet(pid: number, sig: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/** Waits until every pid is gone or a zombie. */
export async function waitGone(pids: number[], timeoutMs = 10_000): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  let left = pids;
  while (left.length && Date.now() < end) {
    const alive = await Promise.all(left.map(isAlive));
    left = left.filter((_, i) => alive[i]);
    if (left.length) await sleep(50);
  }
  return left;
}

/** Starts a long-lived daemon detached from this process group, output appended to a log file. */
export async function spawnDaemon(file: string, args: string[], logFile: string): Promise<number> {
  const fh = await fs.open(logFile, 'a');
  try {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', fh.fd, fh.fd] });
    child.unref();
    if (!child.pid) throw new Error(`could not start ${file}`);
    // Node reaps it if we are still running when it dies; otherwise it becomes PID 1's (unreaped) child.
    child.on('error', () => undefined);
    return child.pid;
  } finally {
    await fh.close();
  }
}
