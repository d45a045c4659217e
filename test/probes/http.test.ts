import { describe, expect, it } from 'vitest';
import { httpLocal } from '../../src/probes/http.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { fixture, run } from './helpers.ts';

describe('httpLocal', () => {
  const p = httpLocal(58080);
  it('any HTTP status is an answer', () => {
    expect(run(p, fixture('curl/200.txt'))).toMatchObject({ kind: 'status', status: 200 });
    expect(run(p, fixture('curl/403.txt'))).toMatchObject({ kind: 'status', status: 403 });
    expect(run(p, fixture('curl/404.txt'))).toMatchObject({ kind: 'status', status: 404 });
  });
  it('tells refused (curl exit 7) from timeout (28)', () => {
    expect(run(p, fixture('curl/refused.txt')).kind).toBe('refused');
    expect(run(p, fixture('curl/timeout.txt')).kind).toBe('timeout');
    expect(run(p, '000 6\n')).toMatchObject({ kind: 'error', curlExit: 6 });
  });
  it('reports missing curl', () => {
    expect(run(p, '__LG_MISSING curl\n', '', 127)).toMatchObject({ kind: 'missing', tool: 'curl' });
  });
  it('throws on garbage', () => {
    expect(() => run(p, '<html>\n')).toThrow(ProbeParseError);
  });
  it('is heavy and targets localhost', () => {
    expect(p.heavy).toBe(true);
    expect(p.command).toContain("'http://localhost:58080/'");
  });
});
