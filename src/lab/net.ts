// Network namespaces: one per node, plus one per student holding that student's course network (a bridge).
// Nothing here routes anywhere: course addresses exist only between these namespaces.
import fs from 'node:fs/promises';
import { NETNS_RE, NODE_NAMES, nodeIndex } from './paths.ts';
import { run } from './sys.ts';

const ip = (args: string[]) => run('ip', args);

/** Netns names that exist now and look like the lab's (lg-s<i>-n<k>, lg-s<i>-sw). */
export async function listLabNetns(): Promise<string[]> {
  const names = await fs.readdir('/run/netns').catch(() => [] as string[]);
  return names.filter((n) => NETNS_RE.test(n)).sort();
}

/**
 * Student i: netns lg-s<i>-sw with bridge br0; per node netns lg-s<i>-n<k> with lo up and eth1 (a veth whose
 * peer sits on br0) up without an address, like a fresh Rocky VM whose DHCP on eth1 got no lease.
 */
export async function createStudentNet(student: number): Promise<void> {
  const sw = `lg-s${student}-sw`;
  await ip(['netns', 'add', sw]);
  await ip(['-n', sw, 'link', 'set', 'lo', 'up']);
  await ip(['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
  await ip(['-n', sw, 'link', 'set', 'br0', 'up']);
  for (const name of NODE_NAMES) {
    const k = nodeIndex(name);
    const ns = `lg-s${student}-n${k}`;
    await ip(['netns', 'add', ns]);
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    await ip(['-n', sw, 'link', 'add', `port${k}`, 'type', 'veth', 'peer', 'name', 'eth1', 'netns', ns]);
    await ip(['-n', sw, 'link', 'set', `port${k}`, 'master', 'br0', 'up']);
    await ip(['-n', ns, 'link', 'set', 'eth1', 'up']);
  }
}

/** Deletes a lab netns; its veths go with it. Missing is fine (down must be idempotent). */
export async function deleteNetns(name: string): Promise<void> {
  if (!NETNS_RE.test(name)) throw new Error(`refusing to delete netns ${name}: not a lab netns`);
  await run('ip', ['netns', 'del', name], { allowFail: true });
}
