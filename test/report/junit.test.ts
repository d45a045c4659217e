import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/grade/types.ts';
import { toJunit, xmlSafe } from '../../src/report/junit.ts';

const nasty = 'found \u0000\u0007 bell, \uD800 lone surrogate, \uFFFE, <tag> & "quotes" ]]> 한국어';

const results: RunResults = {
  schema: 'labgrade/results@1',
  day: 1,
  startedAt: '2026-11-25T09:00:00.000Z',
  finishedAt: '2026-11-25T09:00:02.000Z',
  checks: [
    { id: 'd1.pod', day: 1, title: { en: 'pod', ko: '포드' }, scope: 'exercise', weight: 2, needs: [] },
    { id: 'd1.pod-containers', day: 1, title: { en: 'c', ko: 'c' }, scope: 'exercise', weight: 1, needs: ['d1.pod'] },
  ],
  students: [
    { id: 's01', name: '김민지', nodes: [{ name: 'node1', host: '127.77.1.1:22' }] },
    { id: 's02', nodes: [{ name: 'node1', host: '127.77.2.1:22', infra: { kind: 'unreachable', message: 'ECONNREFUSED' } }] },
  ],
  results: [
    { student: 's01', node: 'node1', host: '127.77.1.1:22', checkId: 'd1.pod', status: 'fail', weight: 2, score: 0, found: nasty, expected: 'pod1', hint: { en: 'h', ko: '힌트' } },
    { student: 's01', node: 'node1', host: '127.77.1.1:22', checkId: 'd1.pod-containers', status: 'blocked', weight: 1, score: 0, blockedBy: 'd1.pod' },
    { student: 's02', node: 'node1', host: '127.77.2.1:22', checkId: 'd1.pod', status: 'error', weight: 2, score: 0, error: { kind: 'unreachable', message: 'ECONNREFUSED' } },
    { student: 's02', node: 'node1', host: '127.77.2.1:22', checkId: 'd1.pod-containers', status: 'error', weight: 1, score: 0, error: { kind: 'unreachable', message: 'ECONNREFUSED' } },
  ],
};

describe('JUnit', () => {
  it('strips what XML 1.0 cannot hold', () => {
    expect(xmlSafe('a\u0000b\u001fc\td\ne')).toBe('a\uFFFDb\uFFFDc\td\ne');
    expect(xmlSafe('\uD83D\uDE00')).toBe('\uD83D\uDE00');
    expect(xmlSafe('\uD800x')).toBe('\uFFFDx');
  });

  it('writes failures, blocked and infrastructure errors as a well-formed document', () => {
    const xml = toJunit(results, 'en');
    const dir = mkdtempSync(join(tmpdir(), 'junit-'));
    const file = join(dir, 'junit.xml');
    writeFileSync(file, xml);
    // a real XML parser, not a regex: python's expat is strict about XML 1.0 characters
    const parsed = execFileSync('python3', ['-c', `
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
for tc in r.iter('testcase'):
    kids = [c.tag + ':' + (c.get('type') or '') for c in tc if c.tag in ('failure','error','skipped')]
    print(tc.get('classname'), tc.get('name'), ','.join(kids))
`, file]).toString();
    expect(parsed.trim().split('\n')).toEqual([
      's01.node1 d1.pod failure:fail',
      's01.node1 d1.pod-containers failure:blocked',
      's02.node1 d1.pod error:unreachable',
      's02.node1 d1.pod-containers error:unreachable',
    ]);
    expect(xml).toContain('name="score" value="0/2"');
    expect(xml).not.toContain('<skipped');
  });

  it('writes one student alone', () => {
    const xml = toJunit(results, 'ko', 's02');
    expect(xml).not.toContain('s01.node1');
    expect(xml).toContain('s02.node1');
  });
});
