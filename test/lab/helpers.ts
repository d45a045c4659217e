// Shared by the lab integration tests: a lab dir apart from a developer's own .lab, and host-side checks.
import fs from 'node:fs/promises';
import path from 'node:path';
import { defaultLabDir, isSlotNetns } from '../../src/lab/paths.ts';

export const TEST_LAB_DIR = path.join(defaultLabDir(), 'test');

/** Live (not zombie) pids whose pid namespace is `nsLink` (readlink of /proc/PID/ns/pid). */
export async function pidsInPidNs(nsLink: string): Promise<number[]> {
  const out: number[] = [];
  for (const d of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const l = await fs.readlink(`/proc/${d}/ns/pid`).catch(() => '');
    if (l !== nsLink) continue;
    const stat = await fs.readFile(`/proc/${d}/stat`, 'utf8').catch(() => '');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state && state !== 'Z') out.push(Number(d));
  }
  return out;
}

export async function mountsUnder(dir: string): Promise<string[]> {
  return (await fs.readFile('/proc/self/mountinfo', 'utf8'))
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(`${dir}/`) || m === dir);
}

/** This slot's lab netns (the tests run in their own LABGRADE_LAB_SLOT, see vitest.config.ts). */
export async function labNetns(): Promise<string[]> {
  return (await fs.readdir('/run/netns').catch(() => [] as string[])).filter((n) => isSlotNetns(n));
}
