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
  it('last uncommented assignment wins, quotes and case removed', () => {
    expect(run(selinux(), out('Permissive\n', fixture('selinux/config-quoted-last-wins'))).config).toMatchObject({ value: 'permissive', line: 3 });
  });
  it('missing getenforce and missing config', () => {
    expect(run(selinux(), out('__LG_MISSING getenforce\n'))).toMatchObject({ runtime: null, configExists: false });
  });
  it('throws on garbage', () => {
    expect(() => run(selinux(), out('maybe\n'))).toThrow(ProbeParseError);
  });
});
