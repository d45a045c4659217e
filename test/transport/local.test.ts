import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LocalTransport } from '../../src/transport/local.ts';
import { sudoWrap, wireCommand } from '../../src/transport/ssh.ts';

describe('LocalTransport', () => {
  const t = new LocalTransport({ sudo: false });

  it('runs bash -c: stdout, stderr, exit code, stdin', async () => {
    expect(await t.run('echo out; echo err >&2; exit 4')).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 4 });
    expect(await t.run('bash -s', { stdin: 'echo $((2+3))\n' })).toEqual({ stdout: '5\n', stderr: '', code: 0 });
  });

  it('times out and kills the whole process group', { timeout: 30_000 }, async () => {
    const start = Date.now();
    const r = await t.run('sleep 30.4242 | cat; echo never', { timeoutMs: 300 });
    expect(r).toEqual({ stdout: '', stderr: '', code: null, timedOut: true });
    expect(Date.now() - start).toBeLessThan(15_000); // generous: the point is not waiting the 30 s
    // the pipeline's sleep is gone too (the group was killed), polled with a bound rather than slept
    const alive = () => spawnSync('pgrep', ['-f', 'sleep 30.4242']).status === 0;
    for (let i = 0; i < 100 && alive(); i++) await new Promise((res) => setTimeout(res, 50));
    expect(alive()).toBe(false);
  });

  it('caps output at maxBytes (stdout+stderr) and stops the command', async () => {
    const r = await t.run('yes', { maxBytes: 4096 });
    expect(r.truncated).toBe(true);
    expect(r.code).toBeNull();
    expect(r.stdout.length).toBe(4096);
  });
});

describe('command wrapping', () => {
  it('quotes for sudo -n and the remote timeout', () => {
    expect(sudoWrap(`echo "it's"`)).toBe(`sudo -n -- bash -c 'echo "it'\\''s"'`);
    expect(wireCommand('id', {})).toBe('id');
    expect(wireCommand('id', { remoteSecs: 5 })).toBe(`timeout -s KILL 5 bash -c 'id'`);
    expect(wireCommand('id', { sudo: true, remoteSecs: 5 })).toBe(`sudo -n -- timeout -s KILL 5 bash -c 'id'`);
    expect(wireCommand('id', { sudo: true })).toBe(`sudo -n -- bash -c 'id'`);
  });
});
