/** `labgrade verify` without nodes: days not available, the order solutions run in, the JUnit file. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSolutionSteps, type StepNode } from '../../src/lab/steps.ts';
import { runVerify } from '../../src/verify/index.ts';

const ROSTER = resolve(import.meta.dirname, '../../fixtures/roster/example.yaml');

describe('verify', () => {
  it('days without checks or solution are not available, nor the days after; nothing held means exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-verify-'));
    // an empty tree: no checks/ and no scripts/solutions/ at all
    const root = mkdtempSync(join(tmpdir(), 'lg-verify-root-'));
    let out = '';
    const code = await runVerify({
      rosterPath: ROSTER,
      days: [3, 4, 5],
      junitPath: join(dir, 'junit.xml'),
      reportsDir: join(dir, 'reports'),
      concurrency: 4,
      solutionTimeoutS: 10,
      strictHostKeys: false,
      out: (s) => (out += s),
      root,
    });
    expect(code).toBe(1);
    expect(out).toMatch(/^day 3: NOT VERIFIED \(not available: checks\/day3\.spec\.ts and scripts\/solutions\/day3\.sh do not exist yet\)$/m);
    expect(out).toMatch(/^day 4: NOT VERIFIED \(day 3 before it was not verified\)$/m);
    expect(out).toMatch(/0 expectations held, 0 did not, 3 not available/);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml.match(/<skipped\/>|<skipped>|<skipped /g)).toHaveLength(3);
    expect(xml).not.toContain('<failure');
  });

  describe('the course order of a solution (src/lab/steps.ts), shared with lab up', () => {
    const nodes = (calls: string[], fail?: (name: string, args: string[]) => boolean, stdout = 'x\nkubeadm join 192.168.90.110:6443 --token a.b\n'): StepNode[] =>
      ['node3', 'node1', 'node2'].map((name) => ({
        name,
        run: (args: string[]) => {
          calls.push(`${name} ${args.join(' ')}`.trim());
          return Promise.resolve(fail?.(name, args) ? { code: 1, stdout: '', stderr: 'boom' } : { code: 0, stdout, stderr: '' });
        },
      }));

    it('days 1-2: every node on its own, node1 first; a failure stops the later nodes', async () => {
      const calls: string[] = [];
      expect((await runSolutionSteps(1, nodes(calls), 'node1')).every((o) => o.ok)).toBe(true);
      expect(calls).toEqual(['node1', 'node2', 'node3']);
      const again: string[] = [];
      const out = await runSolutionSteps(2, nodes(again, (n) => n === 'node2'), 'node1');
      expect(again).toEqual(['node1', 'node2']);
      expect(out.map((o) => [o.node, o.ok, o.detail])).toEqual([
        ['node1', true, undefined],
        ['node2', false, 'exit 1: boom'],
        ['node3', false, 'not run: node2 failed first'],
      ]);
    });

    it('days 3-5: control, each worker with the printed join command, then finish on the control node', async () => {
      const calls: string[] = [];
      expect((await runSolutionSteps(3, nodes(calls), 'node1')).map((o) => o.ok)).toEqual([true, true, true, true]);
      expect(calls).toEqual(['node1 control', 'node2 worker kubeadm join 192.168.90.110:6443 --token a.b', 'node3 worker kubeadm join 192.168.90.110:6443 --token a.b', 'node1 finish']);
    });

    it('after day 3 the control step may print no join command: the workers run `worker` without one', async () => {
      const calls: string[] = [];
      expect((await runSolutionSteps(4, nodes(calls, undefined, ''), 'node1')).map((o) => o.ok)).toEqual([true, true, true, true]);
      expect(calls).toEqual(['node1 control', 'node2 worker', 'node3 worker', 'node1 finish']);
    });

    it('a control step that prints no join command fails, and nothing else runs', async () => {
      const calls: string[] = [];
      const out = await runSolutionSteps(3, nodes(calls, undefined, 'done\n'), 'node1');
      expect(calls).toEqual(['node1 control']);
      expect(out[0]!.detail).toMatch(/^printed no join command as its last line: done$/);
      expect(out.slice(1).map((o) => o.detail)).toEqual(Array(3).fill('not run: control on node1 failed first'));
    });
  });
});
