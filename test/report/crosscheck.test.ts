import { describe, expect, it } from 'vitest';
import { crossCheck } from '../../src/report/crosscheck.ts';
import { toGradesCsv } from '../../src/report/csv.ts';
import { toSummaryHtml } from '../../src/report/html.ts';
import { toResultsJson } from '../../src/report/results-json.ts';
import { makeRun } from './fixture.ts';

describe('crossCheck', () => {
  const r = makeRun();
  const files = { html: toSummaryHtml(r, { lang: 'ko' }), csv: toGradesCsv(r), json: toResultsJson(r) };

  it('agrees on every verdict of a consistent set', () => {
    const report = crossCheck(r, files);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, checked: r.results.length });
  });

  it('catches a cell changed in any one format', () => {
    const html = files.html.replace('data-check="d1.port" data-status="blocked"', 'data-check="d1.port" data-status="fail"');
    expect(crossCheck(r, { ...files, html }).problems).toEqual(['html: s02 node1 d1.port shows fail, run says blocked']);

    const csv = files.csv.replace('s01,김민준,1,2,', 's01,김민준,1,0,');
    expect(crossCheck(r, { ...files, csv }).problems).toEqual(['csv: s01 node1 d1.registries is 0, run says 2']);

    const doc = JSON.parse(files.json);
    doc.results.pop();
    expect(crossCheck(r, { ...files, json: JSON.stringify(doc) }).problems).toEqual(['json: missing verdict s10 node3 d1.eth1']);

    const dup = files.html.replace('</tbody>', '<tr><td data-student="s01" data-node="node1" data-check="d1.podman" data-status="pass"></td></tr></tbody>');
    expect(crossCheck(r, { ...files, html: dup }).problems).toEqual(['html: 2 cells for s01 node1 d1.podman']);
  });

  it('requires errors to be explained in the csv status column', () => {
    const csv = files.csv.replace(/"node2 not graded[^\n]*"\r\n/, '""\r\n');
    expect(crossCheck(r, { ...files, csv }).problems).toEqual([
      'csv: s03 node1 d1.podman is an error but the status column does not say so',
      'csv: s03 node2 d1.eth1 is an error but the status column does not say so',
    ]);
  });
});
