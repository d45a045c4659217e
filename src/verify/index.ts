/**
 * `labgrade verify`: proves a lab image end to end. For each day in order, on nodes freshly made from the
 * image: every check of the day fails (or is blocked) as on a fresh node and none is an infrastructure
 * error; the course's own scripts/solutions/dayN.sh runs on each student's nodes over SSH, node1
 * (control1) first, then the workers, as the course does (day 4 joins need the control plane); then every
 * check passes. Each of these is one expectation, one JUnit testcase; exit 0 only when all held.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { daySpecModule, PKG_ROOT } from '../cli/run.ts';
import junit, { type Builder } from 'junit-report-builder';
import { gradeDirect, loadDay } from '../grade/direct.ts';
import { loadPlanFromEnv, type Plan } from '../grade/plan.ts';
import { shq } from '../grade/gather.ts';
import { mapPool } from '../grade/pool.ts';
import type { CheckResult, RunResults } from '../grade/types.ts';
import { xmlSafe } from '../report/junit.ts';
import { oneLine } from '../report/text.ts';
import { writeAll } from '../report/vitest-reporter.ts';
import { InfraError } from '../transport/types.ts';
import { runSolutionSteps } from '../lab/steps.ts';

const builder = junit as unknown as { newBuilder(): Builder };


export interface VerifyRun {
  rosterPath: string;
  days: number[];
  junitPath: string;
  reportsDir: string;
  concurrency: number;
  solutionTimeoutS: number;
  strictHostKeys: boolean;
  out: (s: string) => void;
  /** where checks/ and scripts/solutions/ are (tests point it elsewhere) */
  root?: string;
}

export interface Expectation {
  day: number;
  phase: 'fresh' | 'solution' | 'solved' | 'available';
  /** what must hold, e.g. "d1.epel fails on s01/node1 as on a fresh node" */
  name: string;
  held: boolean | 'skipped';
  /** what was found when it did not hold */
  detail?: string;
}

function freshExpectation(day: number, r: CheckResult): Expectation {
  const name = `${r.checkId} fails on ${r.student}/${r.node} as on a fresh node`;
  if (r.status === 'fail' || r.status === 'blocked') return { day, phase: 'fresh', name, held: true };
  if (r.status === 'pass') return { day, phase: 'fresh', name, held: false, detail: `${r.checkId} already passes on a fresh node: found ${r.found ?? '?'}` };
  return { day, phase: 'fresh', name, held: false, detail: `infrastructure error (${r.error?.kind}): ${r.error?.message ?? ''}` };
}

function solvedExpectation(day: number, r: CheckResult): Expectation {
  const name = `${r.checkId} passes on ${r.student}/${r.node} after the day ${day} solution`;
  if (r.status === 'pass') return { day, phase: 'solved', name, held: true };
  const detail =
    r.status === 'fail'
      ? `${r.checkId} fails: found ${r.found ?? '?'}; expected ${r.expected ?? '?'}`
      : r.status === 'blocked'
        ? `${r.checkId} is blocked by ${r.blockedBy ?? '?'}`
        : `infrastructure error (${r.error?.kind}): ${r.error?.message ?? ''}`;
  return { day, phase: 'solved', name, held: false, detail };
}

async function solve(plan: Plan, day: number, script: string, timeoutS: number, concurrency: number): Promise<Expectation[]> {
  const students = plan.students.map((s) => s.id);
  const perStudent = await mapPool(students, Math.max(1, Math.floor(concurrency / 3)), async (student) => {
    const mine = plan.nodes.filter((n) => n.student === student);
    // the course's order (src/lab/steps.ts): days 1-2 node by node; days 3-5 control, the workers, control again
    const nodes = mine.map((n) => ({
      name: n.node,
      run: async (args: string[]) => {
        const t = n.open();
        try {
          const vars = { LAB_NODE: n.node, LAB_EXERCISE_NODE: n.ctx.exerciseNode, LAB_KUBE_DIR: n.ctx.kubeYamlDir };
          const env = Object.entries(vars).map(([k, v]) => `export ${k}=${shq(v)}\n`).join('');
          return await t.run(`bash -s -- ${args.map(shq).join(' ')}`, { stdin: env + script, timeoutMs: timeoutS * 1000, maxBytes: 8 * 1024 * 1024 });
        } catch (err) {
          throw new Error(`infrastructure error: ${err instanceof InfraError ? `${err.kind}: ${err.message}` : (err as Error).message}`);
        } finally {
          await t.close().catch(() => undefined);
        }
      },
    }));
    const outcomes = await runSolutionSteps(day, nodes, mine[0]?.ctx.controlNode ?? 'node1');
    return outcomes.map((o): Expectation => {
      const name = `scripts/solutions/day${day}.sh ${o.args[0] ? `${o.args[0]} ` : ''}runs on ${student}/${o.node}`;
      const detail = o.detail?.startsWith('timed out') ? `timed out after ${timeoutS} s${o.detail.slice('timed out'.length)}` : o.detail;
      return o.ok ? { day, phase: 'solution', name, held: true } : { day, phase: 'solution', name, held: false, detail: oneLine(detail ?? '', 600) };
    });
  });
  return perStudent.flat();
}

function toJunitXml(exps: Expectation[]): string {
  const b = builder.newBuilder().name('labgrade verify');
  const suites = new Map<string, ReturnType<Builder['testSuite']>>();
  for (const x of exps) {
    const key = `day${x.day} ${x.phase}`;
    let suite = suites.get(key);
    if (!suite) {
      suite = b.testSuite().name(key);
      suites.set(key, suite);
    }
    const tc = suite.testCase().className(`verify.day${x.day}.${x.phase}`).name(xmlSafe(x.name));
    if (x.held === 'skipped') tc.skipped().standardOutput(xmlSafe(x.detail ?? ''));
    else if (!x.held) tc.failure(xmlSafe(`day ${x.day}: ${x.detail ?? 'did not hold'}`), x.phase);
  }
  return b.build();
}

export async function verifyDays(o: VerifyRun): Promise<Expectation[]> {
  const root = o.root ?? PKG_ROOT;
  const exps: Expectation[] = [];
  const env: NodeJS.ProcessEnv = {
    LABGRADE_ROSTER: o.rosterPath,
    LABGRADE_CONCURRENCY: String(o.concurrency),
    ...(o.strictHostKeys ? { LABGRADE_STRICT_HOST_KEYS: '1' } : {}),
  };
  const plan = loadPlanFromEnv(env);
  let stop: string | undefined;
  for (const day of o.days) {
    const spec = join(root, 'checks', `day${day}.spec.ts`);
    const sol = join(root, 'scripts', 'solutions', `day${day}.sh`);
    const missing = [existsSync(spec) ? '' : `checks/day${day}.spec.ts`, existsSync(sol) ? '' : `scripts/solutions/day${day}.sh`].filter(Boolean);
    if (stop || missing.length) {
      const why = stop ?? `not available: ${missing.join(' and ')} ${missing.length > 1 ? 'do' : 'does'} not exist yet`;
      exps.push({ day, phase: 'available', name: `day ${day} verified`, held: 'skipped', detail: why });
      o.out(`day ${day}: NOT VERIFIED (${why})\n`);
      stop ??= `day ${day} before it was not verified`;
      continue;
    }
    const dayDef = await loadDay(root === PKG_ROOT ? daySpecModule(day) : spec);
    const grade = async (label: 'fresh' | 'solved'): Promise<RunResults> => {
      const r = await gradeDirect(dayDef, plan);
      await writeAll(r, join(o.reportsDir, label));
      return r;
    };
    const count = (xs: Expectation[]) => `${xs.filter((x) => x.held === true).length}/${xs.length}`;

    const fresh = (await grade('fresh')).results.map((r) => freshExpectation(day, r));
    exps.push(...fresh);
    o.out(`day ${day}: fresh nodes fail every check: ${count(fresh)} held\n`);
    const solution = await solve(plan, day, readFileSync(sol, 'utf8'), o.solutionTimeoutS, o.concurrency);
    exps.push(...solution);
    o.out(`day ${day}: solution ran: ${count(solution)} steps\n`);
    const solved = (await grade('solved')).results.map((r) => solvedExpectation(day, r));
    exps.push(...solved);
    o.out(`day ${day}: solved nodes pass every check: ${count(solved)} held\n`);
    if (solution.some((x) => !x.held)) stop = `the day ${day} solution failed`;
  }
  return exps;
}

export async function runVerify(o: VerifyRun): Promise<number> {
  process.env.LABGRADE_PROGRESS ??= 'off';
  const exps = await verifyDays(o);
  await mkdir(dirname(o.junitPath), { recursive: true });
  await writeFile(o.junitPath, toJunitXml(exps));
  const failed = exps.filter((x) => x.held === false);
  const held = exps.filter((x) => x.held === true);
  o.out('\n');
  for (const x of exps) {
    const mark = x.held === true ? 'ok  ' : x.held === false ? 'FAIL' : 'n/a ';
    o.out(`${mark} day ${x.day} ${x.phase}: ${x.name}${x.held === true ? '' : ` -- ${oneLine(x.detail ?? '', 400)}`}\n`);
  }
  o.out(`\n${held.length} expectations held, ${failed.length} did not, ${exps.length - held.length - failed.length} not available; junit: ${o.junitPath}\n`);
  return failed.length === 0 && held.length > 0 ? 0 : 1;
}
