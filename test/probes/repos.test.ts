import { describe, expect, it } from 'vitest';
import { yumRepos } from '../../src/probes/repos.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const D = '/etc/yum.repos.d';

describe('yumRepos', () => {
  const f = run(yumRepos(), composeDump([
    { path: `${D}/crio.repo`, content: fixture('repos/crio-1.24.6.repo') },
    { path: `${D}/devel:kubic:libcontainers:stable.repo`, content: fixture('repos/libcontainers-stable.repo') },
    { path: `${D}/kubernetes.repo`, content: fixture('repos/kubernetes.repo') },
    { path: `${D}/rocky.repo`, content: fixture('repos/rocky-mixed.repo') },
  ]));
  const repo = (id: string) => f.repos.find((r) => r.id === id)!;
  it('reads the course repos', () => {
    expect(repo('devel_kubic_libcontainers_stable')).toMatchObject({ enabled: true, gpgcheck: true, baseurl: ['https://download.opensuse.org/repositories/devel:/kubic:/libcontainers:/stable/CentOS_9_Stream/'] });
    expect(repo('devel_kubic_libcontainers_stable_cri-o_1.24_1.24.6').baseurl[0]).toContain('cri-o:/1.24:/1.24.6/CentOS_8/');
    expect(repo('kubernetes')).toMatchObject({ file: `${D}/kubernetes.repo`, exclude: ['kubelet', 'kubeadm', 'kubectl', 'cri-tools', 'kubernetes-cni'] });
    expect(repo('kubernetes').lines.exclude).toBe('exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni');
  });
  it('keeps $vars, defaults enabled to 1, reads enabled=0 and multi-line baseurls', () => {
    expect(repo('baseos')).toMatchObject({ enabled: true, baseurl: [], mirrorlist: expect.stringContaining('$basearch') as unknown });
    expect(repo('baseos-debug').enabled).toBe(false);
    expect(repo('local-mirror')).toMatchObject({ enabled: false, baseurl: ['http://mirror1.example.com/rocky/$releasever/', 'http://mirror2.example.com/rocky/$releasever/', 'http://mirror3.example.com/rocky/'] });
  });
  it('no repo files', () => {
    expect(run(yumRepos(), '')).toEqual({ repos: [], files: [], problems: [] });
  });
  it('notes lines dnf would reject; throws on non-dump output', () => {
    const g = run(yumRepos(), composeDump([{ path: `${D}/x.repo`, content: 'baseurl=http://x\n[x]\nbogus line\n' }]));
    expect(g.problems).toHaveLength(2);
    expect(() => run(yumRepos(), 'garbage\n')).toThrow(ProbeParseError);
  });
});
