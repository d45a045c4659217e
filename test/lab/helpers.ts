// Shared by the lab integration tests: a lab dir apart from a developer's own .lab, and host-side checks.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isSlotNetns, labSlot, REPO_ROOT, resolveLabDir } from '../../src/lab/paths.ts';

/**
 * The tests' lab dir: beside, never inside, the developer's default lab dir (a `lab down` of the tests must not
 * touch a class the developer has up, nor its files), one per clone and slot, and short: podman's --runroot
 * limits a lab dir to 27 characters (src/lab/paths.ts MAX_LAB_DIR), `${TEST_LAB_DIR}2` included.
 * All int files share it (they run one at a time), so its shared/ caches (rpm repo, image) are built once.
 */
export const TEST_LAB_DIR = resolveLabDir(
  path.join('/var/lib/lg', `${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 6)}-t${labSlot()}`),
);
resolveLabDir(`${TEST_LAB_DIR}2`);

/** Live (not zombie) pids whose pid namespace is `nsLink` (readlink of /proc/PID/ns/pid). */
export async function pidsInPidNs(nsLink: string): Promise<number[]> {
  return pidsInNs('pid', nsLink);
}

/** Live (not zombie) pids whose `kind` namespace is `nsLink` (readlink of /proc/PID/ns/<kind>). */
export async function pidsInNs(kind: 'pid' | 'mnt', nsLink: string): Promise<number[]> {
  const out: number[] = [];
  for (const d of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const l = await fs.readlink(`/proc/${d}/ns/${kind}`).catch(() => '');
    if (l !== nsLink) continue;
    const stat = await fs.readFile(`/proc/${d}/stat`, 'utf8').catch(() => '');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state && state !== 'Z') out.push(Number(d));
  }
  return out;
}

/** Mount points under `dir` in the mount namespace of `pid` (default: this process's). */
export async function mountsUnder(dir: string, pid: number | 'self' = 'self'): Promise<string[]> {
  return (await fs.readFile(`/proc/${pid}/mountinfo`, 'utf8'))
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(`${dir}/`) || m === dir);
}

/** mountinfo lines of `pid`'s mount namespace that mention `text` (a mount's source, root or options). */
export async function mountLinesWith(pid: number, text: string): Promise<string[]> {
  return (await fs.readFile(`/proc/${pid}/mountinfo`, 'utf8')).split('\n').filter((l) => l.includes(text));
}

/** This slot's lab netns (the tests run in their own LABGRADE_LAB_SLOT, see vitest.config.ts). */
export async function labNetns(): Promise<string[]> {
  return (await fs.readdir('/run/netns').catch(() => [] as string[])).filter((n) => isSlotNetns(n));
}
