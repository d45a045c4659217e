/**
 * `labgrade serve` and `labgrade verify` on one simulated class, through the real CLI, over real HTTP, in
 * Debian's chromium (driven by playwright-core, offline). The class:
 *   s01 day 1 solved (a change on its node must reach the open pages), s02 fresh (verify passes),
 *   s03 with a hostile registries value (renders as text), s04 (node2 goes unreachable and comes back),
 *   s05 fresh with one fault (verify fails naming it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { labDown, labUp, type Lab } from '../../src/lab/index.ts';
import { readResultsJson } from '../../src/report/results-json.ts';
import { ROOT } from '../checks/helpers.ts';
import { CHROMIUM } from '../report/chromium.ts';

interface Srv {
  proc: ChildProcess;
  url: string;
  instructor: string;
  students: Map<string, string>;
  reports: string;
  stderr: () => string;
}

let lab: Lab;
let srv: Srv;
let browser: Browser;
const consoleErrors: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'lg-serve-'));
// Where the screenshots go: docs/ when LABGRADE_SCREENSHOTS=docs/screenshots, else this run's temp dir.
const shots = process.env.LABGRADE_SCREENSHOTS ?? join(work, 'shots');

async function startServer(roster: string, extra: string[] = []): Promise<Srv> {
  const reports = mkdtempSync(join(work, 'reports-'));
  const proc = spawn(
    'node',
    [join(ROOT, 'bin/labgrade.mjs'), 'serve', '--day', '1', '--roster', roster, '--listen', '127.0.0.1:0', '--reports', reports, '--links', join(reports, 'links.csv'), ...extra],
    { cwd: ROOT, env: { ...process.env, LANG: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const lines = createInterface({ input: proc.stdout! });
  const students = new Map<string, string>();
  let url = '';
  let instructor = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 60_000);
    proc.once('exit', (c) => reject(new Error(`serve exited ${c}: ${err}`)));
    lines.on('line', (l) => {
      const m = /^(\S+): (https?:\/\/\S+)\/login\?token=(\S+)$/.exec(l);
      if (m) {
        url = m[2]!;
        if (m[1] === 'instructor') instructor = m[3]!;
        else students.set(m[1]!, m[3]!);
      }
      if (l.startsWith('links: ')) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  return { proc, url, instructor, students, reports, stderr: () => err };
}

async function stopServer(s: Srv): Promise<number | null> {
  if (s.proc.exitCode !== null) return s.proc.exitCode;
  const done = new Promise<number | null>((r) => s.proc.once('exit', (c) => r(c)));
  s.proc.kill('SIGTERM');
  return done;
}

const get = (s: Srv, path: string, token?: string, init: RequestInit = {}) =>
  fetch(`${s.url}${path}`, { ...init, redirect: 'manual', headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });
const post = (s: Srv, path: string, token: string | undefined, body: unknown = {}) =>
  get(s, path, token, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-labgrade': '1' } });

async function boardState(s: Srv): Promise<{ version: number; running: string[]; infra: string; grid: string; stats: Record<string, number> }> {
  return (await (await get(s, '/board/state', s.instructor)).json()) as never;
}

/** Grades these nodes now and waits until a run that started afterwards has landed. */
async function gradeNow(s: Srv, body: { student?: string; node?: string }): Promise<void> {
  const before = (await boardState(s)).stats.runs!;
  expect((await post(s, '/board/grade', s.instructor, body)).status).toBe(202);
  await until(async () => {
    const st = await boardState(s);
    return st.stats.runs! > before && st.running.length === 0;
  }, 90_000);
}

async function until(fn: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function openPage(s: Srv, token: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // offline: anything but this server is refused
  await ctx.route('**/*', (route) => (route.request().url().startsWith(s.url) ? route.continue() : route.abort()));
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  await page.goto(`${s.url}/login?token=${token}`);
  await page.waitForSelector('body[data-loaded]');
  return page;
}

/** sshd of a lab node, by the address it listens on. */
async function sshdPid(host: string): Promise<number> {
  const out = (await execa('ss', ['-Hltnp', `src ${host}:22`])).stdout;
  const pid = Number(/pid=(\d+)/.exec(out)?.[1]);
  if (!pid) throw new Error(`no sshd on ${host}: ${out}`);
  return pid;
}

function subRoster(ids: string[], file: string): string {
  const r = parse(readFileSync(lab.rosterPath, 'utf8')) as { students: { id: string }[] };
  writeFileSync(file, stringify({ ...r, students: r.students.filter((s) => ids.includes(s.id)) }));
  return file;
}

beforeAll(async () => {
  await labDown().catch(() => undefined);
  lab = await labUp({ students: 5, state: 'fresh' });
  await Promise.all([1, 2, 3].map((i) => lab.solve(lab.node('s01', `node${i}` as 'node1'), 1)));
  const hostile = `<img src=x onerror=alert(1)><script>alert(2)</script>`;
  const r = await lab.exec(
    lab.node('s03', 'node1'),
    `sed -i -E 's|^[[:space:]]*unqualified-search-registries[[:space:]]*=.*|unqualified-search-registries = ["${hostile}"]|' /etc/containers/registries.conf`,
  );
  expect(r.code, r.stderr).toBe(0);
  srv = await startServer(subRoster(['s01', 's02', 's03', 's04'], join(work, 'class.yaml')), ['--check-interval', '3', '--connect-timeout', '3', '--concurrency', '8']);
  // playwright wants a path; Debian's `chromium` is a wrapper script on PATH
  const executablePath = CHROMIUM.includes('/') ? CHROMIUM : execFileSync('sh', ['-c', `command -v ${CHROMIUM}`]).toString().trim();
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  mkdirSync(shots, { recursive: true });
  // the first scheduled run grades everyone
  await until(async () => (await boardState(srv)).stats.runs! >= 1, 120_000);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (srv) await stopServer(srv);
  await labDown();
  rmSync(work, { recursive: true, force: true });
});

describe('the board and the student page, in chromium', () => {
  it('the board shows the class; a change on a node reaches the open board and the student page without a reload', async () => {
    const board = await openPage(srv, srv.instructor);
    await board.waitForSelector('#grid tbody tr');
    expect(await board.$$eval('#grid tbody tr', (rows) => rows.map((r) => r.getAttribute('data-student')))).toEqual(['s01', 's02', 's03', 's04']);
    const cell = '#grid td[data-student="s01"][data-check="d1.publish"]';
    expect(await board.getAttribute(cell, 'data-status')).toBe('pass');

    const me = await openPage(srv, srv.students.get('s01')!);
    expect(await me.getAttribute('.item[data-check="d1.publish"]', 'data-status')).toBe('pass');
    // a marker a reload would wipe
    await board.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
    await me.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));

    const rm = await lab.exec(lab.node('s01', 'node1'), 'podman rm -f httpd-24-centos-7');
    expect(rm.code, rm.stderr).toBe(0);
    await me.click('#check-now');
    await me.waitForSelector('.item[data-check="d1.publish"][data-status="fail"]', { timeout: 60_000 });
    expect(await me.textContent('.item[data-check="d1.publish"] pre.found')).toContain('no container named httpd-24-centos-7');
    await board.waitForSelector(`${cell}[data-status="fail"]`, { timeout: 30_000 });
    expect(await board.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
    expect(await me.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
    // the wait before the next check is shown
    expect(await me.textContent('#wait')).toMatch(/Next check possible in \d+ s|^$/);
    await me.screenshot({ path: join(shots, 'student.png'), fullPage: false });
    const again = await post(srv, '/me/check', srv.students.get('s01'));
    if (again.status === 429) expect(((await again.json()) as { waitS: number }).waitS).toBeGreaterThan(0);
    else expect(again.status).toBe(202);
    await board.context().close();
    await me.context().close();
  });

  it('a student page in Korean shows found and expected in Korean, values as they are', async () => {
    const me = await openPage(srv, srv.students.get('s02')!);
    await me.goto(`${srv.url}/me?lang=ko`);
    await me.waitForSelector('body[data-loaded]');
    expect(await me.textContent('.item[data-check="d1.epel"] pre.found')).toBe('epel-release 미설치');
    expect(await me.textContent('.item[data-check="d1.image"] pre.expected')).toBe('quay.io/centos7/httpd-24-centos7 이미지가 로컬 저장소에 있음 (podman images)');
    await me.screenshot({ path: join(shots, 'student-ko.png'), fullPage: false });
    await me.context().close();
  });

  it('hostile found strings render as text, nothing runs', async () => {
    const me = await openPage(srv, srv.students.get('s03')!);
    const found = await me.textContent('.item[data-check="d1.registries"] pre.found');
    expect(found).toContain('<img src=x onerror=alert(1)><script>alert(2)</script>');
    expect(await me.$$('main img, main script')).toHaveLength(0);
    const board = await openPage(srv, srv.instructor);
    expect(await board.$$('main img, main script')).toHaveLength(0);
    expect(await board.textContent('#students-box')).toContain('<script>alert(2)</script>');
    await me.context().close();
    await board.context().close();
  });

  it('a student page shows no other student (browser)', async () => {
    const me = await openPage(srv, srv.students.get('s02')!);
    const text = (await me.content()) + (await me.textContent('body'));
    for (const other of ['s01', 's03', 's04', 'Student 01', '127.87.1.', '127.87.3.', '127.87.4.']) expect(text).not.toContain(other.replace('127.87', labPrefix()));
    await me.context().close();
  });
});

/** 127.<80+slot> of this test run's lab (src/lab/paths.ts). */
function labPrefix(): string {
  return lab.node('s01', 'node1').host.split('.').slice(0, 2).join('.');
}

describe('access over HTTP', () => {
  const endpoints: [string, string][] = [
    ['GET', '/'],
    ['GET', '/board'],
    ['GET', '/board/state'],
    ['GET', '/board/events'],
    ['POST', '/board/grade'],
    ['GET', '/me'],
    ['GET', '/me/state'],
    ['GET', '/me/events'],
    ['POST', '/me/check'],
    ['GET', '/assets/app.js'],
    ['GET', '/assets/app.css'],
    ['GET', '/nothing-here'],
  ];

  it('missing or wrong tokens get 401 and nothing else', async () => {
    const wrong = srv.instructor.slice(0, -1) + (srv.instructor.endsWith('A') ? 'B' : 'A');
    for (const token of [undefined, wrong, '', 'x'.repeat(600)]) {
      for (const [method, path] of endpoints) {
        const res = method === 'GET' ? await get(srv, path, token) : await post(srv, path, token);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(await res.text()).toBe('unauthorized');
      }
    }
    const login = await get(srv, `/login?token=${wrong}`);
    expect(login.status).toBe(401);
    expect(login.headers.get('set-cookie')).toBeNull();
    const cookie = await get(srv, '/board/state', undefined, { headers: { cookie: `lg_token=${wrong}` } });
    expect(cookie.status).toBe(401);
  });

  it("a student token reaches only that student's data; the instructor's routes answer 403", async () => {
    const tok = srv.students.get('s02')!;
    const others = ['s01', 's03', 's04', `${labPrefix()}.1.`, `${labPrefix()}.3.`, `${labPrefix()}.4.`];
    for (const [method, path] of endpoints.filter(([, p]) => p.startsWith('/board'))) {
      const res = method === 'GET' ? await get(srv, path, tok) : await post(srv, path, tok, { student: 's01' });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await res.text()).toBe('forbidden');
    }
    for (const path of ['/me', '/me/state', '/me/state?lang=ko', '/me?student=s01', '/me/state?student=s01']) {
      const res = await get(srv, path, tok);
      expect(res.status).toBe(200);
      const body = await res.text();
      for (const o of others) expect(body, path).not.toContain(o);
      if (path.startsWith('/me/state')) expect(body).toContain('"student":"s02"');
    }
    // the event stream: its first event, read raw
    const ctrl = new AbortController();
    const ev = await get(srv, '/me/events', tok, { signal: ctrl.signal });
    expect(ev.status).toBe(200);
    const reader = ev.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    expect(first).toMatch(/^event: update\ndata: \d+/);
    // check now with another student's id in the body still checks only s02
    const res = await post(srv, '/me/check', tok, { student: 's01', node: 'node1' });
    expect([202, 429]).toContain(res.status);
    expect(await res.text()).not.toMatch(/s01/);
    // the instructor token does not open a student page: a student page is reached with that student's link
    expect((await get(srv, '/me/state', srv.instructor)).status).toBe(403);
    // POST without the custom header (what a cross-site form would send) is refused
    const csrf = await get(srv, '/board/grade', srv.instructor, { method: 'POST', body: '{}' });
    expect(csrf.status).toBe(403);
  });

  it('a student cannot hold open event streams without end', async () => {
    const tok = srv.students.get('s04')!;
    const ctrls = Array.from({ length: 8 }, () => new AbortController());
    try {
      const open = await Promise.all(ctrls.map((c) => get(srv, '/me/events', tok, { signal: c.signal })));
      expect(open.map((r) => r.status)).toEqual(Array(8).fill(200));
      const ninth = await get(srv, '/me/events', tok);
      expect(ninth.status).toBe(429);
      // another student is not affected
      const other = new AbortController();
      expect((await get(srv, '/me/events', srv.students.get('s02'), { signal: other.signal })).status).toBe(200);
      other.abort();
    } finally {
      for (const c of ctrls) c.abort();
    }
  });

  it('pages carry a strict CSP and no token in the server log', async () => {
    const res = await get(srv, '/board', srv.instructor);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    const html = await res.text();
    expect(html).not.toMatch(/<script>|<style>|https?:\/\//);
    for (const t of [srv.instructor, ...srv.students.values()]) expect(srv.stderr()).not.toContain(t);
  });
});

describe('faults', () => {
  it('a node that stops answering shows as such, and comes back when it answers again', async () => {
    const host = lab.node('s04', 'node2').host;
    const pid = await sshdPid(host);
    process.kill(pid, 'SIGSTOP');
    try {
      await gradeNow(srv, { student: 's04', node: 'node2' });
      const st = await boardState(srv);
      expect(st.infra).toMatch(/s04 node2/);
      const me = await (await get(srv, '/me/state', srv.students.get('s04'))).json() as { html: string };
      expect(me.html).toMatch(/class="item st-b-error infra" data-node="node2"/);
      // the board as an instructor sees it mid-session: a change, a node down, several runs
      const board = await openPage(srv, srv.instructor);
      expect(await board.textContent('#infra-box')).toMatch(/s04 node2/);
      await board.screenshot({ path: join(shots, 'board.png'), fullPage: false });
      await board.context().close();
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await gradeNow(srv, { student: 's04', node: 'node2' });
    expect((await boardState(srv)).infra).not.toMatch(/s04 node2/);
  });

  it('the server survives a grading run that fails and goes on serving', async () => {
    // a directory where junit.xml goes: writing the run's reports fails
    const blocker = join(srv.reports, 'day1', 'junit.xml');
    rmSync(blocker, { force: true });
    mkdirSync(join(blocker, 'x'), { recursive: true });
    const failed = (await boardState(srv)).stats.failedRuns!;
    expect((await post(srv, '/board/grade', srv.instructor, { student: 's02' })).status).toBe(202);
    await until(async () => (await boardState(srv)).stats.failedRuns! > failed, 60_000);
    expect(srv.stderr()).toMatch(/grading run failed/);
    rmSync(blocker, { recursive: true, force: true });
    await gradeNow(srv, { student: 's02' });
    expect(readFileSync(blocker, 'utf8')).toContain('<testsuites');
    expect((await get(srv, '/board', srv.instructor)).status).toBe(200);
  });
});

describe('load: 30 students at once', () => {
  it('30 event streams, 30 "check now" within a second: bounded gradings, every request answered, RSS bounded', async () => {
    // 30 students, each on one real node (the lab's five node1s in turn), 4 node gradings at most
    const r = parse(readFileSync(lab.rosterPath, 'utf8')) as { lab: { eth1: Record<string, string> }; students: { id: string; nodes: Record<string, unknown> }[] };
    const students = Array.from({ length: 30 }, (_, i) => {
      const src = r.students[i % 5]!;
      return { id: `L${String(i + 1).padStart(2, '0')}`, nodes: { node1: src.nodes.node1 } };
    });
    const file = join(work, 'load.yaml');
    writeFileSync(file, stringify({ ...r, lab: { ...r.lab, eth1: { node1: r.lab.eth1.node1 } }, students }));
    // short timeouts: SIGTERM's grace (timeouts + 5 s) stays short, and a run still grading then is cancelled
    const load = await startServer(file, ['--concurrency', '4', '--check-interval', '60', '--every', '60', '--timeout', '10', '--connect-timeout', '5']);
    try {
      const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${load.proc.pid}/status`, 'utf8'))?.[1]) / 1024;
      await until(async () => (await boardState(load)).stats.runs! >= 1, 120_000);
      const rssIdle = rss();
      const streams = await Promise.all(
        [...load.students].map(async ([id, tok]) => {
          const ctrl = new AbortController();
          const res = await get(load, '/me/events', tok, { signal: ctrl.signal });
          const reader = res.body!.getReader();
          let text = '';
          const pump = (async () => {
            for (;;) {
              const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
              if (done) return;
              text += new TextDecoder().decode(value);
            }
          })();
          return { id, tok, ctrl, pump, events: () => (text.match(/event: update/g) ?? []).length };
        }),
      );
      expect((await boardState(load)).stats.sse).toBe(30);
      const t0 = Date.now();
      const answers = await Promise.all(streams.map((s) => post(load, '/me/check', s.tok)));
      const answeredMs = Date.now() - t0;
      expect(answers.map((a) => a.status)).toEqual(Array(30).fill(202));
      const eventsAfterPost = streams.map((s) => s.events());
      await until(async () => {
        const st = await Promise.all(streams.map(async (s) => (await (await get(load, '/me/state', s.tok)).json()) as { running: boolean }));
        return st.every((x) => !x.running);
      }, 180_000);
      const doneMs = Date.now() - t0;
      // every page was told, over its own stream, that its result changed
      streams.forEach((s, i) => expect(s.events(), s.id).toBeGreaterThan(eventsAfterPost[i]!));
      const st = await boardState(load);
      const rssPeak = rss();
      const figures = { students: 30, sse: st.stats.sse, concurrency: 4, maxActiveGradings: st.stats.maxActiveGradings, answeredMs, allGradedMs: doneMs, rssIdleMiB: Math.round(rssIdle), rssAfterMiB: Math.round(rssPeak), runs: st.stats.runs };
      writeFileSync(join(shots, 'load-figures.json'), JSON.stringify(figures, null, 2) + '\n');
      console.log(`serve load figures: ${JSON.stringify(figures)}`);
      expect(st.stats.maxActiveGradings).toBeLessThanOrEqual(4);
      expect(st.stats.maxActiveGradings).toBeGreaterThan(0);
      expect(answeredMs).toBeLessThan(10_000);
      expect(rssPeak).toBeLessThan(400);
      for (const s of streams) s.ctrl.abort();
      // SIGTERM while the whole class is being graded: the run finishes (or is dropped), no file half written
      expect((await post(load, '/board/grade', load.instructor)).status).toBe(202);
      await until(async () => (await boardState(load)).stats.activeGradings! > 0, 30_000);
    } finally {
      expect(await stopServer(load)).toBe(0);
    }
    expect(load.stderr()).toMatch(/SIGTERM: finishing the runs under way[\s\S]*stopped; /);
    const files = readdirSync(load.reports, { recursive: true }).map(String);
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    const written = readResultsJson(readFileSync(join(load.reports, 'day1', 'results.json'), 'utf8'));
    // finished within the grace period: the class run was written whole; else it was dropped and the last run stands
    if (/every run under way was written/.test(load.stderr())) expect(written.students).toHaveLength(30);
    else expect(load.stderr()).toMatch(/cancelled, nothing of them written/);
  });
});

/** GET over HTTPS trusting only this certificate. */
function httpsGet(url: string, token: string, ca: Buffer): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS and exam mode', () => {
  it('--tls-cert/--tls-key serve HTTPS (secure cookie); --no-hints hides hints on student pages', async () => {
    const key = join(work, 'tls.key');
    const cert = join(work, 'tls.crt');
    await execa('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    const s = await startServer(subRoster(['s02'], join(work, 'tls.yaml')), ['--tls-cert', cert, '--tls-key', key, '--no-hints', '--every', '60']);
    try {
      expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = readFileSync(cert);
      const tok = s.students.get('s02')!;
      let html = '';
      await until(async () => {
        html = (JSON.parse((await httpsGet(`${s.url}/me/state`, tok, ca)).body) as { html: string }).html;
        return html.includes('data-check="d1.epel"');
      }, 60_000);
      expect(html).toContain('Hints are hidden (exam mode).');
      expect(html).toContain('class="found"');
      expect(html).not.toContain('class="hint"');
      expect(html).not.toContain('dnf install');
      const login = await httpsGet(`${s.url}/login?token=${tok}`, tok, ca);
      expect(login.status).toBe(303);
      expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly.*Secure|Secure.*HttpOnly/);
    } finally {
      expect(await stopServer(s)).toBe(0);
    }
  });
});

describe('labgrade verify', () => {
  it('fresh nodes: exit 0, every expectation listed, days 1-5 solved in the course order', async () => {
    const junit = join(work, 'verify-ok.xml');
    const r = await execa('node', [join(ROOT, 'bin/labgrade.mjs'), 'verify', '--roster', subRoster(['s02'], join(work, 'v1.yaml')), '--days', '1-5', '--junit', junit, '--reports', join(work, 'v1')], { cwd: ROOT, reject: false });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok {3}day 1 fresh: d1\.epel fails on s02\/node1 as on a fresh node$/m);
    expect(r.stdout).toMatch(/^ok {3}day 1 solution: scripts\/solutions\/day1\.sh runs on s02\/node3$/m);
    expect(r.stdout).toMatch(/^ok {3}day 2 solved: d2\.hosts passes on s02\/node3 after the day 2 solution$/m);
    // day 3 in the course's order: control on node1, the workers join with the join command it printed, finish
    expect(r.stdout).toMatch(/^ok {3}day 3 solution: scripts\/solutions\/day3\.sh control runs on s02\/node1$/m);
    expect(r.stdout).toMatch(/^ok {3}day 3 solution: scripts\/solutions\/day3\.sh worker runs on s02\/node3$/m);
    expect(r.stdout).toMatch(/^ok {3}day 3 solution: scripts\/solutions\/day3\.sh finish runs on s02\/node1$/m);
    expect(r.stdout).toMatch(/^ok {3}day 3 solved: d3\.np-test-httpd passes on s02\/node1 after the day 3 solution$/m);
    // day 4 after day 3 on the same cluster: control and worker do nothing, finish on node1 does it all
    expect(r.stdout).toMatch(/^ok {3}day 4 fresh: d4\.context fails on s02\/node1 as on a fresh node$/m);
    expect(r.stdout).toMatch(/^ok {3}day 4 solution: scripts\/solutions\/day4\.sh worker runs on s02\/node2$/m);
    expect(r.stdout).toMatch(/^ok {3}day 4 solution: scripts\/solutions\/day4\.sh finish runs on s02\/node1$/m);
    expect(r.stdout).toMatch(/^ok {3}day 4 solved: d4\.release-svc passes on s02\/node1 after the day 4 solution$/m);
    // day 5: the NFS server on node1 (control), nfs-utils on the workers, the objects in finish
    expect(r.stdout).toMatch(/^ok {3}day 5 fresh: d5\.nfs-server fails on s02\/node1 as on a fresh node$/m);
    expect(r.stdout).toMatch(/^ok {3}day 5 solution: scripts\/solutions\/day5\.sh control runs on s02\/node1$/m);
    expect(r.stdout).toMatch(/^ok {3}day 5 solution: scripts\/solutions\/day5\.sh worker runs on s02\/node3$/m);
    expect(r.stdout).toMatch(/^ok {3}day 5 solved: d5\.pvc-pod passes on s02\/node1 after the day 5 solution$/m);
    expect(r.stdout).not.toMatch(/^n\/a /m);
    expect(r.stdout).not.toMatch(/^FAIL/m);
    const xml = readFileSync(junit, 'utf8');
    expect((xml.match(/<testcase /g) ?? []).length).toBe((r.stdout.match(/^(ok|FAIL|n\/a) /gm) ?? []).length);
    expect(xml).not.toContain('<failure');
    // five days graded twice and solved on three nodes: more than the int project's 2 minutes on a busy machine
  }, 600_000);

  it('a fault: exit 1 naming the day, the check and what was found', async () => {
    await lab.applyFault(lab.node('s04', 'node1'), 'registries-dropin-overrides');
    const junit = join(work, 'verify-fault.xml');
    const r = await execa('node', [join(ROOT, 'bin/labgrade.mjs'), 'verify', '--roster', subRoster(['s04'], join(work, 'v2.yaml')), '--days', '1', '--junit', junit, '--reports', join(work, 'v2')], { cwd: ROOT, reject: false });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^FAIL day 1 solved: d1\.registries passes on s04\/node1 after the day 1 solution -- d1\.registries fails: found \S*99-search\.conf sets \["docker\.io"\]/m);
    expect(readFileSync(junit, 'utf8')).toMatch(/<failure message="day 1: d1\.registries fails: found [^"]*docker\.io/);
  });
});

describe('pages', () => {
  it('no console errors on any page opened', () => {
    expect(consoleErrors).toEqual([]);
  });
});
