import { describe, expect, it } from 'vitest';
import { readResultsJson, ResultsJsonError, toResultsJson } from '../../src/report/results-json.ts';
import { CANONICAL_RESULTS, CANONICAL_STUDENTS, makeRun, makeRunWithS9 } from './fixture.ts';

describe('results.json', () => {
  it('round-trips to the same run, in canonical order: students in natural order (s9 before s10)', () => {
    const r = makeRunWithS9();
    const back = readResultsJson(toResultsJson(r));
    expect(back.students.map((s) => s.id)).toEqual(CANONICAL_STUDENTS);
    expect(back.results.map((x) => `${x.student} ${x.node} ${x.checkId}`)).toEqual(CANONICAL_RESULTS);
    // the same content, only reordered
    const { students, results, ...rest } = back;
    expect(rest).toEqual((({ students: _s, results: _r, ...o }) => o)(r));
    expect(students).toHaveLength(r.students.length);
    expect(students).toEqual(expect.arrayContaining(r.students));
    expect(results).toHaveLength(r.results.length);
    expect(results).toEqual(expect.arrayContaining(r.results));
  });

  it('prints the same bytes whatever the input order and key order', () => {
    const r = makeRun();
    const shuffled = { ...r, students: [...r.students].reverse(), results: [...r.results].reverse() };
    const reKeyed = JSON.parse(JSON.stringify(shuffled), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    expect(toResultsJson(reKeyed)).toBe(toResultsJson(r));
    const text = toResultsJson(r);
    expect(text.endsWith('\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(['schema', 'day', 'startedAt', 'finishedAt', 'checks', 'students', 'results']);
    expect(Object.keys(JSON.parse(text).results[0])).toEqual(['student', 'node', 'host', 'checkId', 'status', 'weight', 'score']);
  });

  it('rejects another schema version with a plain message', () => {
    const doc = JSON.parse(toResultsJson(makeRun()));
    doc.schema = 'labgrade/results@2';
    expect(() => readResultsJson(JSON.stringify(doc))).toThrow(/unsupported results schema "labgrade\/results@2"/);
    delete doc.schema;
    expect(() => readResultsJson(JSON.stringify(doc))).toThrow(ResultsJsonError);
  });

  it('rejects a malformed run, naming where', () => {
    const message = (mutate: (doc: { results: Record<string, unknown>[] }) => void): string => {
      const doc = JSON.parse(toResultsJson(makeRun()));
      mutate(doc);
      try {
        readResultsJson(JSON.stringify(doc));
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(message((d) => void ((d.results[0] as { status: string }).status = 'passed'))).toMatch(/results\.0\.status/);
    // Cross-reference rules run once the shape is right.
    expect(message((d) => void ((d.results[1] as { checkId: string }).checkId = 'd9.nope'))).toMatch(/results\.1\.checkId: unknown check d9\.nope/);
    expect(message((d) => void ((d.results[2] as { score: number }).score = 99))).toMatch(/results\.2\.score: score 99 exceeds weight/);
    expect(() => readResultsJson('{not json')).toThrow(/not JSON/);
  });

  it('rejects duplicate verdicts and unknown nodes', () => {
    const doc = JSON.parse(toResultsJson(makeRun()));
    doc.results.push({ ...doc.results[0] });
    doc.results[3].node = 'node9';
    expect(() => readResultsJson(JSON.stringify(doc))).toThrow(/duplicate verdict[\s\S]*has no node node9|has no node node9[\s\S]*duplicate verdict/);
  });

  it('accepts fields a newer @1 writer added (additive changes keep @1)', () => {
    const doc = JSON.parse(toResultsJson(makeRun()));
    doc.labgradeVersion = '0.2.0';
    doc.results[0].durationMs = 12;
    expect(() => readResultsJson(JSON.stringify(doc))).not.toThrow();
  });
});
