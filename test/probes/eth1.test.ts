import { describe, expect, it } from 'vitest';
import { eth1, splitTerse } from '../../src/probes/eth1.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { ERR_MARK, composeDump, composeSections, type DumpedFile } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const UUID1 = '0f9a1d8c-6a7b-3c3e-9c51-2b1e0e1d4f10';
const KEYFILE = '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection';

function output(o: { ip: [string, number]; list: string; profiles: Array<[string, string]>; files: DumpedFile[]; listCode?: number }): string {
  return composeSections([
    ['ip', o.ip[0], o.ip[1]],
    ['nm-list', o.list, o.listCode ?? 0],
    ['nm-profiles', o.profiles.map(([u, g]) => `__LG_PROFILE ${u}\n${g}`).join(''), 0],
    ['files', composeDump(o.files), 0],
  ]);
}

describe('splitTerse', () => {
  it('undoes escaped colons and backslashes', () => {
    expect(splitTerse('Wired\\: connection:u:802-3-ethernet:eth1')).toEqual(['Wired: connection', 'u', '802-3-ethernet', 'eth1']);
    expect(splitTerse('old\\\\eth1:u::')).toEqual(['old\\eth1', 'u', '', '']);
  });
});

const tagged = (stderr: string) => stderr.split('\n').filter(Boolean).map((l) => `${ERR_MARK} ${l}\n`).join('');

describe('eth1', () => {
  const p = eth1();
  // nmcli's stderr warnings come tagged (withStderrTagged) and are noise, not data: NetworkManager
  // clients/cli/common.c nmc_warn_if_version_mismatch()
  it('a version-mismatch warning on every nmcli call changes nothing', () => {
    const warn = tagged(fixture('nmcli/version-mismatch.stderr.txt'));
    const f = run(p, output({
      ip: [fixture('ip/eth1-static.txt'), 0],
      list: warn + fixture('nmcli/con-show-wired1-active.txt'),
      profiles: [[UUID1, warn + fixture('nmcli/g-manual.txt')], ['5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03', fixture('nmcli/g-auto.txt') + warn]],
      files: [{ path: KEYFILE, content: fixture('nmcli/keyfile-manual.nmconnection') }],
    }));
    expect(f.nm.error).toBeUndefined();
    expect(f.bound).toMatchObject({ name: 'Wired connection 1', method: 'manual', addresses: ['192.168.90.110/24'], neverDefault: true });
  });
  it('other stderr is kept: a failing nmcli reports its error, not the warning', () => {
    const warn = tagged(fixture('nmcli/version-mismatch.stderr.txt'));
    const f = run(p, output({ ip: [fixture('ip/eth1-static.txt'), 0], list: warn + tagged('Error: NetworkManager is not running.'), listCode: 8, profiles: [], files: [] }));
    expect(f.nm.error).toBe('Error: NetworkManager is not running.');
  });
  it("the course's end state: runtime, active profile and keyfile agree", () => {
    const f = run(p, output({
      ip: [fixture('ip/eth1-static.txt'), 0],
      list: fixture('nmcli/con-show-wired1-active.txt'),
      profiles: [[UUID1, fixture('nmcli/g-manual.txt')], ['5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03', fixture('nmcli/g-auto.txt')]],
      files: [{ path: KEYFILE, content: fixture('nmcli/keyfile-manual.nmconnection') }],
    }));
    expect(f.runtime).toEqual({ exists: true, addresses: [{ address: '192.168.90.110', prefixlen: 24, dynamic: false }] });
    expect(f.bound).toMatchObject({ name: 'Wired connection 1', device: 'eth1', method: 'manual', addresses: ['192.168.90.110/24'], neverDefault: true, interfaceName: 'eth1' });
    expect(f.boundBy).toBe('active');
    expect(f.boundPersisted).toMatchObject({ path: KEYFILE, format: 'keyfile', method: 'manual', addresses: ['192.168.90.110/24'], neverDefault: true });
    expect(f.boundInRunOnly).toBe(false);
    // lo (loopback) is listed on 9.2+ but never bound
    expect(f.nm.profiles.map((x) => x.type)).toContain('loopback');
  });

  it('DHCP runtime address is flagged dynamic; profile auto; keyfile auto', () => {
    const f = run(p, output({
      ip: [fixture('ip/eth1-dynamic.txt'), 0],
      list: fixture('nmcli/con-show-wired1-active.txt'),
      profiles: [[UUID1, fixture('nmcli/g-auto.txt')]],
      files: [{ path: KEYFILE, content: fixture('nmcli/keyfile-auto.nmconnection') }],
    }));
    expect(f.runtime.addresses[0]).toMatchObject({ address: '192.168.90.57', dynamic: true });
    expect(f.bound).toMatchObject({ method: 'auto', addresses: [], neverDefault: false });
    expect(f.boundPersisted?.method).toBe('auto');
  });

  it('names with escaped colons; an inactive profile bound by interface-name', () => {
    const list = fixture('nmcli/con-show-escaped.txt');
    const f = run(p, output({ ip: [fixture('ip/eth1-static.txt'), 0], list, profiles: [['8d1f6e7a-0b53-4f0e-9d8c-1a2b3c4d5e6f', fixture('nmcli/g-two-addresses.txt')]], files: [] }));
    expect(f.bound).toMatchObject({ name: 'Wired: connection', filename: '/etc/NetworkManager/system-connections/Wired: connection.nmconnection', addresses: ['192.168.90.110/24', '10.0.0.5/8'] });
    expect(f.nm.profiles[2]).toMatchObject({ name: 'old\\eth1', device: '' });
    const inactive = list.split('\n').filter((l) => !l.includes(':eth1:')).join('\n');
    const g = run(p, output({ ip: [fixture('ip/eth1-static.txt'), 0], list: inactive, profiles: [['11111111-2222-3333-4444-555555555555', fixture('nmcli/g-manual.txt')]], files: [] }));
    expect(g).toMatchObject({ boundBy: 'interface-name', bound: { name: 'old\\eth1' } });
  });

  it('a profile only in /run is not persisted', () => {
    const runFile = '/run/NetworkManager/system-connections/Wired connection 1.nmconnection';
    const f = run(p, output({
      ip: [fixture('ip/eth1-static.txt'), 0],
      list: fixture('nmcli/con-show-run-only.txt'),
      profiles: [[UUID1, fixture('nmcli/g-manual.txt')]],
      files: [{ path: runFile, content: fixture('nmcli/keyfile-manual.nmconnection') }],
    }));
    expect(f.boundInRunOnly).toBe(true);
  });

  it('legacy ifcfg: IPADDR/NETMASK, BOOTPROTO=none, DEFROUTE=no', () => {
    const path = '/etc/sysconfig/network-scripts/ifcfg-eth1';
    const list = 'System eth1:9c92fad9-6ecb-3e6c-eb4d-8a47c6f50c04:802-3-ethernet:eth1:/etc/sysconfig/network-scripts/ifcfg-eth1\n';
    const f = run(p, output({ ip: [fixture('ip/eth1-static.txt'), 0], list, profiles: [], files: [{ path, content: fixture('nmcli/ifcfg-eth1') }] }));
    expect(f.boundPersisted).toMatchObject({ format: 'ifcfg', method: 'manual', addresses: ['192.168.90.110/24'], neverDefault: true, interfaceName: 'eth1', id: 'System eth1' });
  });

  it('a profile nmcli cannot show leaves its values unset', () => {
    const f = run(p, output({ ip: [fixture('ip/eth1-static.txt'), 0], list: fixture('nmcli/con-show-wired1-active.txt'), profiles: [[UUID1, fixture('nmcli/g-no-such-profile.txt')]], files: [] }));
    expect(f.bound?.method).toBeUndefined();
  });

  it('no eth1, NetworkManager down, nmcli missing', () => {
    const f = run(p, output({ ip: [fixture('ip/eth1-missing.txt'), 1], list: 'Error: NetworkManager is not running.\n', listCode: 8, profiles: [], files: [] }));
    expect(f.runtime.exists).toBe(false);
    expect(f.nm.error).toMatch(/not running/);
    expect(f.bound).toBeUndefined();
    const g = run(p, output({ ip: ['__LG_MISSING ip\n', 0], list: '__LG_MISSING nmcli\n', profiles: [], files: [] }));
    expect(g.nm.error).toMatch(/not installed/);
    expect(g.runtime.error).toMatch(/not installed/);
  });

  it('throws on garbage', () => {
    expect(() => run(p, 'garbage')).toThrow(ProbeParseError);
    expect(() => run(p, output({ ip: ['{not json', 0], list: '', profiles: [], files: [] }))).toThrow(ProbeParseError);
    expect(() => run(p, output({ ip: [fixture('ip/eth1-static.txt'), 0], list: 'a:b\n', profiles: [], files: [] }))).toThrow(ProbeParseError);
  });
});
