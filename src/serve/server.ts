/**
 * `labgrade serve`: the HTTP side. Hono (routing, cookies, SSE) on @hono/node-server (Node's http/https).
 * Every route but /login needs a token: the instructor's (the board, grading anyone) or a student's (their
 * own page and their own nodes only: no student route takes a student id, the token names the student).
 * Requests are never logged, so no token reaches a log.
 */
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { Lang } from '../grade/types.ts';
import { formatDate } from '../report/i18n.ts';
import { nodeKey, type ClassGrader } from './grader.ts';
import { APP_JS, boardFragments, CSP, EXTRA_CSS, pageHtml, seriesHtml, studentHtml, stuckHtml, summaryCss, WORDS } from './render.ts';
import type { Tokens, Who } from './tokens.ts';

export interface ServeOptions {
  grader: ClassGrader;
  tokens: Tokens;
  /** host:port */
  listen: { host: string; port: number };
  tls?: { cert: string; key: string };
  lang: Lang;
  hints: boolean;
  /** a student's "check now": at most one at a time, and this long between two */
  checkIntervalS: number;
  stuckMinutes: number;
  timeZone?: string;
  log: (line: string) => void;
}

type Env = { Variables: { who: Who } };

const COOKIE = 'lg_token';

export class LiveServer {
  private server: ServerType | undefined;
  private readonly streams = new Set<{ who: Who; stream: SSEStreamingApi; wake: () => void }>();
  private version = 1;
  private readonly checks = new Map<string, { last: number; running: boolean }>();
  private readonly cache = new Map<string, { version: number; body: unknown }>();
  private css = '';
  readonly app = new Hono<Env>();

  constructor(private readonly o: ServeOptions) {
    const bump = (ids: Set<string>) => {
      this.version++;
      this.notify(ids);
    };
    o.grader.on('update', bump);
    o.grader.on('busy', bump);
    o.grader.on('idle', bump);
    this.routes();
  }

  get url(): string {
    const a = this.server?.address() as AddressInfo | null;
    const host = this.o.listen.host.includes(':') ? `[${this.o.listen.host}]` : this.o.listen.host;
    return `${this.o.tls ? 'https' : 'http'}://${host}:${a?.port ?? this.o.listen.port}`;
  }

  private notify(students: Set<string>): void {
    for (const s of this.streams) {
      if (s.who.role === 'instructor' || students.has(s.who.id)) {
        s.stream.writeSSE({ event: 'update', data: String(this.version) }).catch(() => s.wake());
      }
    }
  }

  private langOf(c: Context<Env>): Lang {
    const q = c.req.query('lang');
    return q === 'ko' || q === 'en' ? q : this.o.lang;
  }

  private routes(): void {
    const { app, o } = this;
    app.onError((err, c) => {
      o.log(`request failed: ${err.message}`);
      return c.text('internal error', 500);
    });
    app.use('*', async (c, next) => {
      await next();
      c.header('Content-Security-Policy', CSP);
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Referrer-Policy', 'no-referrer');
      c.header('X-Frame-Options', 'DENY');
      c.header('Cache-Control', 'no-store');
    });

    // The link in links.csv: trades the token for an HttpOnly cookie, so it leaves the address bar.
    app.get('/login', (c) => {
      const token = c.req.query('token');
      const who = o.tokens.lookup(token);
      if (!who || !token) return c.text('unauthorized', 401);
      setCookie(c, COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/', secure: Boolean(o.tls) });
      return c.redirect(who.role === 'instructor' ? '/board' : '/me', 303);
    });

    app.use('*', async (c, next) => {
      const auth = c.req.header('authorization');
      const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
      const who = o.tokens.lookup(bearer ?? getCookie(c, COOKIE));
      if (!who) return c.text('unauthorized', 401, { 'WWW-Authenticate': 'Bearer' });
      c.set('who', who);
      // A custom header cannot be sent cross-site without a preflight we never answer: no CSRF on POSTs.
      if (c.req.method === 'POST' && c.req.header('x-labgrade') !== '1') return c.text('forbidden', 403);
      await next();
    });
    app.use('/board/*', async (c, next) => (c.get('who').role === 'instructor' ? next() : c.text('forbidden', 403)));
    app.use('/board', async (c, next) => (c.get('who').role === 'instructor' ? next() : c.text('forbidden', 403)));
    app.use('/me/*', async (c, next) => (c.get('who').role === 'student' ? next() : c.text('forbidden', 403)));
    app.use('/me', async (c, next) => (c.get('who').role === 'student' ? next() : c.text('forbidden', 403)));
    app.use('*', bodyLimit({ maxSize: 4096, onError: (c) => c.text('request too large', 413) }));

    app.get('/', (c) => c.redirect(c.get('who').role === 'instructor' ? '/board' : '/me', 303));
    app.get('/assets/app.js', (c) => c.body(APP_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
    app.get('/assets/app.css', (c) => {
      this.css ||= summaryCss(o.grader.current()) + EXTRA_CSS;
      return c.body(this.css, 200, { 'Content-Type': 'text/css; charset=utf-8' });
    });

    app.get('/board', (c) => {
      const lang = this.langOf(c);
      const roster = o.grader.studentIds().map((id) => ({ id, nodes: o.grader.nodesOf(id).map((n) => n.node) }));
      return c.html(pageHtml({ kind: 'board', lang, day: o.grader.dayNumber, title: WORDS[lang].board(o.grader.dayNumber), roster }));
    });
    app.get('/board/state', (c) => c.json(this.boardState(this.langOf(c))));
    app.get('/board/events', (c) => this.events(c));
    app.post('/board/grade', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { student?: unknown; node?: unknown };
      const student = typeof body.student === 'string' ? body.student : undefined;
      const node = typeof body.node === 'string' ? body.node : undefined;
      if (student && !o.grader.studentIds().includes(student)) return c.json({ message: `no student ${student}` }, 404);
      const nodes = o.grader.plan.nodes.filter((n) => (!student || n.student === student) && (!node || n.node === node));
      if (!nodes.length) return c.json({ message: 'no such node' }, 404);
      void o.grader.request(nodes.map((n) => nodeKey(n.student, n.node))).catch(() => undefined);
      return c.json({ message: `${nodes.length} node(s) queued`, nodes: nodes.length }, 202);
    });

    app.get('/me', (c) => {
      const lang = this.langOf(c);
      const id = (c.get('who') as { id: string }).id;
      return c.html(pageHtml({ kind: 'student', lang, day: o.grader.dayNumber, title: WORDS[lang].student(o.grader.dayNumber, id) }));
    });
    app.get('/me/state', (c) => c.json(this.studentState((c.get('who') as { id: string }).id, this.langOf(c))));
    app.get('/me/events', (c) => this.events(c));
    app.post('/me/check', (c) => {
      const id = (c.get('who') as { id: string }).id;
      const st = this.checks.get(id) ?? { last: 0, running: false };
      this.checks.set(id, st);
      const now = Date.now();
      if (st.running) return c.json({ message: 'a check is already running', running: true, waitS: this.waitS(id, now) }, 429);
      const wait = this.waitS(id, now);
      if (wait > 0) return c.json({ message: `wait ${wait} s`, waitS: wait }, 429, { 'Retry-After': String(wait) });
      st.running = true;
      st.last = now;
      this.version++;
      o.grader
        .request(o.grader.nodesOf(id).map((n) => nodeKey(n.student, n.node)))
        .catch(() => undefined)
        .finally(() => {
          st.running = false;
          this.version++;
          this.notify(new Set([id]));
        });
      return c.json({ message: 'checking', waitS: o.checkIntervalS }, 202);
    });
  }

  private waitS(id: string, now: number): number {
    const st = this.checks.get(id);
    return st ? Math.max(0, Math.ceil((st.last + this.o.checkIntervalS * 1000 - now) / 1000)) : 0;
  }

  private events(c: Context<Env>): Response {
    const who = c.get('who');
    // a few tabs per person; a script opening streams without end would hold sockets and memory
    const mine = [...this.streams].filter((s) => (s.who.role === 'instructor' ? who.role === 'instructor' : who.role === 'student' && s.who.id === who.id)).length;
    if (mine >= (who.role === 'instructor' ? 32 : 8)) return c.text('too many open pages', 429);
    return streamSSE(c, async (stream) => {
      let wake: () => void = () => undefined;
      const closed = new Promise<void>((r) => (wake = r));
      const entry = { who, stream, wake };
      this.streams.add(entry);
      stream.onAbort(() => wake());
      // a comment line every 25 s keeps proxies from closing an idle stream
      const ping = setInterval(() => void stream.write(': ping\n\n').catch(() => wake()), 25_000);
      try {
        await stream.writeSSE({ event: 'update', data: String(this.version) });
        await closed;
      } finally {
        clearInterval(ping);
        this.streams.delete(entry);
      }
    });
  }

  private graded(iso: string | undefined): string | undefined {
    return iso ? formatDate(iso, this.o.timeZone) : undefined;
  }

  private boardState(lang: Lang): unknown {
    const g = this.o.grader;
    // counters change without a new version (a page connects): never cached
    const stats = { runs: g.runs, failedRuns: g.failedRuns, activeGradings: g.gate.active, maxActiveGradings: g.gate.maxActive, concurrency: g.gate.limit, sse: this.streams.size };
    const key = `board:${lang}`;
    const hit = this.cache.get(key);
    if (hit && hit.version === this.version) return { ...(hit.body as object), stats };
    const r = g.current();
    const running = g.studentIds().filter((id) => g.isRunning(id));
    const body = {
      version: this.version,
      day: g.dayNumber,
      graded: r.students.length ? this.graded(r.finishedAt) : undefined,
      running,
      ...boardFragments(r, lang, this.o.timeZone),
      stuck: stuckHtml(r, lang, g.lastProgress, this.o.stuckMinutes),
      series: seriesHtml(r, g.series, lang, this.o.timeZone),
      stats,
    };
    this.cache.set(key, { version: this.version, body });
    return body;
  }

  private studentState(id: string, lang: Lang): unknown {
    const g = this.o.grader;
    const r = g.current(id);
    return {
      version: this.version,
      day: g.dayNumber,
      student: id,
      graded: r.students.length ? this.graded(r.finishedAt) : undefined,
      running: g.isRunning(id) || Boolean(this.checks.get(id)?.running),
      waitS: this.waitS(id, Date.now()),
      html: studentHtml(r, id, lang, { hints: this.o.hints, timeZone: this.o.timeZone }),
    };
  }

  async start(): Promise<void> {
    const { listen, tls } = this.o;
    await new Promise<void>((resolve, reject) => {
      const opts = tls
        ? { createServer: createHttpsServer, serverOptions: { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } }
        : {};
      this.server = serve({ fetch: this.app.fetch, port: listen.port, hostname: listen.host, ...opts }, () => resolve());
      this.server.once('error', reject);
    });
  }

  /** Stops accepting, ends the event streams (their pages reconnect to whatever comes next). */
  async close(): Promise<void> {
    for (const s of this.streams) s.wake();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
