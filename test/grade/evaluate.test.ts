import { describe, expect, it } from 'vitest';
import { check, type NodeContext } from '../../src/grade/course.ts';
import { gradeNode } from '../../src/grade/evaluate.ts';
import { ProbeParseError, type Probe } from '../../src/probes/types.ts';
import { LocalTransport } from '../../src/transport/local.ts';
import { InfraError, type Transport } from '../../src/transport/types.ts';

const ctx: NodeContext = {
  student: 's01',
  node: 'node1',
  eth1: '192.168.90.110/24',
  exerciseNode: 'node1',
  kubeYamlDir: '/root',
  eth1ByNode: { node1: '192.168.90.110/24' },
  hostnames: { node1: 'control1.example.com' },
  controlNode: 'node1',
  apiServer: '192.168.90.110:6443',
};
const echo = (v: string): Probe<string> => ({ key: `echo:${v}`, command: `echo ${v}`, parse: (o) => o.stdout.trim() });
const equals = (id: string, value: string, want: string, needs: string[] = []) =>
  check({
    id,
    title: { en: id, ko: id },
    scope: 'exercise',
    needs,
    probes: () => ({ v: echo(value) }),
    verdict: ({ v }) => ({ pass: v === want, found: v, expected: want, hint: { en: 'fix it', ko: '고치세요' } }),
  });

describe('gradeNode', () => {
  const local = () => new LocalTransport({ sudo: false });

  it('reports a failed prerequisite once: dependants are BLOCKED naming the root cause', async () => {
    const day = { day: 1, checks: [equals('a', 'x', 'y'), equals('b', 'y', 'y', ['a']), equals('c', 'z', 'z', ['b']), equals('d', 'z', 'z')] };
    const g = await gradeNode(local(), day, ctx, 'local');
    const by = Object.fromEntries(g.results.map((r) => [r.checkId, r]));
    expect(by.a).toMatchObject({ status: 'fail', found: 'x', expected: 'y', score: 0 });
    expect(by.b).toMatchObject({ status: 'blocked', blockedBy: 'a', score: 0 });
    expect(by.c).toMatchObject({ status: 'blocked', blockedBy: 'a' });
    expect(by.d).toMatchObject({ status: 'pass', score: 1 });
  });

  it('applies weights and scope', async () => {
    const day = { day: 1, checks: [equals('a', 'x', 'x'), { ...equals('e', 'x', 'x'), scope: 'exercise' as const }] };
    const g = await gradeNode(local(), day, { ...ctx, node: 'node2' }, 'local', { a: 3 });
    expect(g.results.map((r) => r.checkId)).toEqual([]);
    const g1 = await gradeNode(local(), day, ctx, 'local', { a: 3 });
    expect(g1.results.find((r) => r.checkId === 'a')).toMatchObject({ weight: 3, score: 3 });
  });

  it('marks every check ERROR with the reason when the node cannot be reached', async () => {
    const down: Transport = {
      label: 'down',
      connect: async () => {
        throw new InfraError('unreachable', 'connect ECONNREFUSED 127.0.0.9:22');
      },
      run: async () => {
        throw new Error('not reached');
      },
      close: async () => undefined,
    };
    const g = await gradeNode(down, { day: 1, checks: [equals('a', 'x', 'x'), equals('b', 'x', 'x', ['a'])] }, ctx, '127.0.0.9:22');
    expect(g.summary.infra).toEqual({ kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.9:22' });
    expect(g.results.map((r) => r.status)).toEqual(['error', 'error']);
  });
});

describe('gradeNode: hostile content stays the student\'s, and bounded', () => {
  const local = () => new LocalTransport({ sudo: false });
  const custom = (id: string, probe: Probe<unknown>, verdict: (v: unknown) => { pass: boolean; found: string; expected: string }) =>
    check({ id, title: { en: id, ko: id }, scope: 'all', needs: [], probes: () => ({ v: probe }), verdict: ({ v }) => verdict(v) });

  it('content no reader can make sense of is a FAIL naming it, not an ERROR', async () => {
    const bad: Probe<never> = {
      key: 'bad',
      command: 'true',
      parse: () => {
        throw new ProbeParseError('sysctl', 'unreadable /etc/sysctl.d/x.conf line 3');
      },
    };
    const g = await gradeNode(local(), { day: 1, checks: [custom('p', bad, () => ({ pass: true, found: '', expected: '' }))] }, ctx, 'local');
    expect(g.summary.infra).toBeUndefined();
    expect(g.results[0]).toMatchObject({ status: 'fail', score: 0 });
    expect(g.results[0]!.found).toContain('unreadable /etc/sysctl.d/x.conf line 3');
  });

  it('a 90k-line fact and a 3 MB found are cut with a visible marker, evidence stays small', async () => {
    const lines: Probe<string[]> = { key: 'lines', command: 'seq 90000', parse: (o) => o.stdout.split('\n') };
    const big = custom('big', lines, (v) => ({ pass: false, found: (v as string[]).join(','), expected: 'less' }));
    const huge: Probe<string> = { key: 'huge', command: 'head -c 3000000 /dev/zero | tr "\\0" y', parse: (o) => o.stdout };
    const h = custom('huge', huge, (v) => ({ pass: false, found: v as string, expected: 'less' }));
    const g = await gradeNode(local(), { day: 1, checks: [big, h] }, ctx, 'local');
    const [a, b] = g.results;
    expect(a!.found!.length).toBeLessThan(2100);
    expect(a!.found).toMatch(/… \(cut, \d+ more characters\)$/);
    expect(JSON.stringify(a!.evidence).length).toBeLessThanOrEqual(64 * 1024);
    expect(JSON.stringify(a!.evidence)).toContain('entries');
    expect(b!.found).toMatch(/\(cut, \d+ more characters\)$/);
    expect(JSON.stringify(b!.evidence).length).toBeLessThanOrEqual(64 * 1024);
  });
});
