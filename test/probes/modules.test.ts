import { describe, expect, it } from 'vitest';
import { kernelModule } from '../../src/probes/modules.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump, composeSections, type DumpedFile } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const out = (sysCode: number, lsmod: string, files: DumpedFile[]) =>
  composeSections([['sys', '', sysCode], ['lsmod', lsmod, 0], ['files', composeDump(files), 0]]);

describe('kernelModule', () => {
  const p = kernelModule('br_netfilter');
  it('loaded and named in /etc/modules-load.d (course end state)', () => {
    const f = run(p, out(0, fixture('modules/lsmod-br-netfilter.txt'), [{ path: '/etc/modules-load.d/k8s.conf', content: fixture('modules/k8s.conf') }]));
    expect(f).toMatchObject({ loaded: true, lsmodLine: 'br_netfilter           32768  0', namedIn: [{ path: '/etc/modules-load.d/k8s.conf', lineNo: 2 }] });
  });
  it('ignores # and ; comments; br-netfilter names the same module', () => {
    const f = run(p, out(1, '', [{ path: '/etc/modules-load.d/x.conf', content: fixture('modules/comments-dash.conf') }]));
    expect(f.loaded).toBe(false);
    expect(f.namedIn.map((m) => m.lineNo)).toEqual([4]);
  });
  // systemd conf-files.c: a link to /dev/null (listed by the probe's masks section) replaces a same-named later file
  it('a /dev/null link in /etc masks /usr/lib; an inline comment makes the line one bad name', () => {
    const f = run(p, composeSections([['sys', '', 0], ['lsmod', '', 0],
      ['files', composeDump([{ path: '/usr/lib/modules-load.d/k8s.conf', content: fixture('modules/k8s.conf') }, { path: '/usr/lib/modules-load.d/x.conf', content: 'br_netfilter # k8s\n' }]), 0],
      ['masks', '/etc/modules-load.d/k8s.conf\n', 0]]));
    expect(f.namedIn).toEqual([]);
    expect(f.masked).toHaveLength(1);
  });
  it('a same-named /etc file masks /usr/lib', () => {
    const f = run(p, out(0, '', [
      { path: '/etc/modules-load.d/k8s.conf', content: '# emptied\n' },
      { path: '/usr/lib/modules-load.d/k8s.conf', content: fixture('modules/k8s.conf') },
    ]));
    expect(f.namedIn).toEqual([]);
    expect(f.masked).toHaveLength(1);
    expect(f.files).toEqual(['/etc/modules-load.d/k8s.conf']);
  });
  it('throws on garbage', () => {
    expect(() => run(p, 'garbage')).toThrow(ProbeParseError);
  });
});
