// `labgrade serve` and `labgrade verify`: thin wrappers over src/serve and src/verify (loaded when run).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { pickLang } from '../grade/messages.ts';
import { defaultRosterPath, loadRoster } from '../roster/index.ts';
import { daySpecModule, PKG_ROOT } from './run.ts';

function num(name: string, min: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`${name} must be a number >= ${min}`);
    return n;
  };
}

export function specPath(day: number): string {
  return join(PKG_ROOT, 'checks', `day${day}.spec.ts`);
}

function dayArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new InvalidArgumentError('the course has days 1 to 5');
  if (!existsSync(specPath(n))) throw new InvalidArgumentError(`day ${n} has no checks yet (${specPath(n)} does not exist)`);
  return n;
}

/** `127.0.0.1:8080`, `0.0.0.0:8080`, `[::1]:8080`, `:8080` or `8080`. */
export function parseListen(v: string): { host: string; port: number } {
  const s = v.trim();
  // a bare port listens on the default host
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(s) ?? /^([A-Za-z0-9.-]*):(\d{1,5})$/.exec(/^\d+$/.test(s) ? `:${s}` : s);
  const port = Number(m?.[2]);
  if (!m || port > 65535) throw new InvalidArgumentError(`--listen wants host:port (e.g. 0.0.0.0:8080), not ${JSON.stringify(v)}`);
  return { host: m[1] || '127.0.0.1', port };
}

function daysArg(v: string): number[] {
  const m = /^(\d)(?:-(\d))?$/.exec(v.trim());
  const a = Number(m?.[1]);
  const b = Number(m?.[2] ?? m?.[1]);
  if (!m || a < 1 || b > 5 || a > b) throw new InvalidArgumentError('--days wants N or N-M within 1-5 (e.g. 1-5)');
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('live class board and student pages over HTTP, grading on a schedule and on demand')
    .requiredOption('--day <n>', 'course day', dayArg)
    .option('--roster <file>', 'class file (default: $LABGRADE_ROSTER or ./roster.yaml)')
    .option('--listen <host:port>', 'where to listen (0.0.0.0:8080 for a classroom)', '127.0.0.1:8080')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'and this key (PEM)')
    .option('--every <minutes>', 'grade the whole class every N minutes', num('--every', 0.05), 5)
    .option('--concurrency <n>', 'node gradings at once, over all runs', num('--concurrency', 1), 32)
    .option('--check-interval <s>', "minimum seconds between two of a student's own checks", num('--check-interval', 0), 30)
    .option('--stuck-minutes <m>', 'a student without progress this long shows as stuck', num('--stuck-minutes', 1), 10)
    .option('--no-hints', 'exam mode: student pages show no hints')
    .option('--links <file>', 'CSV of every access link (instructor and one per student)', 'labgrade-links.csv')
    .option('--reports <dir>', 'where reports go', 'reports')
    .option('--strict-host-keys', 'refuse hosts whose key is not already known (exams)')
    .option('--timeout <s>', 'per-command timeout in seconds (default 30)', num('--timeout', 1))
    .option('--connect-timeout <s>', 'SSH connect timeout in seconds (default 8)', num('--connect-timeout', 1))
    .addOption(new Option('--lang <lang>', 'default page language (default from LANG)').choices(['en', 'ko']))
    .action(async (o) => {
      if (Boolean(o.tlsCert) !== Boolean(o.tlsKey)) throw new InvalidArgumentError('--tls-cert and --tls-key go together');
      const listen = parseListen(o.listen);
      const rosterPath = resolve(defaultRosterPath(o.roster));
      const roster = loadRoster(rosterPath);
      const { runServe } = await import('../serve/index.ts');
      process.exitCode = await runServe({
        day: o.day,
        specPath: daySpecModule(o.day),
        rosterPath,
        names: new Map(roster.students.map((s) => [s.id, s.name])),
        listen,
        ...(o.tlsCert ? { tls: { cert: o.tlsCert, key: o.tlsKey } } : {}),
        everyMs: o.every * 60_000,
        concurrency: o.concurrency,
        checkIntervalS: o.checkInterval,
        stuckMinutes: o.stuckMinutes,
        hints: o.hints !== false,
        linksPath: resolve(o.links),
        reportsDir: o.reports,
        strictHostKeys: Boolean(o.strictHostKeys),
        commandTimeoutS: o.timeout,
        connectTimeoutS: o.connectTimeout,
        lang: pickLang(o.lang),
      });
    });

  program
    .command('verify')
    .description('prove a lab image: per day, fresh nodes fail that day, the course solution makes them pass')
    .option('--roster <file>', 'class file of nodes freshly made from the image')
    .option('--days <range>', 'days to verify, e.g. 1-5', daysArg, [1, 2, 3, 4, 5])
    .option('--from-state <day>', 'the nodes already hold days before this one (start there)', num('--from-state', 1))
    .option('--junit <file>', 'one JUnit file for the whole verification', 'reports/verify/junit.xml')
    .option('--reports <dir>', 'where the gradings write their reports', 'reports/verify')
    .option('--concurrency <n>', 'nodes graded at once', num('--concurrency', 1), 32)
    .option('--solution-timeout <s>', "seconds one node's solution script may take", num('--solution-timeout', 1), 900)
    .option('--strict-host-keys', 'refuse hosts whose key is not already known')
    .action(async (o) => {
      const rosterPath = resolve(defaultRosterPath(o.roster));
      loadRoster(rosterPath);
      const { runVerify } = await import('../verify/index.ts');
      const days = (o.days as number[]).filter((d) => d >= (o.fromState ?? 1));
      process.exitCode = await runVerify({
        rosterPath,
        days,
        junitPath: resolve(o.junit),
        reportsDir: o.reports,
        concurrency: o.concurrency,
        solutionTimeoutS: o.solutionTimeout,
        strictHostKeys: Boolean(o.strictHostKeys),
        out: (s) => process.stdout.write(s),
      });
    });
}
