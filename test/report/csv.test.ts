import { describe, expect, it } from 'vitest';
import { BOM, parseCsv, toGradesCsv } from '../../src/report/csv.ts';
import { makeRun, TOTALS } from './fixture.ts';

describe('grades.csv', () => {
  const text = toGradesCsv(makeRun());
  const [header, ...rows] = parseCsv(text);
  const col = (name: string): number => header?.indexOf(name) ?? -1;
  const row = (id: string): string[] => rows.find((r) => r[0] === id) ?? [];

  it('is UTF-8 with BOM and CRLF records (RFC 4180)', () => {
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.slice(1).split('\r\n')[0]).not.toMatch(/"/);
  });

  it('has id, name, one column per grade item (per node for every-node checks), total, max, percent, status', () => {
    expect(header).toEqual([
      'id', 'name', 'd1.podman', 'd1.registries', 'd1.publish', 'd1.port',
      'd1.eth1@node1', 'd1.eth1@node2', 'd1.eth1@node3', 'total', 'max', 'percent', 'status',
    ]);
    expect(rows.map((r) => r[0])).toEqual(['s01', 's02', 's03', 's10']);
    for (const r of rows) expect(r).toHaveLength(header?.length ?? 0);
  });

  it('totals add up and match the expected points', () => {
    const items = header?.slice(2, -4) ?? [];
    for (const r of rows) {
      const id = r[0] as string;
      const sum = items.reduce((acc, _h, i) => acc + Number(r[i + 2]), 0);
      expect(Number(r[col('total')])).toBe(sum);
      expect(Number(r[col('total')])).toBe(TOTALS[id]);
      expect(r[col('max')]).toBe('8');
      expect(Number(r[col('percent')])).toBeCloseTo((100 * (TOTALS[id] ?? 0)) / 8, 1);
    }
  });

  it('shows points per item: weight when passed, 0 for fail, blocked and error', () => {
    const s02 = row('s02');
    expect(s02[col('d1.registries')]).toBe('0');
    expect(s02[col('d1.port')]).toBe('0');
    expect(s02[col('d1.eth1@node2')]).toBe('0');
    expect(row('s01')[col('d1.registries')]).toBe('2');
  });

  it('explains errors in the status column, once per unreachable node', () => {
    const status = row('s03')[col('status')] ?? '';
    expect(status).toMatch(/^node2 not graded \(unreachable: connect ECONNREFUSED 127\.77\.3\.2:22, "refused" ⏎ retry later\)/);
    expect(status).toContain('d1.podman@node1 error (parse:');
    expect(status.match(/node2/g)).toHaveLength(1);
    expect(row('s01')[col('status')]).toBe('');
  });

  it('quotes names with comma and quotes, keeps Korean, defuses formulas', () => {
    expect(row('s02')[1]).toBe('Lee, Jay "JJ"');
    expect(row('s01')[1]).toBe('김민준');
    expect(row('s10')[1]).toBe('\'=HYPERLINK("http://x","click")');
  });

  it('parseCsv handles quoted newlines, doubled quotes and LF files', () => {
    expect(parseCsv('a,"b\r\nc","d""e"\r\n,x\n')).toEqual([['a', 'b\r\nc', 'd"e'], ['', 'x']]);
    expect(() => parseCsv('"open')).toThrow(/unterminated/);
  });
});
