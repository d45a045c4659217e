import { describe, expect, it } from 'vitest';
import { selinux } from '../../src/probes/selinux.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump, composeSections } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const out = (g: string, config?: string) =>
  composeSections([['getenforce', g, 0], ['config', config === undefined ? '' : composeDump([{ path: '/etc/selinux/config', content: config }]), 0]]);

describe('selinux', () => {
  it('fresh node: Enforcing / enforcing', () => {
    expect(run(selinux(), out('Enforcing\n', fixture('selinux/config-rhel9-default')))).toMatchObject({ runtime: 'enforcing', config: { value: 'enforcing', raw: 'SELINUX=enforcing' } });
  });
  it('course end state', () => {
    expect(run(selinux(), out('Permissive\n', fixture('selinux/config-permissive')))).toMatchObject({ runtime: 'permissive', config: { value: 'permissive' } });
  });
  // libselinux selinux_config.c selinux_getenforcemode(): first usable column-0 SELINUX= line wins
  it('the first SELINUX= line wins; a quoted value is skipped, not unquoted', () => {
    const f = run(selinux(), out('Permissive\n', fixture('selinux/config-appended-first-wins')));
    expect(f.config).toMatchObject({ value: 'enforcing', line: 1 });
    expect(f.bootMode).toBe('enforcing');
    expect(f.ignored).toEqual([expect.objectContaining({ line: 3, raw: 'SELINUX="Permissive"' })]);
  });
  it('an appended SELINUX=permissive does not override the first line', () => {
    const f = run(selinux(), out('Permissive\n', fixture('selinux/config-appended-permissive')));
    expect(f).toMatchObject({ bootMode: 'enforcing', config: { value: 'enforcing', line: 1 } });
    expect(f.ignored.map((i) => i.line)).toEqual([3]);
  });
  it('blanks after =, any case and trailing text: a case-insensitive prefix match', () => {
    expect(run(selinux(), out('Permissive\n', fixture('selinux/config-trailing-comment')))).toMatchObject({
      bootMode: 'permissive',
      config: { value: 'permissive', line: 1 },
    });
  });
  it('no usable line (indented, spaced, quoted, commented): boots permissive per load_policy.c', () => {
    const f = run(selinux(), out('Enforcing\n', fixture('selinux/config-no-usable-line')));
    expect(f.config).toBeUndefined();
    expect(f.bootMode).toBe('permissive');
    expect(f.ignored.map((i) => i.line)).toEqual([1, 2, 3]);
  });
  it('no config file: boots permissive', () => {
    expect(run(selinux(), out('Permissive\n'))).toMatchObject({ configExists: false, bootMode: 'permissive' });
  });
  it('a line longer than libselinux\'s fgets buffer is read in pieces, each tested on its own', () => {
    const f = run(selinux(), out('Permissive\n', `#${'x'.repeat(4094)}SELINUX=disabled\nSELINUX=permissive\n`));
    expect(f.config).toMatchObject({ value: 'disabled', line: 1 });
  });
  it('missing getenforce and missing config', () => {
    expect(run(selinux(), out('__LG_MISSING getenforce\n'))).toMatchObject({ runtime: null, configExists: false });
  });
  it('throws on garbage', () => {
    expect(() => run(selinux(), out('maybe\n'))).toThrow(ProbeParseError);
  });
});
