import { describe, expect, it } from 'vitest';
import { rpmPackages } from '../../src/probes/rpm.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { fixture, run } from './helpers.ts';

describe('rpmPackages', () => {
  it('reads an installed package and the not-installed lines rpm prints on stdout', () => {
    const f = run(rpmPackages(['cri-o', 'crio', 'kubelet']), fixture('rpm/crio-installed.txt'), '', 2);
    expect(f.packages['cri-o']).toMatchObject({ installed: true, version: '1.24.6', nvra: 'cri-o-1.24.6-1.1.el8.x86_64', arch: 'x86_64' });
    // `crio` is not the package name: rpm says not installed
    expect(f.packages.crio).toEqual({ name: 'crio', installed: false });
    expect(f.packages.kubelet?.installed).toBe(false);
  });

  it('reads all-missing output', () => {
    const f = run(rpmPackages(['podman', 'podman-docker', 'crio']), fixture('rpm/none-installed.txt'), '', 3);
    expect(Object.values(f.packages).map((p) => p.installed)).toEqual([false, false, false]);
  });

  it('keeps every instance of a multi-installed package', () => {
    const out = 'kernel\t5.14.0\t362.el9\tx86_64\tkernel-5.14.0-362.el9.x86_64\nkernel\t5.14.0\t427.el9\tx86_64\tkernel-5.14.0-427.el9.x86_64\n';
    expect(run(rpmPackages(['kernel']), out).packages.kernel?.instances).toHaveLength(2);
  });

  it('reports a missing rpm tool as not installed, with the reason', () => {
    const f = run(rpmPackages(['podman']), '__LG_MISSING rpm\n', '', 127);
    expect(f).toMatchObject({ missing: 'rpm', packages: { podman: { installed: false } } });
  });

  it('throws on garbage and on silence', () => {
    expect(() => run(rpmPackages(['podman']), 'what is this\n')).toThrow(ProbeParseError);
    expect(() => run(rpmPackages(['podman']), '', 'error: rpmdb: BDB0113 open failed', 1)).toThrow(/rpmdb/);
  });

  it('refuses names that are not package names', () => {
    expect(() => rpmPackages(['podman; rm -rf /'])).toThrow();
  });
});
