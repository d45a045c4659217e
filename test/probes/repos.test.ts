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
  it('a line dnf cannot parse makes it skip the whole file, named with file and line; throws on non-dump output', () => {
    const g = run(yumRepos(), composeDump([{ path: `${D}/x.repo`, content: '[x]\nbaseurl=http://x\nbogus line\n' }]));
    expect(g.problems).toEqual([`${D}/x.repo:3: no '=' (libdnf: MissingEqual): dnf skips the whole file`]);
    expect(g.repos[0]).toMatchObject({ id: 'x', skipped: expect.stringContaining('x.repo does not parse') as unknown });
    expect(run(yumRepos(), composeDump([{ path: `${D}/y.repo`, content: 'baseurl=http://x\n' }])).problems[0]).toMatch(/y\.repo:1: a line before any \[section\]/);
    expect(() => run(yumRepos(), 'garbage\n')).toThrow(ProbeParseError);
  });
  // libdnf libdnf/utils/iniparser/iniparser.cpp, dnf/conf/read.py
  it('a right-looking kubernetes.repo with one unparsable line is not loaded', () => {
    const g = run(yumRepos(), composeDump([{ path: `${D}/kubernetes.repo`, content: fixture('repos/unparsable-line.repo') }]));
    expect(g.repos[0]).toMatchObject({ id: 'kubernetes', skipped: expect.stringMatching(/kubernetes\.repo:8: no '='/) as unknown });
  });
  it('quotes removed, indented comment lines continue the value, keys case-sensitive', () => {
    const g = run(yumRepos(), composeDump([{ path: `${D}/kubernetes.repo`, content: fixture('repos/quoted-indented-comment.repo') }]));
    expect(g.repos[0]).toMatchObject({ name: 'Kubernetes', baseurl: ['https://pkgs.k8s.io/core:/stable:/v1.24/rpm/'], exclude: ['kubelet', 'kubeadm', '#', 'the', 'rest', 'kubectl'] });
    expect(g.repos[0]!.skipped).toBeUndefined();
  });
  it('an id defined by an earlier file is skipped; a bad id is refused', () => {
    const g = run(yumRepos(), composeDump([
      { path: `${D}/b.repo`, content: '[k]\nbaseurl=http://b\n' },
      { path: `${D}/a.repo`, content: '[k]\nbaseurl=http://a\n[bad id]\nbaseurl=http://c\n' },
    ]));
    expect(g.repos.map((r) => [r.file, r.id, r.skipped ?? ''])).toEqual([
      [`${D}/a.repo`, 'k', ''],
      [`${D}/a.repo`, 'bad id', 'bad id for repo: "bad id"'],
      [`${D}/b.repo`, 'k', `repository k is already defined in ${D}/a.repo`],
    ]);
  });
});
