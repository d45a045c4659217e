/**
 * `labgrade grade` for the mini spec: what src/cli/run.ts runDay() does (Vitest in this process, the
 * labgrade reporters' results, every report written), with the spec path swapped, because the CLI only
 * grades checks/day<N>.spec.ts. Run through tsx like bin/labgrade.mjs runs the CLI:
 *   node node_modules/tsx/dist/cli.mjs bench/mini/grade.ts ROSTER REPORTS_DIR
 */
import { join, resolve } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { PKG_ROOT } from '../../src/cli/run.ts';
import type { RunResults } from '../../src/grade/types.ts';
import { collectResults, writeAll } from '../../src/report/vitest-reporter.ts';

const [roster, reports] = process.argv.slice(2);
if (!roster || !reports) throw new Error('usage: grade.ts ROSTER REPORTS_DIR');
process.env.LABGRADE_ROSTER = resolve(roster);

class Capture implements Reporter {
  results: RunResults[] = [];
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    this.results = collectResults(modules);
  }
}

const { startVitest } = await import('vitest/node');
const capture = new Capture();
// The checks project of vitest.config.ts, inline (its include does not cover bench/): same pool and timeouts.
const vitest = await startVitest('test', [join(PKG_ROOT, 'bench/mini/mini.spec.ts')], {
  root: PKG_ROOT,
  config: false,
  include: ['bench/mini/*.spec.ts'],
  pool: 'threads',
  isolate: false,
  testTimeout: 5_000,
  hookTimeout: 3_600_000,
  watch: false,
  silent: true,
  reporters: [capture],
});
await vitest.close();
const results = capture.results.find((r) => r.day === 9);
const files = results ? await writeAll(results, reports) : [];
const failed = results ? results.results.filter((c) => c.status !== 'pass').length : -1;
process.stdout.write(`mini: ${results ? results.results.length : 0} results, ${failed} not passed, ${files.length} report files\n`);
process.exit(results ? 0 : 1);
