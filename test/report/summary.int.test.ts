/**
 * summary.html in a real browser: Debian's `chromium` (apt-get install -y chromium), headless, from file://.
 * Screenshots are kept in $LABGRADE_SCREENSHOT_DIR (default: <tmp>/labgrade-report-shots) for a person to look at.
 */
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossCheck, htmlVerdicts } from '../../src/report/crosscheck.ts';
import { writeReports } from '../../src/report/write.ts';
import { chromiumVersion, countColour, decodePng, dumpDom, screenshot } from './chromium.ts';
import { makeRun } from './fixture.ts';

const SHOTS = process.env.LABGRADE_SCREENSHOT_DIR ?? join(tmpdir(), 'labgrade-report-shots');

describe('summary.html in headless Chromium', () => {
  const r = makeRun();
  let dir = '';
  let files: { html: string; csv: string; json: string };
  let dom = '';

  beforeAll(async () => {
    await chromiumVersion().catch((e: Error) => {
      throw new Error(`headless Chromium not found (apt-get install -y chromium, or set LABGRADE_CHROMIUM): ${e.message}`);
    });
    dir = await mkdtemp(join(tmpdir(), 'lg-html-'));
    const [html, csv, , json] = await writeReports(r, { outDir: dir, lang: 'en', historyDir: false, timeZone: 'UTC' });
    files = { html: html as string, csv: csv as string, json: json as string };
    dom = await dumpDom(files.html);
  });

  it('renders a cell for every student x grade item, with its status', async () => {
    const written = htmlVerdicts(await readFile(files.html, 'utf8'));
    const rendered = htmlVerdicts(dom);
    expect(rendered.size).toBe(4 * 7);
    expect(rendered).toEqual(written);
    const report = crossCheck(r, {
      html: dom,
      csv: await readFile(files.csv, 'utf8'),
      json: await readFile(files.json, 'utf8'),
    });
    expect(report.problems).toEqual([]);
  });

  it('ran its inline script under its own CSP (toolbar and counter built by JS)', () => {
    expect(dom).toMatch(/<html lang="en" data-js="on">/);
    expect(dom).toMatch(/<div id="toolbar"><input type="search" placeholder="Filter students"/);
    expect(dom).toContain('<span id="shown" data-shown="4">4 / 4</span>');
  });

  it('did not run anything a node put in a found string', () => {
    expect(dom.match(/<script\b/g)).toHaveLength(1);
    expect(dom).toContain('<title>Day 1 lab results</title>');
    expect(dom).not.toMatch(/data-pwned/);
    expect(dom).not.toMatch(/<img\b/);
    expect(dom).toContain('&lt;script&gt;document.title=\'PWNED\'&lt;/script&gt;');
  });

  it('opens the student details a cell links to', async () => {
    const linked = await dumpDom(files.html, '#st-1-c-1');
    expect(linked).toMatch(/<details class="student" id="st-1" data-student="s02" open="">/);
    expect(linked).not.toMatch(/<details class="student" id="st-0" data-student="s01" open/);
  });

  it('paints the statuses in their colours (pixels of a real screenshot)', async () => {
    await mkdir(SHOTS, { recursive: true });
    const png = join(SHOTS, 'summary-en.png');
    await screenshot(files.html, png);
    const img = decodePng(await readFile(png));
    expect(img.width).toBe(1280);
    const pass = countColour(img, '#0072B2');
    const fail = countColour(img, '#D55E00');
    const error = countColour(img, '#F0E442');
    // 22 pass cells, 4 fail, 2 error (+ legend swatches and badges): relative areas must follow.
    expect(fail).toBeGreaterThan(200);
    expect(error).toBeGreaterThan(200);
    expect(pass).toBeGreaterThan(3 * fail);
  });

  it('renders the Korean version (screenshot kept for review)', async () => {
    const koDir = await mkdtemp(join(tmpdir(), 'lg-html-ko-'));
    const [html] = await writeReports(r, { outDir: koDir, lang: 'ko', historyDir: false, timeZone: 'Asia/Seoul' });
    const ko = await dumpDom(html as string);
    expect(ko).toContain('<h1>1일차 실습 채점 결과</h1>');
    expect(ko).toContain('placeholder="학생 검색"');
    expect(htmlVerdicts(ko).size).toBe(4 * 7);
    await screenshot(html as string, join(SHOTS, 'summary-ko.png'));
  });
});
