import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { htmlVerdicts } from '../../src/report/crosscheck.ts';
import { SCRIPT_HASH, toSummaryHtml } from '../../src/report/html.ts';
import { makeRun } from './fixture.ts';

describe('summary.html', () => {
  const now = new Date('2025-11-24T09:05:00Z');
  const html = toSummaryHtml(makeRun(), { lang: 'en', timeZone: 'UTC', now });

  it('is self-contained: nothing fetched from anywhere', () => {
    expect(html).not.toMatch(/\b(?:src|href|action)\s*=\s*["']?(?:[a-z]+:|\/\/)/i);
    expect(html).not.toMatch(/<(?:link|img|iframe|object|embed)\b|@import|url\(/i);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('allows only its own script, by hash', () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(`sha256-${createHash('sha256').update(script).digest('base64')}`).toBe(SCRIPT_HASH);
    expect(html).toContain(`script-src '${SCRIPT_HASH}'`);
    expect(html).toMatch(/default-src 'none'/);
  });

  it('escapes everything that came from a node', () => {
    expect(html).not.toContain("<script>document.title='PWNED'");
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;');
    expect(html).toContain('\\u001b[31mred');
    expect(html).toContain('\\u202egnp.exe');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202e]/);
    expect(html).toContain('rpm -q printed something unknown: &lt;b&gt;?&lt;/b&gt;');
  });

  it('has one cell per student and grade item, with status class, data and symbol', () => {
    const cells = htmlVerdicts(html);
    expect(cells.size).toBe(4 * 7);
    expect(cells.get('s02 node1 d1.registries')).toEqual({ status: 'fail', count: 1 });
    expect(cells.get('s02 node1 d1.port')).toEqual({ status: 'blocked', count: 1 });
    expect(cells.get('s03 node2 d1.eth1')).toEqual({ status: 'error', count: 1 });
    expect(html).toMatch(/<td class="c st-blocked" data-student="s02" data-node="node1" data-check="d1.port" data-status="blocked"[^>]*><a href="#st-1-c-3">⊘<\/a><\/td>/);
  });

  it('shows scores per student and per node', () => {
    expect(html).toMatch(/data-student="s02"[^>]*data-score="37.5"/);
    expect(html).toContain('<td class="score"><b>3/8</b><br><small>37.5%</small></td>');
    expect(html).toContain('node1 5/6<br>node2 0/1 !<br>node3 1/1');
  });

  it('details: found, expected, hint, the blocking prerequisite; infra once per node', () => {
    expect(html).toMatch(/<details class="student" id="st-1" data-student="s02">/);
    expect(html).toContain('<dd class="blocked-by" data-blocked-by="d1.publish">Blocked by d1.publish (httpd publishes 58080): fix that check first.</dd>');
    expect(html).toContain('<pre class="expected">[&quot;quay.io&quot;]</pre>');
    expect(html).toContain('<dd class="hint">Edit unqualified-search-registries');
    const infra = /<section id="infra">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(infra.match(/<li /g)).toHaveLength(1);
    expect(infra).toContain('s03 node2 (127.77.3.2:22): unreachable: connect ECONNREFUSED');
    // The unreachable node's checks are summarised, not listed one by one.
    const s03 = /<details class="student" id="st-2"[\s\S]*?<\/details>/.exec(html)?.[0] ?? '';
    expect(s03).not.toMatch(/data-check="d1.eth1" data-node="node2"/);
    expect(s03).toContain('1 check(s) on this node could not be graded');
  });

  it('is in Korean when asked', () => {
    const ko = toSummaryHtml(makeRun(), { lang: 'ko', timeZone: 'Asia/Seoul', now });
    expect(ko).toContain('<html lang="ko">');
    expect(ko).toContain('<h1>1일차 실습 채점 결과</h1>');
    expect(ko).toContain('선행 검사 d1.publish (httpd가 58080 게시) 실패로 차단됨');
    expect(ko).toContain('/etc/containers/registries.conf의 unqualified-search-registries를 수정하세요');
    expect(ko).toContain('2025-11-24 18:00');
  });
});
