#!/usr/bin/env node
/** `labgrade`: grade, check, merge, demo, lab. Thin: the work is in src/grade, src/report, src/lab. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { stringify } from 'yaml';
import { pickLang } from '../grade/messages.ts';
import { parseShard } from '../grade/plan.ts';
import { ReportsError } from '../report/atomic.ts';
import { defaultRosterPath, filterRoster, loadRoster, RosterError } from '../roster/index.ts';
import * as term from './out.ts';
import { askPassword } from './password.ts';
import { allPassed, classSummary, nodeReport } from './print.ts';
import { mergeDay, PKG_ROOT, runDay, type GradeRun } from './run.ts';
import { registerServeCommands } from './serve.ts';

/** Usage and input errors: exit 2, one clear line each, nothing written. */
class UsageError extends Error {}

const EXIT = { ok: 0, failed: 1, usage: 2, reports: 3 } as const;

function intArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number >= 1`);
    return n;
  };
}

/** The course days that have checks: checks/day<N>.spec.ts files. */
export function gradedDays(): number[] {
  return readdirSync(join(PKG_ROOT, 'checks'))
    .map((f) => /^day(\d+)\.spec\.ts$/.exec(f)?.[1])
    .filter((d): d is string => d !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function dayArg(v: string): number {
  const n = Number(v);
  const days = gradedDays();
  if (!days.includes(n)) throw new InvalidArgumentError(`checks exist for days ${days.join(', ')}`);
  return n;
}

/** Validates the roster and the filters before anything runs, so a bad input writes nothing. */
function validateRoster(path: string, student?: string, node?: string, shard?: string): void {
  const roster = loadRoster(path);
  warnPasswordAuth(roster.students.flatMap((s) => s.nodes.map((n) => n.passwordEnv)));
  filterRoster(roster, {
    ...(student ? { student: student.split(',') } : {}),
    ...(node ? { node: node.split(',') } : {}),
    ...(shard ? { shard: parseShard(shard) } : {}),
  });
}

/**
 * Students are root on the nodes: a password sent to one of them can be read there (a replaced sshd),
 * and lab VMs often share one root password. Say so once, before anything connects.
 */
function warnPasswordAuth(nodeVars: (string | undefined)[]): void {
  const vars = [...new Set(nodeVars.filter((v): v is string => Boolean(v)))];
  if (!process.env.LABGRADE_SSH_PASSWORD && !vars.some((v) => process.env[v])) return;
  term.err(
    'labgrade: warning: password authentication is enabled. A password goes only to a node whose host key was verified, ' +
      'in answer to a password prompt, but a student who is root on that node can read it. Prefer one SSH key on every node ' +
      '(docs/threat-model.md) and --strict-host-keys for exams.\n',
  );
}

async function grade(g: GradeRun, view: 'class' | 'node'): Promise<number> {
  const started = Date.now();
  const { results, files, errors, reportErrors } = await runDay(g);
  for (const e of errors) term.err(`labgrade: ${(e as Error)?.message ?? String(e)}\n`);
  if (g.shard) {
    term.out(`day ${g.day} shard ${g.shard.index}/${g.shard.count} graded; join the shards with: labgrade merge --day ${g.day}\n`);
    return allPassed(results) && !errors.length ? EXIT.ok : EXIT.failed;
  }
  if (!results) {
    term.err(`labgrade: day ${g.day}: nothing was graded\n`);
    return EXIT.failed;
  }
  const lang = pickLang(g.lang);
  term.out((view === 'class' ? classSummary(results, (Date.now() - started) / 1000) : nodeReport(results, lang)) + '\n');
  if (files.length) term.out(`reports: ${resolve(g.reportsDir, `day${g.day}`)}\n`);
  // The reports that could be written are; each one that could not is named with why, and the exit status says so.
  for (const f of reportErrors) term.err(`labgrade: report not written: ${f.file}: ${f.why}\n`);
  if (reportErrors.length) return EXIT.reports;
  return allPassed(results) && !errors.length ? EXIT.ok : EXIT.failed;
}

export function buildProgram(): Command {
  const program = new Command('labgrade')
    .description('Grade the Kubernetes course labs on student nodes over SSH')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('grade')
    .description('grade a day for the whole class (or a slice of it)')
    .requiredOption('--day <n>', 'course day (1-5, those with checks)', dayArg)
    .option('--roster <file>', 'class file (default: $LABGRADE_ROSTER or ./roster.yaml)')
    .option('--student <id>', 'only this student (comma-separated list allowed)')
    .option('--node <name>', 'only this node (node1, node2, node3)')
    .option('--shard <i/n>', 'grade slice i of n of the roster; join the slices with `labgrade merge`')
    .option('--concurrency <n>', 'nodes graded at once (default 32)', intArg('--concurrency'))
    .option('--strict-host-keys', 'refuse hosts whose key is not already in the known_hosts file (exams)')
    .option('--timeout <s>', 'per-command timeout in seconds (default 30)', intArg('--timeout'))
    .option('--connect-timeout <s>', 'SSH connect timeout in seconds (default 8)', intArg('--connect-timeout'))
    .option('--reports <dir>', 'where reports go', 'reports')
    .addOption(new Option('--engine <engine>', 'grade in-process (direct) or under Vitest; shards always use Vitest').choices(['direct', 'vitest']).default('direct'))
    .option('--ask-password', 'prompt once for an SSH password (or set LABGRADE_SSH_PASSWORD)')
    .addOption(new Option('--lang <lang>', 'message language (default from LANG)').choices(['en', 'ko']))
    .action(async (o) => {
      const roster = defaultRosterPath(o.roster);
      if (o.askPassword) process.env.LABGRADE_SSH_PASSWORD = await askPassword();
      validateRoster(roster, o.student, o.node, o.shard);
      process.exitCode = await grade(
        {
          day: o.day,
          rosterPath: roster,
          student: o.student,
          node: o.node,
          ...(o.shard ? { shard: parseShard(o.shard) } : {}),
          concurrency: o.concurrency,
          strictHostKeys: Boolean(o.strictHostKeys),
          lang: o.lang,
          reportsDir: o.reports,
          commandTimeoutS: o.timeout,
          connectTimeoutS: o.connectTimeout,
          engine: o.engine,
        },
        'class',
      );
    });

  program
    .command('check')
    .description('check one node (a student checking their own work)')
    .requiredOption('--day <n>', 'course day (1-5, those with checks)', dayArg)
    .option('--host <host>', 'the node to check (address or ~/.ssh/config alias)')
    .option('--local', 'check the machine this runs on')
    .option('--user <user>', 'SSH user (non-root users need passwordless sudo)')
    .option('--port <port>', 'SSH port', intArg('--port'))
    .option('--identity <file>', 'private key file')
    .option('--node <name>', 'which course node this is (node1, node2, node3)', 'node1')
    .option('--exercise-node <name>', 'the node that holds the day-1 container exercises', 'node1')
    .option('--strict-host-keys', 'refuse a host whose key is not already known')
    .option('--reports <dir>', 'where reports go', 'reports')
    .option('--ask-password', 'prompt for the SSH password (or set LABGRADE_SSH_PASSWORD)')
    .addOption(new Option('--lang <lang>', 'message language (default from LANG)').choices(['en', 'ko']))
    .action(async (o) => {
      if (Boolean(o.host) === Boolean(o.local)) throw new UsageError('check needs exactly one of --host HOST or --local');
      if (o.askPassword) process.env.LABGRADE_SSH_PASSWORD = await askPassword();
      const dir = mkdtempSync(join(tmpdir(), 'labgrade-check-'));
      try {
        const roster = join(dir, 'roster.yaml');
        const node: Record<string, unknown> = { host: o.local ? 'localhost' : o.host };
        if (o.user) node.user = o.user;
        if (o.port) node.port = o.port;
        if (o.identity) node.identity = resolve(o.identity);
        writeFileSync(roster, stringify({ lab: { exerciseNode: o.exerciseNode }, students: [{ id: 'me', nodes: { [o.node]: node } }] }));
        validateRoster(roster);
        process.exitCode = await grade(
          { day: o.day, rosterPath: roster, local: Boolean(o.local), strictHostKeys: Boolean(o.strictHostKeys), lang: o.lang, reportsDir: o.reports, progress: 'off' },
          'node',
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

  program
    .command('merge')
    .description("join the shards' results (labgrade grade --shard i/n) into one set of reports")
    .requiredOption('--day <n>', 'course day (1-5, those with checks)', dayArg)
    .option('--from <dir>', 'directory of the shard reports (default reports/blobs/day<N>)')
    .option('--reports <dir>', 'where reports go', 'reports')
    .action(async (o) => {
      const started = Date.now();
      const { results } = await mergeDay(o.day, o.reports, o.from);
      if (!results) throw new UsageError(`the shard reports hold no day ${o.day} results`);
      term.out(classSummary(results, (Date.now() - started) / 1000) + '\n');
      process.exitCode = allPassed(results) ? EXIT.ok : EXIT.failed;
    });

  program
    .command('demo')
    .description('bring up a simulated mixed class, grade every day that has checks, write reports/, take the class down')
    .option('--students <n>', 'students in the class', intArg('--students'), 6)
    .option('--keep', 'leave the class up afterwards (labgrade lab down removes it)')
    .option('--reports <dir>', 'where reports go', 'reports')
    .addOption(new Option('--lang <lang>', 'message language (default from LANG)').choices(['en', 'ko']))
    .action(async (o) => {
      const { labUp, labDown } = await import('../lab/index.ts');
      const say = (s: string) => term.out(`${s}\n`);
      say(`labgrade demo: starting ${o.students} students x 3 nodes (state: mixed) ...`);
      const t0 = Date.now();
      const lab = await labUp({ students: o.students, state: 'mixed', log: (l: string) => say(`  ${l}`) });
      say(`class up in ${((Date.now() - t0) / 1000).toFixed(1)} s; roster ${lab.rosterPath}`);
      try {
        const days = gradedDays();
        if (days.includes(3)) {
          // a cluster for the first student with days 1-2 done and untouched, built by day3.sh as in class
          const ready = lab.plan.find((p) => p.days.length === 2 && !p.faults && !p.sshdStopped && !p.keyRefused);
          if (ready) {
            const { solveClusterDay } = await import('../lab/cluster.ts');
            await solveClusterDay(lab, ready.student, 3);
            say(`  ${ready.student}: day 3 done too (kubeadm cluster, Calico, test-httpd)`);
            if (days.includes(4)) {
              await solveClusterDay(lab, ready.student, 4);
              say(`  ${ready.student}: day 4 done too (namespaces, release-apache Deployment and NodePort, context namespace)`);
              if (days.includes(5)) {
                await solveClusterDay(lab, ready.student, 5);
                say(`  ${ready.student}: day 5 done too (test-centos, NFS server, csi-driver-nfs, StorageClass, PV/PVC)`);
              }
            }
          }
        }
        for (const day of days) {
          await grade({ day, rosterPath: lab.rosterPath, lang: o.lang, reportsDir: o.reports }, 'class');
          say('');
        }
        say(`open ${resolve(o.reports, 'day1', 'summary.html')} in a browser for the class picture`);
      } finally {
        if (o.keep) say(`class left up (--keep): labgrade lab status / lab ssh s01 node1 / lab down`);
        else await labDown(lab.dir);
      }
      process.exitCode = EXIT.ok;
    });

  registerServeCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // The lab's commands pull in the whole simulator: load them only when asked for.
  if (argv[2] === 'lab' || argv[2] === 'help' || argv.includes('--help') || argv.includes('-h') || argv.length <= 2) {
    const { registerLabCommands } = await import('./lab.ts');
    registerLabCommands(program);
  }
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof ReportsError) {
      for (const f of err.failed) term.err(`labgrade: report not written: ${f.file}: ${f.why}\n`);
      return EXIT.reports;
    }
    if (err instanceof RosterError) {
      for (const p of err.problems) term.err(`labgrade: ${p}\n`);
      return EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof RangeError) {
      term.err(`labgrade: ${err.message}\n`);
      return EXIT.usage;
    }
    term.err(`labgrade: ${(err as Error)?.message ?? String(err)}\n`);
    return EXIT.failed;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main(process.argv).then((code) => process.exit(code));
}
