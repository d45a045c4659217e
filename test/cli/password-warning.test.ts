import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'lg-pwwarn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process against a node that refuses connections (127.0.0.1 port 1), capturing stderr. */
async function grade(env: Record<string, string>, roster: string): Promise<{ code: number; stderr: string }> {
  const file = join(dir, `roster-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, roster);
  const old = { ...process.env };
  // (no connect retries: the refused port answers at once, the warning is what is tested)
  Object.assign(process.env, { LABGRADE_PROGRESS: 'off', LABGRADE_KNOWN_HOSTS: join(dir, 'known_hosts'), LABGRADE_CONNECT_RETRY_MS: '0' }, env);
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (chunks.push(String(s)), true));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await main(['node', 'labgrade', 'grade', '--day', '1', '--roster', file, '--reports', join(dir, 'reports'), '--connect-timeout', '2']);
    return { code, stderr: chunks.join('') };
  } finally {
    spy.mockRestore();
    out.mockRestore();
    process.env = old;
    process.exitCode = undefined;
  }
}

const ROSTER = (extra = '') => `lab: { exerciseNode: node1 }\nstudents:\n  - id: s01\n    nodes:\n      node1: { host: 127.0.0.1, port: 1${extra} }\n`;

describe('password authentication is announced before anything connects', () => {
  it('LABGRADE_SSH_PASSWORD: one warning naming the risk and the docs', async () => {
    const r = await grade({ LABGRADE_SSH_PASSWORD: 'pw-3f9a' }, ROSTER());
    expect(r.stderr.match(/warning: password authentication/g)).toHaveLength(1);
    expect(r.stderr).toContain('docs/threat-model.md');
    expect(r.stderr).not.toContain('pw-3f9a'); // never the password itself
  });

  it('a per-node passwordEnv that is set: the same warning; keys only: none', async () => {
    const r = await grade({ S01_PW: 'secret-7' }, ROSTER(', passwordEnv: S01_PW'));
    expect(r.stderr).toMatch(/warning: password authentication/);
    expect(r.stderr).not.toContain('secret-7');
    const k = await grade({ LABGRADE_SSH_PASSWORD: '' }, ROSTER());
    expect(k.stderr).not.toMatch(/warning: password/);
  });
});
