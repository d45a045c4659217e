import { describe, expect, it } from 'vitest';
import { hosts, namesFor, resolveFirst } from '../../src/probes/hosts.ts';
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
  // glibc nss/nss_files/files-hosts.c
  it('a lookup takes the first line naming the host, case-insensitively; unparsable addresses are skipped', () => {
    const f = run(hosts(), out('worker1.example.com\n', fixture('hosts/hosts-first-line-wins.txt')));
    expect(resolveFirst(f, 'worker1.example.com')).toMatchObject({ ip: '127.0.1.1', lineNo: 2 });
    expect(resolveFirst(f, 'control1.example.com')).toMatchObject({ ip: '192.168.90.110', lineNo: 4 });
    expect(f.entries.map((e) => e.ip)).not.toContain('192.168.90.1200');
  });
  it('throws on garbage', () => {
    expect(() => run(hosts(), 'node1\n')).toThrow(ProbeParseError);
  });
});
