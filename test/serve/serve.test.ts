/** The pure parts of `labgrade serve`: tokens, the student page's HTML, the stuck view, --listen. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseListen } from '../../src/cli/serve.ts';
import { Gate } from '../../src/serve/grader.ts';
import { boardFragments, studentHtml, stuckHtml } from '../../src/serve/render.ts';
import { Tokens } from '../../src/serve/tokens.ts';
import { makeRun, NASTY_FOUND } from '../report/fixture.ts';

describe('tokens', () => {
  it('each token names its holder; anything else names nobody', () => {
    const t = new Tokens(['s01', 's02']);
    expect(t.lookup(t.instructor)).toEqual({ role: 'instructor' });
    expect(t.lookup(t.students.get('s02'))).toEqual({ role: 'student', id: 's02' });
    for (const bad of [undefined, '', 'x', t.instructor.slice(1), `${t.instructor} `, t.instructor.toUpperCase(), 'a'.repeat(10_000)]) {
      expect(t.lookup(bad)).toBeUndefined();
    }
    expect(new Set([t.instructor, ...t.students.values()]).size).toBe(3);
    expect(t.instructor).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('links.csv: one line each, readable by its owner only, spreadsheet formulas defused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-links-'));
    const t = new Tokens(['s01', '=cmd']);
    const path = join(dir, 'links.csv');
    await t.writeCsv(path, 'http://127.0.0.1:8080', new Map([['s01', 'Kim, "MJ"']]));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const lines = readFileSync(path, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('id,name,role,link');
    expect(lines[1]).toBe(`instructor,,instructor,http://127.0.0.1:8080/login?token=${t.instructor}`);
    expect(lines[2]).toBe(`s01,"Kim, ""MJ""",student,http://127.0.0.1:8080/login?token=${t.students.get('s01')}`);
    expect(lines[3]!.startsWith(`'=cmd,`)).toBe(true);
  });
});

describe('student page', () => {
  it("shows only that student's nodes and checks, node text escaped", () => {
    const html = studentHtml(makeRun(), 's02', 'en', { hints: true });
    expect(html).toContain('data-check="d1.registries"');
    expect(html).not.toMatch(/s01|s03|s10|김민준|127\.77\.1\./);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
    expect(NASTY_FOUND).toContain('<script>');
    expect(html).toContain('class="hint"');
  });

  it('exam mode: no hints; Korean labels', () => {
    const html = studentHtml(makeRun(), 's02', 'ko', { hints: false });
    expect(html).not.toContain('class="hint"');
    expect(html).toContain('힌트가 숨겨져 있습니다');
    expect(html).toContain('현재 상태');
  });

  it('an unreachable node says so once', () => {
    const html = studentHtml(makeRun(), 's03', 'en', { hints: true });
    expect(html.match(/class="item st-b-error infra"/g)).toHaveLength(1);
    expect(html).toContain('unreachable: connect ECONNREFUSED');
  });
});

describe('board', () => {
  it("the grid is summary.html's own", () => {
    const f = boardFragments(makeRun(), 'en');
    expect(f.grid).toMatch(/^<div class="wrap"><table class="grid" id="grid">[\s\S]*<\/table><\/div>$/);
    expect(f.infra).toMatch(/^<section id="infra">[\s\S]*s03 node2[\s\S]*<\/section>$/);
    expect(f.students).toMatch(/^<section id="students">/);
  });

  it('stuck: checks most students fail, students without progress for N minutes', () => {
    const r = makeRun();
    const now = Date.parse('2025-11-24T10:00:00Z');
    const progress = new Map([
      ['s02', { at: now - 30 * 60_000, score: 3 }],
      ['s10', { at: now - 2 * 60_000, score: 7 }],
    ]);
    const html = stuckHtml(r, 'en', progress, 10, now);
    expect(html).toContain('data-student="s02"');
    expect(html).toContain('30 min');
    expect(html).not.toContain('data-student="s10"');
    // no check fails for more than half the class here
    expect(html).not.toContain('data-check=');
    const all = { ...r, results: r.results.map((x) => (x.checkId === 'd1.publish' ? { ...x, status: 'fail' as const, score: 0 } : x)) };
    expect(stuckHtml(all, 'en', progress, 10, now)).toContain('data-check="d1.publish"');
  });
});

describe('--listen', () => {
  it('reads host:port forms and refuses others', () => {
    expect(parseListen('0.0.0.0:8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseListen('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListen('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(() => parseListen('host:99999')).toThrow(/--listen/);
    expect(() => parseListen('a:b')).toThrow(/--listen/);
  });
});

describe('gate', () => {
  it('never holds more than its limit', async () => {
    const g = new Gate(3);
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        await g.acquire();
        await new Promise((r) => setTimeout(r, 2));
        g.release();
      }),
    );
    expect(g.maxActive).toBe(3);
    expect(g.active).toBe(0);
  });
});
