/**
 * Hostile node content (issue 7): every parser of student-controlled text runs in linear time and throws
 * nothing but ProbeParseError. Each input here once froze a class run (a backtracking regex on the one
 * event loop) or turned a student's failure into an error. The bound is generous on purpose: the point is
 * linear against exponential (the old code took 12-20 s, or an hour, on these), not a benchmark.
 */
import { describe, expect, it } from 'vitest';
import { normaliseUrl } from '../../src/grade/verdicts.ts';
import * as P from '../../src/probes/index.ts';
import { parseSelinuxConfig } from '../../src/probes/selinux.ts';
import { parseSysctlFile, sysctlGlobMatch } from '../../src/probes/sysctl.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump, composeSections } from '../../src/probes/util.ts';
import { run } from './helpers.ts';

const MB = 1024 * 1024;
// 256 KiB: past every size that froze the old code (14 stars, 200k spaces, 200k slashes), and a quadratic
// parser would take minutes on it, while a linear one stays far under the bound on a slow CI machine
const BIG = 256 * 1024;
const BOUND_MS = 1000;

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

const sysctlOut = (files: Array<[string, string]>) =>
  composeSections([['runtime', '1\n', 0], ['links', '', 0], ['files', composeDump(files.map(([path, content]) => ({ path, content }))), 0]]);

describe('hostile node content parses in linear time', () => {
  it('sysctl.d: a glob of 256 KiB of stars (14 stars froze the run 20 s) still matches by glob(3) rules', () => {
    const line = `net.ipv4.${'*'.repeat(BIG)}d = 1\n`;
    const { value, ms } = timed(() => run(P.sysctlKey('net.ipv4.ip_forward'), sysctlOut([['/etc/sysctl.d/k8s.conf', line]])));
    expect(value.persisted).toMatchObject({ value: '1', glob: true });
    expect(ms).toBeLessThan(BOUND_MS);
    // the exact line of the report, and stars that end in a mismatch after a long scan
    expect(timed(() => sysctlGlobMatch(`${'*'.repeat(BIG)}x`, 'ip_forward')).value).toBe(false);
    expect(timed(() => sysctlGlobMatch(`${'*a'.repeat(BIG / 2)}`, 'a'.repeat(60))).ms).toBeLessThan(BOUND_MS);
  });

  it('sysctl.d: `foo[` and 256 KiB of `[` are literal brackets, not an "Invalid regular expression"', () => {
    expect(() => parseSysctlFile('/etc/sysctl.d/x.conf', 'foo[ = 1\n')).not.toThrow();
    const r = run(P.sysctlKey('net.ipv4.ip_forward'), sysctlOut([['/etc/sysctl.d/x.conf', `foo[ = 1\nnet.ipv4.ip_forwar[ = 0\n${'['.repeat(BIG)} = 2\nnet.ipv4.ip_forward = 1\n`]]));
    expect(r.persisted).toMatchObject({ value: '1', lineNo: 4 });
    expect(timed(() => sysctlGlobMatch(`${'[a-'.repeat(BIG / 3)}`, 'ip_forward')).ms).toBeLessThan(BOUND_MS);
  });

  it('/etc/selinux/config: SELINUX=x, 1 MB of spaces, y (200k spaces took 12 s)', () => {
    const { value, ms } = timed(() => parseSelinuxConfig(`SELINUX=x${' '.repeat(MB)}y\nSELINUX=${' '.repeat(MB)}enforcing\nSELINUX= permissive\n`));
    // libselinux reads 4095-byte pieces: line 2's value is past its first piece, so line 3 wins
    expect(value.config).toMatchObject({ value: 'permissive', line: 3 });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('normaliseUrl: 1 MB of slashes then a character (200k took 13 s with /\\/+$/)', () => {
    const u = `https://x/${'/'.repeat(MB)}a`;
    const { value, ms } = timed(() => normaliseUrl(u));
    expect(value).toBe(`https:/x/${'/'.repeat(MB)}a`); // `:/` folds to `:` (openSUSE's `a:/b` paths)
    expect(ms).toBeLessThan(BOUND_MS);
    expect(normaliseUrl(`HTTPS://X/a:/b${'/'.repeat(MB)}`)).toBe('https:/x/a:b');
  });

  it('every file parser on 256 KiB of adversarial lines (a quadratic parser would take minutes)', () => {
    const lines = (unit: string) => `${unit.repeat(Math.ceil(BIG / unit.length))}\n`;
    const cases: Array<[string, () => unknown]> = [
      ['hosts', () => run(P.hosts(), composeSections([['hostname', 'h\n', 0], ['files', composeDump([{ path: '/etc/hosts', content: lines('# \t') + lines('1.2.3.4 ') }]), 0]]))],
      ['fstab', () => run(P.swap(), composeSections([['proc-swaps', '', 1], ['swapon', '', 0], ['files', '', 0], ['fstab', composeDump([{ path: '/etc/fstab', content: lines('#') + lines('a \t') }]), 0]]))],
      ['yum.repos.d', () => run(P.yumRepos(), composeDump([{ path: '/etc/yum.repos.d/x.repo', content: `[x]\nbaseurl=${lines(' /,')}${lines('\n ')}` }]))],
      ['registries.conf', () => run(P.registriesConf(), composeSections([['home', '/root\n', 0], ['files', composeDump([{ path: '/etc/containers/registries.conf', content: `unqualified-search-registries = ["${'a-'.repeat(MB / 8)}"]\n` }]), 0]]))],
      ['policy.json', () => run(P.policyJson(), composeDump([{ path: '/etc/containers/policy.json', content: `${'['.repeat(MB / 8)}${']'.repeat(MB / 8)}` }]))],
      ['policy.json keys', () => run(P.policyJson(), composeDump([{ path: '/etc/containers/policy.json', content: `{"default":[{"type":"reject"}],"transports":{"docker":{${Array.from({ length: 20_000 }, (_, i) => `"k${i}\\\\\\"":[{"type":"reject"}]`).join(',')}}}}` }]))],
      ['selinux', () => run(P.selinux(), composeSections([['getenforce', 'Enforcing\n', 0], ['config', composeDump([{ path: '/etc/selinux/config', content: lines('SELINUX=') }]), 0]]))],
      ['modules-load.d', () => run(P.kernelModule('br_netfilter'), composeSections([['sys', '', 1], ['lsmod', lines(' '), 0], ['files', composeDump([{ path: '/etc/modules-load.d/x.conf', content: lines('br-netfilter ') }]), 0]]))],
    ];
    for (const [name, f] of cases) {
      let ms = 0;
      try {
        ms = timed(f).ms;
      } catch (e) {
        expect(e, name).toBeInstanceOf(ProbeParseError);
      }
      expect(ms, name).toBeLessThan(BOUND_MS);
    }
  });
});

describe('node content never throws anything but ProbeParseError', () => {
  const garbage = ['', '\0\0\0', '[', '{', ']]]', '=', '-', '*', '\\', '\uFFFD'.repeat(100), 'SELINUX=', '[registries.search]\nregistries = 5', '"default":', '__LG_FILE /etc/x\n', '__LG_SECTION files\n__LG_RC x\n'];
  const probes: Array<P.Probe<unknown>> = [
    P.selinux(), P.sysctlKey('net.ipv4.ip_forward'), P.registriesConf(), P.yumRepos(), P.policyJson(), P.hosts(), P.swap(),
    P.kernelModule('br_netfilter'), P.eth1(), P.systemdUnits(['crio']), P.rpmPackages(['cri-o']), P.kubeYaml('/root', 'pod1.yaml'),
  ];
  it.each(probes.map((p) => [p.key, p] as const))('%s', (_key, p) => {
    for (const g of garbage) {
      // as raw stdout, as every file's content, and as every section's text
      const shaped = [g, composeDump([{ path: '/etc/x', content: g }]), composeSections(['runtime', 'links', 'files', 'getenforce', 'config', 'home', 'hostname', 'proc-swaps', 'swapon', 'fstab', 'sys', 'lsmod', 'ip', 'nm-list', 'nm-profiles', 'ls', 'file'].map((s) => [s, g, 0] as [string, string, number]))];
      for (const stdout of shaped) {
        try {
          p.parse({ stdout, stderr: g, code: 0 });
        } catch (e) {
          expect(e, `${p.key} on ${JSON.stringify(stdout.slice(0, 80))}`).toBeInstanceOf(ProbeParseError);
        }
      }
    }
  });
});
