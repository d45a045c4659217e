import { describe, expect, it } from 'vitest';
import { podmanInfoRegistries, registriesConf } from '../../src/probes/registries.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const MAIN = '/etc/containers/registries.conf';
const D = '/etc/containers/registries.conf.d';
const parse = (files: Array<[string, string]>) =>
  run(registriesConf(), composeDump(files.map(([path, f]) => ({ path, content: fixture(`registries/${f}`) }))));

describe('registriesConf', () => {
  it('reads the RHEL 9 default, ignoring comments, with the shipped aliases-only drop-in', () => {
    const f = parse([[MAIN, 'rhel9-default.conf'], [`${D}/001-rhel-shortnames.conf`, '001-rhel-shortnames.conf']]);
    expect(f).toMatchObject({ list: ['registry.access.redhat.com', 'registry.redhat.io', 'docker.io'], source: MAIN, shortNameMode: 'enforcing' });
    expect(f.files.map((x) => x.path)).toEqual([MAIN, `${D}/001-rhel-shortnames.conf`]);
    expect(f.error).toBeUndefined();
  });

  it("reads the student's edit", () => {
    expect(parse([[MAIN, 'student-quay.conf']]).list).toEqual(['quay.io']);
  });

  it('accepts single quotes, multi-line arrays, trailing commas, comments', () => {
    expect(parse([[MAIN, 'single-quotes-multiline.conf']]).list).toEqual(['quay.io']);
  });

  it('lets a drop-in replace the key, later (byte order) drop-ins winning', () => {
    const f = parse([
      [MAIN, 'student-quay.conf'],
      // given out of order on purpose: bash glob order follows the locale, podman's does not
      [`${D}/99-docker.conf`, 'dropin-docker.conf'],
      [`${D}/50-quay.conf`, 'single-quotes-multiline.conf'],
    ]);
    expect(f).toMatchObject({ list: ['docker.io'], source: `${D}/99-docker.conf` });
  });

  it('does not merge: a drop-in empty list replaces too', () => {
    const f = run(registriesConf(), composeDump([
      { path: MAIN, content: fixture('registries/rhel9-default.conf') },
      { path: `${D}/x.conf`, content: 'unqualified-search-registries = []\n' },
    ]));
    expect(f).toMatchObject({ list: [], source: `${D}/x.conf` });
  });

  it('converts legacy v1 [registries.search]', () => {
    expect(parse([[MAIN, 'v1-legacy.conf']])).toMatchObject({ list: ['quay.io'], sourceForm: 'v1' });
  });

  it('reports a v1/v2 mix as the error podman gives', () => {
    const f = parse([[MAIN, 'mixed-v1-v2.conf']]);
    expect(f.error).toMatch(/mixing sysregistry v1\/v2 is not supported/);
    expect(f.list).toBeNull();
  });

  it('reports TOML syntax errors with the file and line', () => {
    const f = parse([[MAIN, 'syntax-error.conf']]);
    expect(f.error).toMatch(/registries\.conf: invalid TOML \(line 1/);
  });

  it('no files: no list', () => {
    expect(run(registriesConf(), '')).toEqual({ list: null, files: [], mainFileExists: false });
  });

  it('throws on output that is not a file dump', () => {
    expect(() => run(registriesConf(), 'garbage\n')).toThrow(ProbeParseError);
  });
});

describe('podmanInfoRegistries', () => {
  it('reads .registries.search', () => {
    expect(run(podmanInfoRegistries(), fixture('podman/info-registries-rhel9.txt')).search).toEqual(['registry.access.redhat.com', 'registry.redhat.io', 'docker.io']);
  });
  it('reads an info with no search list (recorded 4.3.1)', () => {
    expect(run(podmanInfoRegistries(), fixture('podman/4.3-info-registries-empty.txt')).search).toBeNull();
  });
  it('reports podman refusing a broken registries.conf', () => {
    expect(run(podmanInfoRegistries(), '', fixture('podman/info-mixed-error.stderr.txt'), 125).error).toMatch(/mixing/);
  });
  it('throws on garbage', () => {
    expect(() => run(podmanInfoRegistries(), '{"nope":1}')).toThrow(ProbeParseError);
    expect(() => run(podmanInfoRegistries(), 'not json')).toThrow(ProbeParseError);
  });
});
