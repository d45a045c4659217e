import { describe, expect, it } from 'vitest';
import { clip, escapeHtml, oneLine, unescapeHtml, visible } from '../../src/report/text.ts';
import { toSummaryHtml } from '../../src/report/html.ts';
import { toSummaryMd } from '../../src/report/markdown.ts';
import { makeRun } from './fixture.ts';

describe('text safety', () => {
  it('makes control, invisible and bidi characters visible; keeps tabs and newlines', () => {
    expect(visible('a\u0000b\u001bc\u200bd\u202ee\ufefff\tg\r\nh\ri')).toBe('a\\u0000b\\u001bc\\u200bd\\u202ee\\ufefff\tg\nh\ni');
    expect(visible('x\ud800y\udc00z😀')).toBe('x\ufffdy\ufffdz😀');
    expect(oneLine('a\nb\tc', 100)).toBe('a ⏎ b c');
    expect(oneLine('x'.repeat(10), 5)).toBe('xxxx…');
  });

  it('escapes HTML and reads it back', () => {
    const s = `<a href="x">'&'</a>`;
    expect(escapeHtml(s)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(unescapeHtml(escapeHtml(s))).toBe(s);
    expect(unescapeHtml('&#x41;&#66;&nbsp;')).toBe('AB\u00a0');
  });

  it('clips huge node output in the summaries (results.json keeps it)', () => {
    expect(clip('abcdef', 3)).toBe('abc\n… (3 more characters in results.json)');
    const r = makeRun();
    const big = r.results.find((x) => x.status === 'fail');
    if (big) big.found = 'y'.repeat(50_000);
    expect(toSummaryHtml(r, { lang: 'en' }).length).toBeLessThan(60_000);
    expect(toSummaryMd(r, 'en')).toContain('… (46000 more characters in results.json)');
  });
});
