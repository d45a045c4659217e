// PLACEHOLDER owned by standins engineer: replaced by the real fresh-node files (registries.conf, fstab, ...).
import fs from 'node:fs/promises';
import path from 'node:path';

export async function provisionFresh(
  etcUpper: string,
  _rootHome: string,
  node: { student: string; name: 'node1' | 'node2' | 'node3'; index: 1 | 2 | 3 },
): Promise<void> {
  await fs.writeFile(path.join(etcUpper, 'hostname'), `${node.name}\n`);
  await fs.mkdir(path.join(etcUpper, 'rpm'), { recursive: true });
  await fs.writeFile(path.join(etcUpper, 'rpm', 'macros.dbpath'), '%_dbpath /var/lib/rpm\n');
}
