import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

/** Write then rename in the same directory, so a reader (or a crash) never sees half a report. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A report that could not be built or written, and why. */
export interface ReportFailure {
  file: string;
  why: string;
}

/** Some reports failed; the others were written. Thrown after every report was tried. */
export class ReportsError extends Error {
  constructor(
    readonly failed: ReportFailure[],
    readonly written: string[],
  ) {
    super(failed.map((f) => `report not written: ${f.file}: ${f.why}`).join('\n'));
    this.name = 'ReportsError';
  }
}

/**
 * Builds and writes one report on its own: a report that fails (a RangeError building it, a full
 * disk) is recorded in `failed` and does not take the others with it.
 */
export async function writeOne(path: string, build: () => string, written: string[], failed: ReportFailure[]): Promise<void> {
  try {
    await writeFileAtomic(path, build());
    written.push(path);
  } catch (e) {
    failed.push({ file: path, why: `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`.slice(0, 500) });
  }
}
