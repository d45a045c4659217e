import { describe, expect, it } from 'vitest';
import { hosts, namesFor } from '../../src/probes/hosts.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump, composeSections } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const out = (hostname: string, h?: string, etcHostname?: string) =>
  composeSections([
    ['hostname', hostname, 0],
    ['files', composeDump([...(h !== undefined ? [{ path: '/etc/hosts', content: h }] : []), ...(etcHostname !== undefined ? [{ path: '/etc/hostname', content: etcHostname }] : [])]), 0],
  ]);

describe('hosts', () => {
  it('day-2 entries, trailing comments and commented lines ignored', () => {
    const f = run(hosts(), out('control1.example.com\n', fixture('hosts/hosts-day2.txt'), 'control1.example.com\n'));
    expect(namesFor(f, '192.168.90.120')).toEqual(['worker1.example.com', 'worker1']);
    expect(namesFor(f, '192.168.90.140')).toEqual([]);
    expect(f).toMatchObject({ hostname: 'control1.example.com', etcHostname: 'control1.example.com' });
  });
  it('fresh node, no /etc/hostname', () => {
    const f = run(hosts(), out('localhost\n', fixture('hosts/hosts-fresh.txt')));
    expect(f.entries).toHaveLength(2);
    expect(f.etcHostname).toBeUndefined();
  });
  it('throws on garbage', () => {
    expect(() => run(hosts(), 'node1\n')).toThrow(ProbeParseError);
  });
});
