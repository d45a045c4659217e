/** `labgrade verify` without nodes: days not available, values handed between nodes, the JUnit file. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportsFrom, runVerify } from '../../src/verify/index.ts';

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

  it('a solution hands values to the later nodes by LABGRADE_EXPORT lines, names and sizes bounded', () => {
    const stdout = [
      'LABGRADE_EXPORT JOIN_CMD=kubeadm join 192.168.90.110:6443 --token abc.def --discovery-token-ca-cert-hash sha256:00',
      'noise LABGRADE_EXPORT NOT_AT_START=x',
      'LABGRADE_EXPORT lower=x',
      `LABGRADE_EXPORT BIG=${'y'.repeat(5000)}`,
      'LABGRADE_EXPORT EMPTY=',
    ].join('\n');
    expect(exportsFrom(stdout)).toEqual({
      JOIN_CMD: 'kubeadm join 192.168.90.110:6443 --token abc.def --discovery-token-ca-cert-hash sha256:00',
      EMPTY: '',
    });
  });
});
