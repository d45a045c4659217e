/**
 * `labgrade grade` for the mini spec: what src/cli/run.ts runDay() does by default (the direct engine:
 * the spec's checks, one connection per node, every report written), with the spec path swapped,
 * because the CLI only grades checks/day<N>.spec.ts. Run through tsx like bin/labgrade.mjs runs the CLI:
 *   node node_modules/tsx/dist/cli.mjs bench/mini/grade.ts ROSTER REPORTS_DIR
 */
import { join, resolve } from 'node:path';
import { PKG_ROOT } from '../../src/cli/run.ts';
import { gradeDirect, loadDay } from '../../src/grade/direct.ts';
import { loadPlanFromEnv } from '../../src/grade/plan.ts';
import { writeAll } from '../../src/report/vitest-reporter.ts';

const [roster, reports] = process.argv.slice(2);
if (!roster || !reports) throw new Error('usage: grade.ts ROSTER REPORTS_DIR');
process.env.LABGRADE_ROSTER = resolve(roster);

const results = await gradeDirect(await loadDay(join(PKG_ROOT, 'bench/mini/mini.spec.ts')), loadPlanFromEnv());
const files = await writeAll(results, reports);
const failed = results.results.filter((c) => c.status !== 'pass').length;
process.stdout.write(`mini: ${results.results.length} results, ${failed} not passed, ${files.length} report files\n`);
process.exit(0);
