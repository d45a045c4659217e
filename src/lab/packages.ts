// PLACEHOLDER owned by standins engineer: replaced by the metadata-only rpm repo builder.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export async function buildRpmRepo(_outDir: string): Promise<void> {}

export async function initRpmDb(dbDir: string, _sharedRepo: string): Promise<void> {
  await promisify(execFile)('rpm', ['--dbpath', dbDir, '--initdb']);
}
