/** One report failing must not take the others with it; junit.xml stays bounded and valid whatever a node sent. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportsError } from '../../src/report/atomic.ts';
import { parseCsv, toGradesCsv } from '../../src/report/csv.ts';
import { writeAll } from '../../src/report/vitest-reporter.ts';
import { makeRun } from './fixture.ts';

const tmp = mkdtempSync(join(tmpdir(), 'lg-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('reports are written one by one', () => {
  it('a report that cannot be written is named with why; every other report is written', async () => {
    const out = join(tmp, 'a');
    mkdirSync(join(out, 'day1', 'summary.html'), { recursive: true }); // a directory where the file goes: rename fails
    const err = await writeAll(makeRun(), out).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ReportsError);
    const re = err as ReportsError;
    expect(re.failed.map((f) => f.file)).toEqual([join(out, 'day1', 'summary.html')]);
    expect(re.failed[0]!.why).toMatch(/EISDIR|directory/i);
    for (const f of ['junit.xml', 'grades.csv', 'summary.md', 'results.json']) expect(existsSync(join(out, 'day1', f)), f).toBe(true);
    expect(re.written).toContain(join(out, 'day1', 'results.json'));
  });

  it('junit.xml: a 5 MB found is cut, the file stays small and valid for xmllint', async () => {
    const run = makeRun();
    const huge = `${'x'.repeat(5_000_000)}\u001b]52;c;aGk=\u0007`;
    run.results = run.results.map((r) => (r.status === 'fail' ? { ...r, found: huge } : r));
    const out = join(tmp, 'b');
    await writeAll(run, out);
    const junit = join(out, 'day1', 'junit.xml');
    expect(statSync(junit).size).toBeLessThan(500_000);
    expect(readFileSync(junit, 'utf8')).toMatch(/\(cut, \d+ more characters\)/);
    execFileSync('xmllint', ['--noout', junit]);
    for (const f of ['s01', 's02', 's03', 's10']) execFileSync('xmllint', ['--noout', join(out, 'day1', 'students', `${f}.xml`)]);
  });

  it('grades.csv: every cell starting with = + - @ tab or CR is defused, the id column too', () => {
    const run = makeRun();
    run.students = run.students.map((s) => (s.id === 's02' ? { ...s, id: '@SUM(A1)' } : s));
    run.results = run.results.map((r) => (r.student === 's02' ? { ...r, student: '@SUM(A1)' } : r));
    const rows = parseCsv(toGradesCsv(run));
    const cells = rows.flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells).toContain("'@SUM(A1)");
  });
});
