import { describe, expect, it } from 'vitest';
import { normaliseSysctlKey, sysctlGlobMatch, sysctlKey, sysctlPath } from '../../src/probes/sysctl.ts';
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
    // systemd-sysctl reads /etc/sysctl.conf only through a sysctl.d link to it (99-sysctl.conf on Rocky)
    expect(r.files).toEqual(['/usr/lib/sysctl.d/50-default.conf', '/etc/sysctl.d/k8s.conf']);
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
  // systemd 252 src/sysctl/sysctl.c parse_file() / apply_all()
  it('"-key" without "=" cancels the key: a negative match, not an ignored line', () => {
    const r = run(p, out(['1\n', 0], [f('/etc/sysctl.d/k8s.conf', 'k8s.conf'), f('/etc/sysctl.d/zz-no-fwd.conf', 'negative-match.conf')]));
    expect(r.persisted).toBeUndefined();
    expect(r.assignments.map((a) => [a.path, a.value, !!a.negative, a.effective])).toEqual([
      ['/etc/sysctl.d/k8s.conf', '1', false, false],
      ['/etc/sysctl.d/zz-no-fwd.conf', '', true, false],
    ]);
    // and a later assignment sets it again
    const again = run(p, out(['1\n', 0], [f('/etc/sysctl.d/50-no-fwd.conf', 'negative-match.conf'), f('/etc/sysctl.d/k8s.conf', 'k8s.conf')]));
    expect(again.persisted).toMatchObject({ path: '/etc/sysctl.d/k8s.conf', value: '1' });
  });
  it('an explicit key beats a glob whatever the file order', () => {
    const r = run(p, out(['1\n', 0], [f('/etc/sysctl.d/k8s.conf', 'k8s.conf'), f('/etc/sysctl.d/zz-glob.conf', 'glob-late.conf')]));
    expect(r.persisted).toMatchObject({ path: '/etc/sysctl.d/k8s.conf', value: '1' });
    expect(r.assignments.find((a) => a.glob)).toMatchObject({ key: 'net.ipv4.ip_forw*', value: '0', effective: false });
    // with no explicit assignment the glob applies
    const g = run(p, out(['0\n', 0], [f('/etc/sysctl.d/zz-glob.conf', 'glob-late.conf')]));
    expect(g.persisted).toMatchObject({ key: 'net.ipv4.ip_forw*', value: '0' });
  });
  it('a leading "/" and doubled slashes are normalised away', () => {
    const r = run(p, out(['1\n', 0], [f('/etc/sysctl.d/k8s.conf', 'k8s-slip.conf'), f('/etc/sysctl.d/zz.conf', 'leading-slash.conf')]));
    expect(r.persisted).toMatchObject({ path: '/etc/sysctl.d/zz.conf', value: '1', key: 'net.ipv4.ip_forward' });
  });
  it('a line without "=" is skipped and reported; ";" is a comment', () => {
    const r = run(p, out(['1\n', 0], [f('/etc/sysctl.d/k8s.conf', 'not-assignment.conf')]));
    expect(r.persisted).toMatchObject({ value: '1', lineNo: 3 });
    expect(r.problems).toEqual(['/etc/sysctl.d/k8s.conf:1: line is not an assignment, ignoring']);
  });
  it('/run and /usr/local/lib count; a link to /dev/null (listed, not dumped) masks a same-named file', () => {
    const r = run(p, out(['1\n', 0], [f('/run/sysctl.d/k8s.conf', 'k8s.conf'), f('/usr/local/lib/sysctl.d/k8s.conf', 'k8s-slip.conf')]));
    expect(r.persisted).toMatchObject({ path: '/run/sysctl.d/k8s.conf', value: '1' });
    const m = run(p, out(['1\n', 0], [f('/usr/lib/sysctl.d/k8s.conf', 'k8s.conf')], '/etc/sysctl.d/k8s.conf\t/dev/null\n/usr/lib/sysctl.d/k8s.conf\t/usr/lib/sysctl.d/k8s.conf\n'));
    expect(m.persisted).toBeUndefined();
    expect(m.files).toEqual(['/etc/sysctl.d/k8s.conf']);
  });
  it('glob(3) rules: * stays in one component, sets, ranges, escapes, an unclosed [ is literal', () => {
    expect(sysctlGlobMatch('net/ipv4/*', 'net/ipv4/ip_forward')).toBe(true);
    expect(sysctlGlobMatch('net/*', 'net/ipv4/ip_forward')).toBe(false);
    expect(sysctlGlobMatch('net/ipv4/ip_[f-g]orwar?', 'net/ipv4/ip_forward')).toBe(true);
    expect(sysctlGlobMatch('net/ipv4/ip_[!f]orward', 'net/ipv4/ip_forward')).toBe(false);
    expect(sysctlGlobMatch('net/ipv4/ip\\_forward', 'net/ipv4/ip_forward')).toBe(true);
    expect(sysctlGlobMatch('foo[', 'foo[')).toBe(true);
    expect(sysctlGlobMatch('*', '.hidden')).toBe(false);
    expect(sysctlPath('/net//ipv4/./ip_forward')).toBe('net/ipv4/ip_forward');
    expect(sysctlPath('net.ipv4.conf.enp3s0/200.forwarding')).toBe('net/ipv4/conf/enp3s0.200/forwarding');
  });
  it('a line of 1 MiB or more ends the reading of its file (read_line LONG_LINE_MAX), named with file and line', () => {
    const r = run(p, out(['1\n', 0], [{ path: '/etc/sysctl.d/k8s.conf', content: `net.ipv4.ip_forward = 1\n# ${'x'.repeat(1024 * 1024)}\nnet.ipv4.ip_forward = 0\n` }]));
    expect(r.persisted).toMatchObject({ value: '1', lineNo: 1 });
    expect(r.problems).toEqual(['/etc/sysctl.d/k8s.conf:2: line longer than 1 MiB: systemd-sysctl stops reading the file here']);
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
