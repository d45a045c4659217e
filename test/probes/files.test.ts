import { describe, expect, it } from 'vitest';
import { kubeYaml } from '../../src/probes/files.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump, composeSections } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const out = (ls: string, file?: string) =>
  composeSections([
    ['ls', ls, 0],
    ['file', file === undefined ? '' : composeDump([{ path: '/root/pod1.yaml', content: file }]), 0],
  ]);

describe('kubeYaml', () => {
  const p = kubeYaml('/root', 'pod1.yaml');
  it('reads the recorded podman 4.3.1 generate kube --service output: Service before Pod', () => {
    const f = run(p, out('anaconda-ks.cfg\npod1.yaml\n', fixture('kube/podman-4.3-pod1.yaml')));
    expect(f).toMatchObject({ exists: true, podmanVersion: '4.3.1', nearMisses: [] });
    expect(f.docs).toEqual([{ kind: 'Service', name: 'pod1' }, { kind: 'Pod', name: 'pod1' }]);
  });
  it('a file without the Service', () => {
    expect(run(p, out('pod1.yaml\n', fixture('kube/pod-only.yaml'))).docs).toEqual([{ kind: 'Pod', name: 'pod1' }]);
  });
  it('absent file, with near-miss names listed', () => {
    const f = run(p, out('pod1.yml\nPod1.yaml\npod10.yaml\n'));
    expect(f).toMatchObject({ exists: false, dirExists: true, nearMisses: ['pod1.yml', 'Pod1.yaml'] });
  });
  it('absent directory', () => {
    const s = composeSections([['ls', "ls: cannot access '/root': No such file or directory", 2], ['file', '', 0]]);
    expect(run(p, s)).toMatchObject({ dirExists: false, exists: false });
  });
  it('reports YAML syntax errors', () => {
    expect(run(p, out('pod1.yaml\n', 'kind: Pod\n  metadata: [\n')).error).toBeDefined();
  });
  it('throws on garbage', () => {
    expect(() => run(p, 'hello')).toThrow(ProbeParseError);
  });
});
