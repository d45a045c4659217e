// Network namespaces: one per node, plus one per student holding that student's course network (a bridge).
// Nothing here routes anywhere: course addresses exist only between these namespaces.
import fs from 'node:fs/promises';
import { isSlotNetns, NODE_NAMES, netnsPrefix, nodeIndex } from './paths.ts';
import { run } from './sys.ts';

/** Netns names that exist now and look like this slot's lab's (lg-s<i>-n<k>, lg-s<i>-sw for slot 0). */
export async function listLabNetns(): Promise<string[]> {
  const names = await fs.readdir('/run/netns').catch(() => [] as string[]);
  return names.filter((n) => isSlotNetns(n)).sort();
}

/**
 * Student i: netns lg-s<i>-sw with bridge br0; per node netns lg-s<i>-n<k> with lo up and eth1 (a veth whose
 * peer sits on br0) up without an address, like a fresh Rocky VM whose DHCP on eth1 got no lease.
 */
export async function createStudentNet(student: number): Promise<void> {
  const sw = `${netnsPrefix()}-s${student}-sw`;
  const nodes = NODE_NAMES.map((name) => ({ k: nodeIndex(name), ns: `${netnsPrefix()}-s${student}-n${nodeIndex(name)}` }));
  // Batches: process spawns dominate here (a 30-student class is 120 namespaces).
  await run('ip', ['-batch', '-'], { input: [sw, ...nodes.map((n) => n.ns)].map((n) => `netns add ${n}\n`).join('') });
  const swCmds = ['link set lo up', 'link add br0 type bridge', 'link set br0 up'];
  for (const n of nodes)
    swCmds.push(`link add port${n.k} type veth peer name eth1 netns ${n.ns}`, `link set port${n.k} master br0 up`);
  await run('ip', ['-n', sw, '-batch', '-'], { input: swCmds.join('\n') + '\n' });
  for (const n of nodes) await run('ip', ['-n', n.ns, '-batch', '-'], { input: 'link set lo up\nlink set eth1 up\n' });
}

/** Deletes a lab netns; its veths go with it. Missing is fine (down must be idempotent). */
export async function deleteNetns(name: string): Promise<void> {
  if (!isSlotNetns(name)) throw new Error(`refusing to delete netns ${name}: not a lab netns`);
  await run('ip', ['netns', 'del', name], { allowFail: true });
}
