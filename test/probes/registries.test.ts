import { describe, expect, it } from 'vitest';
import { podmanInfoRegistries, registriesConf } from '../../src/probes/registries.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump, composeSections, type DumpedFile } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const MAIN = '/etc/containers/registries.conf';
const D = '/etc/containers/registries.conf.d';
const dump = (files: DumpedFile[], home = '/root') => composeSections([['home', `${home}\n`, 0], ['files', composeDump(files), 0]]);
const parse = (files: Array<[string, string]>) =>
  run(registriesConf(), dump(files.map(([path, f]) => ({ path, content: fixture(`registries/${f}`) }))));
const UD = '/root/.config/containers/registries.conf.d';

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
    const f = run(registriesConf(), dump([
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
    expect(f.error).toMatch(/^loading registries configuration "\/etc\/containers\/registries\.conf": invalid TOML \(line 1/);
  });

  it('no files: no list', () => {
    expect(run(registriesConf(), dump([]))).toEqual({ list: null, files: [], mainFileExists: false, unread: [] });
  });

  it('throws on output that is not a file dump', () => {
    expect(() => run(registriesConf(), 'garbage\n')).toThrow(ProbeParseError);
    expect(() => run(registriesConf(), composeSections([['home', '/root\n', 0], ['files', 'garbage\n', 0]]))).toThrow(ProbeParseError);
  });

  // containers/image pkg/sysregistriesv2/system_registries_v2.go
  it('a v1 table in a drop-in is an error podman refuses every command with, even when the main file is right', () => {
    const f = parse([[MAIN, 'student-quay.conf'], [`${D}/50-v1.conf`, 'dropin-v1.conf']]);
    expect(f.error).toBe(`loading drop-in registries configuration "${D}/50-v1.conf": registry must be in v2 format but is in v1`);
  });
  it('v1/v2 mix is "any field present": an empty v1 list counts', () => {
    expect(parse([[MAIN, 'mixed-empty-v1.conf']]).error).toMatch(/: mixing sysregistry v1\/v2 is not supported$/);
    // an empty v1 list alone is v1, and sets the (empty) search list
    expect(run(registriesConf(), dump([{ path: MAIN, content: '[registries.search]\nregistries = []\n' }]))).toMatchObject({ list: [], sourceForm: 'v1' });
  });
  it("root's own ~/.config/containers/registries.conf replaces the system file and the system drop-ins", () => {
    const f = parse([
      [MAIN, 'student-quay.conf'],
      [`${D}/50-quay.conf`, 'student-quay.conf'],
      ['/root/.config/containers/registries.conf', 'user-root.conf'],
    ]);
    expect(f).toMatchObject({ list: ['docker.io'], source: '/root/.config/containers/registries.conf', userFile: '/root/.config/containers/registries.conf' });
    expect(f.unread).toEqual([MAIN, `${D}/50-quay.conf`]);
  });
  it("without a user file the user's drop-ins are read after the system ones", () => {
    const f = parse([[MAIN, 'rhel9-default.conf'], [`${UD}/10-quay.conf`, 'student-quay.conf'], [`${D}/99-docker.conf`, 'dropin-docker.conf']]);
    expect(f).toMatchObject({ list: ['quay.io'], source: `${UD}/10-quay.conf` });
    expect(f.files.map((x) => x.path)).toEqual([MAIN, `${D}/99-docker.conf`, `${UD}/10-quay.conf`]);
  });
  it('search entries are checked as podman does: a URI scheme is refused, an invalid short-name-mode too', () => {
    expect(parse([[MAIN, 'scheme-entry.conf']]).error).toMatch(/invalid location 'https:\/\/quay\.io': URI schemes are not supported$/);
    expect(run(registriesConf(), dump([{ path: MAIN, content: 'unqualified-search-registries = ["quay.io/"]\n' }])).list).toEqual(['quay.io']);
    expect(run(registriesConf(), dump([{ path: MAIN, content: 'short-name-mode = "strict"\n' }])).error).toMatch(/invalid short-name mode: "strict"$/);
    expect(run(registriesConf(), dump([{ path: MAIN, content: 'unqualified-search-registries = ["quay io"]\n' }])).error).toMatch(/Invalid unqualified-search-registries entry "quay io"$/);
  });
});

describe('podmanInfoRegistries', () => {
  it('reads .registries.search', () => {
    expect(run(podmanInfoRegistries(), fixture('podman/info-registries-rhel9.txt')).search).toEqual(['registry.access.redhat.com', 'registry.redhat.io', 'docker.io']);
  });
  it('reads an info with no search list (recorded 4.3.1)', () => {
    expect(run(podmanInfoRegistries(), fixture('podman/4.3-info-registries-empty.txt')).search).toBeNull();
  });
  it("drops podman's logrus warning lines from its error", () => {
    expect(run(podmanInfoRegistries(), '', fixture('podman/info-dropin-v1-warning.stderr.txt'), 125).error).toBe(
      'Error: loading drop-in registries configuration "/etc/containers/registries.conf.d/50-legacy.conf": registry must be in v2 format but is in v1',
    );
  });
  it('reports podman refusing a broken registries.conf', () => {
    expect(run(podmanInfoRegistries(), '', fixture('podman/info-mixed-error.stderr.txt'), 125).error).toMatch(/mixing/);
  });
  it('throws on garbage', () => {
    expect(() => run(podmanInfoRegistries(), '{"nope":1}')).toThrow(ProbeParseError);
    expect(() => run(podmanInfoRegistries(), 'not json')).toThrow(ProbeParseError);
  });
});
