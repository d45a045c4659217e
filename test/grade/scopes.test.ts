/** Days 3-5's check language: placement on named nodes, cluster checks, prerequisites across days. */
import { describe, expect, it } from 'vitest';
import { appliesTo, check, k8sName, workersOf, type NodeContext } from '../../src/grade/course.ts';
import { gradeNode } from '../../src/grade/evaluate.ts';
import type { CheckResult, RunResults, Scope } from '../../src/grade/types.ts';
import type { Probe } from '../../src/probes/types.ts';
import { buildGrid } from '../../src/report/model.ts';
import { toGradesCsv } from '../../src/report/csv.ts';
import { LocalTransport } from '../../src/transport/local.ts';

const ctx = (node: string): NodeContext => ({
  student: 's01',
  node,
  eth1: '',
  exerciseNode: 'node1',
  kubeYamlDir: '/root',
  eth1ByNode: { node1: '192.168.90.110/24', node2: '192.168.90.120/24', node3: '192.168.90.130/24' },
  hostnames: { node1: 'control1.example.com', node2: 'worker1.example.com', node3: 'worker2.example.com' },
  controlNode: 'node1',
  apiServer: '192.168.90.110:6443',
});
const echo = (v: string): Probe<string> => ({ key: `echo:${v}`, command: `echo ${v}`, parse: (o) => o.stdout.trim() });
const equals = (id: string, scope: Scope, value: string, want: string, needs: string[] = []) =>
  check({
    id,
    title: { en: id, ko: id },
    scope,
    needs,
    probes: () => ({ v: echo(value) }),
    verdict: ({ v }) => ({ pass: v === want, found: v, expected: want, hint: { en: 'fix it', ko: '고치세요' } }),
  });

describe('placement', () => {
  it('control and cluster checks run on the control node only, workers checks on the others', () => {
    const where = (scope: Scope) => ['node1', 'node2', 'node3'].filter((n) => appliesTo(equals('x', scope, '', ''), n, ctx(n)));
    expect(where('all')).toEqual(['node1', 'node2', 'node3']);
    expect(where('control')).toEqual(['node1']);
    expect(where('cluster')).toEqual(['node1']);
    expect(where('workers')).toEqual(['node2', 'node3']);
    expect(where('exercise')).toEqual(['node1']);
    // a roster whose control node is node3
    const c3 = (n: string) => ({ ...ctx(n), controlNode: 'node3' });
    expect(['node1', 'node2', 'node3'].filter((n) => appliesTo(equals('x', 'workers', '', ''), n, c3(n)))).toEqual(['node1', 'node2']);
    expect(workersOf(ctx('node1'))).toEqual(['node2', 'node3']);
    expect(k8sName(ctx('node2'))).toBe('worker1.example.com');
  });
});

describe('prerequisites across days', () => {
  const local = () => new LocalTransport({ sudo: false });
  const d2 = [equals('d2.pkgs', 'all', 'missing', 'installed'), equals('d2.svc', 'all', 'ok', 'ok'), equals('d2.unused', 'all', 'x', 'x')];

  it('a check needing a failed earlier-day check is BLOCKED by it; earlier checks are not reported', async () => {
    const day = {
      day: 3,
      prerequisites: d2,
      checks: [equals('d3.kubelet', 'all', 'ok', 'ok', ['d2.pkgs', 'd2.svc']), equals('d3.joined', 'workers', 'ok', 'ok', ['d3.kubelet']), equals('d3.other', 'all', 'ok', 'ok', ['d2.svc'])],
    };
    const g = await gradeNode(local(), day, ctx('node2'), 'local');
    const by = Object.fromEntries(g.results.map((r) => [r.checkId, r]));
    expect(Object.keys(by)).toEqual(['d3.kubelet', 'd3.joined', 'd3.other']);
    expect(by['d3.kubelet']).toMatchObject({ status: 'blocked', blockedBy: 'd2.pkgs', found: 'd2.pkgs failed' });
    expect(by['d3.joined']).toMatchObject({ status: 'blocked', blockedBy: 'd2.pkgs' });
    expect(by['d3.other']).toMatchObject({ status: 'pass' });
    // on the control node the workers check does not run at all
    const g1 = await gradeNode(local(), day, ctx('node1'), 'local');
    expect(g1.results.map((r) => r.checkId)).toEqual(['d3.kubelet', 'd3.other']);
  });

  it('a passing earlier-day check lets the check be graded', async () => {
    const ok = [equals('d2.pkgs', 'all', 'installed', 'installed')];
    const g = await gradeNode(local(), { day: 3, prerequisites: ok, checks: [equals('d3.kubelet', 'all', 'inactive', 'active', ['d2.pkgs'])] }, ctx('node1'), 'local');
    expect(g.results).toMatchObject([{ checkId: 'd3.kubelet', status: 'fail', found: 'inactive' }]);
  });
});

describe('reports: a cluster check is one item per student, a workers check one per worker', () => {
  const meta = (id: string, scope: Scope) => ({ id, day: 3, title: { en: id, ko: id }, scope, weight: 1, needs: [] });
  const res = (node: string, checkId: string, pass: boolean): CheckResult => ({
    student: 's01', node, host: `h-${node}`, checkId, status: pass ? 'pass' : 'fail', weight: 1, score: pass ? 1 : 0,
  });
  const run: RunResults = {
    schema: 'labgrade/results@1',
    day: 3,
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:00:01.000Z',
    checks: [meta('d3.kubelet', 'all'), meta('d3.joined', 'workers'), meta('d3.nodes-ready', 'cluster'), meta('d3.completion', 'control')],
    students: [{ id: 's01', nodes: ['node1', 'node2', 'node3'].map((n) => ({ name: n, host: `h-${n}` })) }],
    results: [
      res('node1', 'd3.kubelet', true), res('node2', 'd3.kubelet', true), res('node3', 'd3.kubelet', false),
      res('node2', 'd3.joined', true), res('node3', 'd3.joined', false),
      res('node1', 'd3.nodes-ready', false), res('node1', 'd3.completion', true),
    ],
  };

  it('grid columns and totals', () => {
    const g = buildGrid(run);
    expect(g.columns.map((c) => c.key)).toEqual([
      'd3.kubelet@node1', 'd3.kubelet@node2', 'd3.kubelet@node3', 'd3.joined@node2', 'd3.joined@node3', 'd3.nodes-ready', 'd3.completion',
    ]);
    expect(g.rows[0]).toMatchObject({ total: 4, max: 7 });
  });

  it('the CSV has one column for the cluster check', () => {
    const header = toGradesCsv(run).split('\n')[0]!;
    expect(header.split(',').filter((h) => h.includes('d3.nodes-ready'))).toHaveLength(1);
    expect(header).not.toContain('d3.joined@node1');
  });
});

describe('the plan from options (direct engine) and from LABGRADE_* (plain vitest) agree', () => {
  it('same nodes, contexts and settings', async () => {
    const { planFrom, optionsFromEnv } = await import('../../src/grade/plan.ts');
    const { planOptions } = await import('../../src/cli/run.ts');
    const roster = new URL('../../fixtures/roster/example.yaml', import.meta.url).pathname;
    const fromCli = planFrom(planOptions({ day: 3, rosterPath: roster, student: 's01', concurrency: 4, lang: 'ko', commandTimeoutS: 12, reportsDir: '/nonexistent' }));
    const fromEnv = planFrom(optionsFromEnv({ LABGRADE_ROSTER: roster, LABGRADE_STUDENT: 's01', LABGRADE_CONCURRENCY: '4', LABGRADE_LANG: 'ko', LABGRADE_COMMAND_TIMEOUT: '12' }));
    const strip = (p: typeof fromCli) => ({ ...p, nodes: p.nodes.map((n) => ({ ...n, open: undefined })) });
    expect(strip(fromCli)).toEqual(strip(fromEnv));
    expect(fromCli).toMatchObject({ concurrency: 4, lang: 'ko', gather: { timeoutMs: 12_000 } });
    expect(fromCli.nodes[0]?.ctx).toMatchObject({ controlNode: 'node1', apiServer: expect.stringMatching(/:6443$/) });
  });
});

describe('the day specs', () => {
  it.each([1, 2, 3])('day %i lists each check after the checks it needs (verdicts are made in that order)', async (n) => {
    const { loadDay } = await import('../../src/grade/direct.ts');
    const day = await loadDay(new URL(`../../checks/day${n}.spec.ts`, import.meta.url).pathname);
    const seen = new Set((day.prerequisites ?? []).map((c) => c.id));
    for (const c of day.checks) {
      for (const need of c.needs ?? []) expect(seen.has(need), `${c.id} needs ${need}`).toBe(true);
      seen.add(c.id);
    }
  });
});
