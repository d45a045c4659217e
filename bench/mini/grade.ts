/**
 * `labgrade grade` for the mini spec: what src/cli/run.ts runDay() does by default (the direct engine:
 * the spec's checks, one connection per node, every report written), with the spec path swapped,
 * because the CLI only grades checks/day<N>.spec.ts. Compiled by the bench (tsconfig.bench.json) and run like the
 * CLI runs dist/:  node reports/bench/build/bench/mini/grade.js ROSTER REPORTS_DIR  (or through tsx from source)
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradeDirect, loadDay } from '../../src/grade/direct.ts';
import { loadPlanFromEnv } from '../../src/grade/plan.ts';
import { writeAll } from '../../src/report/vitest-reporter.ts';

const [roster, reports] = process.argv.slice(2);
if (!roster || !reports) throw new Error('usage: grade.ts ROSTER REPORTS_DIR');
process.env.LABGRADE_ROSTER = resolve(roster);

const results = await gradeDirect(await loadDay(fileURLToPath(new URL(import.meta.url.endsWith('.js') ? './mini.spec.js' : './mini.spec.ts', import.meta.url))), loadPlanFromEnv());
const files = await writeAll(results, reports);
const failed = results.results.filter((c) => c.status !== 'pass').length;
process.stdout.write(`mini: ${results.results.length} results, ${failed} not passed, ${files.length} report files\n`);
process.exit(0);
