// The lab's client key and the nodes' host keys. Both are kept across `lab down` (only `--purge` drops them)
// so a roster and known_hosts written once stay valid for the next `lab up`.
import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from './sys.ts';

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/** Makes an ed25519 key pair at `file` (+.pub) unless one is there. Returns the public key line. */
export async function ensureKey(file: string, comment: string): Promise<string> {
  if (!(await exists(file)) || !(await exists(`${file}.pub`))) {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.rm(file, { force: true });
    await fs.rm(`${file}.pub`, { force: true });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  }
  await fs.chmod(file, 0o600);
  return (await fs.readFile(`${file}.pub`, 'utf8')).trim();
}

/** "ssh-ed25519 AAAA... comment" -> "AAAA..." */
export function keyBlob(pubLine: string): string {
  const b = pubLine.trim().split(/\s+/)[1];
  if (!b) throw new Error(`not a public key line: ${pubLine.slice(0, 40)}`);
  return b;
}

/** "ssh-ed25519 AAAA..." without the comment, as known_hosts wants it. */
export function keyTypeAndBlob(pubLine: string): string {
  return pubLine.trim().split(/\s+/).slice(0, 2).join(' ');
}
