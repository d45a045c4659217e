import { describe, expect, it } from 'vitest';
import { classSummary } from '../../src/cli/print.ts';
import type { CheckResult, RunResults } from '../../src/grade/types.ts';

const NODES = ['node1', 'node2', 'node3'];

function run(failing: string[]): RunResults {
  const ids = ['d2.a', 'd2.b', 'd2.c', 'd2.d', 'd2.e', 'd2.f', 'd2.g', 'd2.h'];
  const results: CheckResult[] = ids.flatMap((id) =>
    NODES.map((node) => ({
      student: 's01',
      node,
      host: `127.77.1.${node.slice(4)}:22`,
      checkId: id,
      status: failing.includes(id) || (id === 'd2.h' && node === 'node2') ? 'fail' : 'pass',
      weight: 1,
      score: failing.includes(id) ? 0 : 1,
    })),
  );
  return {
    schema: 'labgrade/results@1',
    day: 2,
    startedAt: '2026-11-29T00:00:00Z',
    finishedAt: '2026-11-29T00:00:01Z',
    checks: ids.map((id) => ({ id, day: 2, title: { en: id, ko: id }, scope: 'all', weight: 1, needs: [] })),
    students: [{ id: 's01', name: 'S', nodes: NODES.map((name, k) => ({ name, host: `127.77.1.${k + 1}:22` })) }],
    results,
  };
}

describe('classSummary', () => {
  it('lists each failed check once with the nodes it failed on', () => {
    const line = classSummary(run(['d2.a']), 1).split('\n')[1]!;
    expect(line).toMatch(/failed: d2\.a@node1,node2,node3 d2\.h@node2$/);
  });

  it('cuts a long list and says how many more (the reports hold them all)', () => {
    const line = classSummary(run(['d2.a', 'd2.b', 'd2.c', 'd2.d', 'd2.e', 'd2.f', 'd2.g']), 1).split('\n')[1]!;
    expect(line).toContain('failed: d2.a@node1,node2,node3 d2.b@node1,node2,node3');
    expect(line).toMatch(/d2\.e@node1,node2,node3 \+3 more$/);
    expect(line).not.toContain('d2.f@');
  });

  it('names a cluster check alone: it is one item per student, whatever node graded it', () => {
    const r = run([]);
    r.checks.push({ id: 'd3.nodes-ready', day: 3, title: { en: 'x', ko: 'x' }, scope: 'cluster', weight: 1, needs: [] });
    r.results.push({ student: 's01', node: 'node1', host: 'h', checkId: 'd3.nodes-ready', status: 'fail', weight: 1, score: 0 });
    expect(classSummary(r, 1).split('\n')[1]).toMatch(/failed: d2\.h@node2 d3\.nodes-ready$/);
  });
});
