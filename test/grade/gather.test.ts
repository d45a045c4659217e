import { describe, expect, it } from 'vitest';
import { buildScript, gather, splitFrames } from '../../src/grade/gather.ts';
import type { Probe } from '../../src/probes/types.ts';
import { LocalTransport } from '../../src/transport/local.ts';

const raw = (key: string, command: string, heavy = false): Probe<{ stdout: string; stderr: string; code: number }> => ({
  key,
  command,
  heavy,
  parse: (o) => o,
});

describe('gather (framed batch over one channel, real bash)', () => {
  const t = new LocalTransport({ sudo: false });

  it('splits stdout, stderr and exit code per probe, byte for byte', async () => {
    const probes = [
      raw('a', "printf 'one\\ntwo'"),
      raw('b', 'echo out; echo err >&2; exit 3'),
      raw('c', "printf 'ends with newline\\n\\n'"),
      raw('d', 'true'),
      raw('e', 'echo heavy', true),
    ];
    const out = await gather(t, probes);
    const v = (k: string) => {
      const o = out.get(k);
      if (!o?.ok) throw new Error(`${k} failed: ${JSON.stringify(o)}`);
      return o.value as { stdout: string; stderr: string; code: number };
    };
    expect(v('a')).toEqual({ stdout: 'one\ntwo', stderr: '', code: 0 });
    expect(v('b')).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 3 });
    expect(v('c').stdout).toBe('ends with newline\n\n');
    expect(v('d')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(v('e').stdout).toBe('heavy\n');
  });

  it('does not let a probe read the script from stdin, and survives `exit` in a probe', async () => {
    const out = await gather(t, [raw('cat', 'cat; echo done'), raw('exit', 'exit 7'), raw('after', 'echo still here')]);
    expect(out.get('cat')).toMatchObject({ ok: true, value: { stdout: 'done\n' } });
    expect(out.get('exit')).toMatchObject({ ok: true, value: { code: 7 } });
    expect(out.get('after')).toMatchObject({ ok: true, value: { stdout: 'still here\n' } });
  });

  it('runs a probe once when several checks ask for the same key', async () => {
    const p = raw('same', 'echo x');
    const script = buildScript([p], 'n0nce', 100);
    expect(script.match(/__lg 0 /g)).toHaveLength(1);
    const out = await gather(t, [p, p, raw('same', 'echo x')]);
    expect(out.size).toBe(1);
  });

  it('caps one probe on the node without losing the others', async () => {
    const out = await gather(t, [raw('big', 'yes | head -c 5000000'), raw('small', 'echo ok')], { probeMaxBytes: 1000 });
    expect(out.get('big')).toMatchObject({ ok: false, kind: 'output-cap' });
    expect(out.get('small')).toMatchObject({ ok: true, value: { stdout: 'ok\n' } });
  });

  it('reports a hang as a timeout for the probes that did not finish, keeping those that did', async () => {
    const out = await gather(t, [raw('quick', 'echo fast'), raw('hang', 'sleep 30')], { timeoutMs: 500 });
    expect(out.get('quick')).toMatchObject({ ok: true });
    expect(out.get('hang')).toMatchObject({ ok: false, kind: 'timeout' });
  });

  it('turns a parser exception into a parse outcome, not a crash', async () => {
    const bad: Probe<never> = { key: 'bad', command: 'echo garbage', parse: () => { throw new Error('unrecognised'); } };
    const out = await gather(t, [bad]);
    expect(out.get('bad')).toMatchObject({ ok: false, kind: 'parse', message: 'unrecognised' });
  });

  it('counts a probe\'s bytes as the node sent them: 1.5 MB of 0xFF is under a 4 MB cap (not 4.5 MB of U+FFFD)', async () => {
    const out = await gather(t, [raw('ff', "head -c 1500000 /dev/zero | tr '\\0' '\\377'")]);
    const o = out.get('ff');
    expect(o?.ok, JSON.stringify(o).slice(0, 200)).toBe(true);
    const r = o as { raw: { stdout: string }; value: { stdout: string }; cuts: string[] };
    expect(r.raw.stdout === '\uFFFD'.repeat(1500000)).toBe(true);
    // the parsed fact is held to the per-probe limit, and says so
    expect(r.value.stdout.length).toBeLessThan(70_000);
    expect(r.cuts).toEqual(['stdout: 1434464 characters']);
  });

  it('decodes a multi-byte character split across reads and NUL bytes as they are', async () => {
    // 한 = ED 95 9C: written in two pieces with a pause, so they arrive in separate reads
    const out = await gather(t, [raw('split', "printf 'a\\355'; sleep 0.2; printf '\\225\\234b\\0c'")]);
    expect(out.get('split')).toMatchObject({ ok: true, value: { stdout: 'a한b\0c' } });
  });

  it('caps a probe at 100k lines too: 2M short lines would take seconds of the one event loop to parse', async () => {
    const out = await gather(t, [raw('lines', 'yes x | head -n 2000000'), raw('ok', 'echo ok')]);
    expect(out.get('lines')).toMatchObject({ ok: false, kind: 'output-cap', message: expect.stringContaining('100000 lines') });
    expect(out.get('ok')).toMatchObject({ ok: true });
  });

  it('ignores marker look-alikes with another nonce', () => {
    const frames = splitFrames('\n\x1eabc BEGIN 0\nx\n\x1eother END 0 1\ny\n\x1eabc END 0 0\n', 'abc');
    expect(frames.get(0)).toEqual({ body: 'x\n\x1eother END 0 1\ny', code: 0 });
  });
});
