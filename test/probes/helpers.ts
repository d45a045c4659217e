/** Loads recorded outputs from fixtures/ and runs parsers on them. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Probe } from '../../src/probes/types.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

/** a fixture's content without its `# source:` line; JSON fixtures name theirs in a sibling .source file */
export function fixture(rel: string): string {
  const path = join(FIXTURES, rel);
  const text = readFileSync(path, 'utf8');
  if (text.startsWith('# source:')) return text.slice(text.indexOf('\n') + 1);
  if (!existsSync(`${path}.source`)) throw new Error(`fixture ${rel} names no source`);
  return text;
}

export function run<T>(probe: Probe<T>, stdout: string, stderr = '', code = 0): T {
  return probe.parse({ stdout, stderr, code });
}
