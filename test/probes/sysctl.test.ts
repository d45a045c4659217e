import { describe, expect, it } from 'vitest';
import { normaliseSysctlKey, sysctlKey } from '../../src/probes/sysctl.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump, composeSections, type DumpedFile } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const out = (runtime: [string, number], files: DumpedFile[], links = '') =>
  composeSections([['runtime', ...runtime], ['links', links, 0], ['files', composeDump(files), 0]]);
const f = (path: string, name: string): DumpedFile => ({ path, content: fixture(`sysctl/${name}`) });

describe('sysctlKey', () => {
  const p = sysctlKey('net.ipv4.ip_forward');
  it('course end state: runtime 1 and /etc/sysctl.d/k8s.conf sets 1', () => {
    const r = run(p, out(['1\n', 0], [f('/etc/sysctl.d/k8s.conf', 'k8s.conf'), f('/usr/lib/sysctl.d/50-default.conf', '50-default.conf'), f('/etc/sysctl.conf', 'sysctl.conf')]));
    expect(r.runtime).toEqual({ value: '1' });
    expect(r.persisted).toMatchObject({ path: '/etc/sysctl.d/k8s.conf', value: '1', lineNo: 3 });
    expect(r.files).toEqual(['/usr/lib/sysctl.d/50-default.conf', '/etc/sysctl.d/k8s.conf', '/etc/sysctl.conf']);
  });
  it('the summary slip (=0) is what persists', () => {
    const r = run(p, out(['1\n', 0], [f('/etc/sysctl.d/k8s.conf', 'k8s-slip.conf')]));
    expect(r.persisted).toMatchObject({ value: '0', raw: 'net.ipv4.ip_forward=0' });
  });
  it('later file names override earlier ones; slash form and "-" prefix', () => {
    const r = run(p, out(['0\n', 0], [f('/etc/sysctl.d/k8s.conf', 'k8s-slip.conf'), f('/etc/sysctl.d/z-fwd.conf', 'slash-dash.conf')]));
    expect(r.persisted).toMatchObject({ path: '/etc/sysctl.d/z-fwd.conf', value: '1', ignoreErrors: true, key: 'net.ipv4.ip_forward' });
    expect(r.assignments.map((a) => [a.value, a.effective])).toEqual([['0', false], ['1', true]]);
    // byte order, not numeric: 99-fwd.conf sorts BEFORE k8s.conf, so the slip still wins
    const s = run(p, out(['0\n', 0], [f('/etc/sysctl.d/k8s.conf', 'k8s-slip.conf'), f('/etc/sysctl.d/99-fwd.conf', 'slash-dash.conf')]));
    expect(s.persisted).toMatchObject({ path: '/etc/sysctl.d/k8s.conf', value: '0' });
  });
  it('a same-named /etc file masks /usr/lib; 99-sysctl.conf link to /etc/sysctl.conf counted once', () => {
    const r = run(
      p,
      out(['1\n', 0], [f('/etc/sysctl.d/k8s.conf', 'k8s-slip.conf'), f('/etc/sysctl.d/99-sysctl.conf', 'sysctl.conf'), f('/usr/lib/sysctl.d/k8s.conf', 'k8s.conf'), f('/etc/sysctl.conf', 'sysctl.conf')],
        '/etc/sysctl.d/99-sysctl.conf\t/etc/sysctl.conf\n/etc/sysctl.conf\t/etc/sysctl.conf\n'),
    );
    expect(r.persisted?.value).toBe('0');
    expect(r.assignments.find((a) => a.path === '/usr/lib/sysctl.d/k8s.conf')?.effective).toBe(false);
    expect(r.files).toEqual(['/etc/sysctl.d/99-sysctl.conf', '/etc/sysctl.d/k8s.conf']);
  });
  it('globs in keys apply', () => {
    const r = run(sysctlKey('net.ipv4.conf.eth1.rp_filter'), out(['2\n', 0], [f('/usr/lib/sysctl.d/50-default.conf', '50-default.conf')]));
    expect(r.persisted).toMatchObject({ key: 'net.ipv4.conf.*.rp_filter', value: '2' });
  });
  it('missing key at runtime; nothing persisted', () => {
    const r = run(p, out([fixture('sysctl/missing-key.txt'), 255], []));
    expect(r.runtime.error).toMatch(/cannot stat/);
    expect(r.persisted).toBeUndefined();
  });
  it('normalises slash keys as sysctl.d(5) says', () => {
    expect(normaliseSysctlKey('net/ipv4/conf/enp3s0.200/forwarding')).toBe('net.ipv4.conf.enp3s0/200.forwarding');
    expect(normaliseSysctlKey('net.ipv4.ip_forward')).toBe('net.ipv4.ip_forward');
  });
  it('throws on garbage', () => {
    expect(() => run(p, '1\n')).toThrow(ProbeParseError);
  });
});
