import { describe, expect, it } from 'vitest';
import { toSummaryMd } from '../../src/report/markdown.ts';
import { makeRun } from './fixture.ts';

describe('summary.md', () => {
  const en = toSummaryMd(makeRun(), 'en', { timeZone: 'UTC' });
  const lines = en.split('\n');

  it('has a class table: a row per student, a column per grade item, symbols per status', () => {
    const head = lines.find((l) => l.startsWith('| Student |')) ?? '';
    expect(head.split(' | ')).toContain('d1.eth1@node2');
    const s02 = lines.find((l) => l.startsWith('| s02 |')) ?? '';
    const cells = s02.split(' | ');
    expect(cells.slice(2, 9)).toEqual(['✅', '❌', '❌', '⛔', '✅', '❌', '✅']);
    expect(s02).toContain('3/8 (37.5%)');
    const s03 = lines.find((l) => l.startsWith('| s03 |')) ?? '';
    expect(s03.split(' | ').slice(2, 9)).toEqual(['⚠️', '✅', '✅', '✅', '✅', '⚠️', '✅']);
    expect(lines.findIndex((l) => l.startsWith('| s03 |'))).toBeLessThan(lines.findIndex((l) => l.startsWith('| s10 |')));
  });

  it('lists an unreachable node once under infrastructure, not as one failure per check', () => {
    const infra = en.slice(en.indexOf('## Infrastructure problems'), en.indexOf('## Per student'));
    expect(infra.match(/s03 node2 \(127\.77\.3\.2:22\): unreachable/g)).toHaveLength(1);
    expect(en).not.toMatch(/\*\*d1\.eth1\*\* \(node2\) eth1 static address: error/);
  });

  it('gives found / expected / hint per failure and names the blocking prerequisite', () => {
    const s02 = en.slice(en.indexOf('### s02'), en.indexOf('### s03'));
    expect(s02).toContain('- ❌ **d1.registries** (node1) search registries = quay.io: fail');
    expect(s02).toContain('  - Expected: `["quay.io"]`');
    expect(s02).toContain('  - Hint: Edit unqualified-search-registries in /etc/containers/registries.conf');
    expect(s02).toContain('Blocked by d1.publish (httpd publishes 58080): fix that check first.');
  });

  it('keeps node output inert: HTML only inside code, control characters visible', () => {
    const outsideCode = en.replace(/^ *```text\n[\s\S]*?^ *```$/gm, '').replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toMatch(/<script|<img|<b>/i);
    expect(en).toContain('&lt;b>?&lt;/b>');
    expect(en).not.toMatch(/[\u001b\u202e]/);
    expect(en).toContain('\\u001b[31mred');
    expect(en).toContain('\\u202egnp.exe');
  });

  it('escapes table-breaking characters in names', () => {
    const r = makeRun();
    (r.students[0] as { name?: string }).name = 'a | b';
    expect(toSummaryMd(r, 'en')).toContain('a \\| b');
  });

  it('speaks Korean when asked', () => {
    const ko = toSummaryMd(makeRun(), 'ko', { timeZone: 'Asia/Seoul' });
    expect(ko).toContain('# 1일차 실습 채점 결과');
    expect(ko).toContain('선행 검사 d1.publish (httpd가 58080 게시) 실패로 차단됨');
    expect(ko).toContain('힌트: /etc/containers/registries.conf의');
    expect(ko).toContain('2025-11-24 18:00');
  });
});
