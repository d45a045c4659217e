/**
 * d1.registries: the effective `unqualified-search-registries`, computed the way containers/image does
 * (pkg/sysregistriesv2/system_registries_v2.go, the same in the copies vendored by podman 4.4, 4.9 and 5.5):
 * - newConfigWrapperWithHomeDir(): when `$HOME/.config/containers/registries.conf` exists it REPLACES the
 *   system file, and then only `$HOME/.config/containers/registries.conf.d` is read; otherwise the system file,
 *   then `/etc/containers/registries.conf.d`, then the user's registries.conf.d (dropInConfigs(): each
 *   directory's `*.conf` in lexical byte order, WalkDir, no subdirectories).
 * - loadConfigFile(): v1 (`[registries.search]` ...) and v2 fields both present, even empty, is "mixing
 *   sysregistry v1/v2 is not supported" (hasSetField is reflect.DeepEqual to the zero value: `x = []`
 *   counts); in a drop-in (forceV2) any v1 field is "registry must be in v2 format but is in v1"; an
 *   invalid short-name-mode or search entry is an error too. tryUpdatingCache() returns the first error
 *   (wrapped "loading [drop-in ]registries configuration PATH: ..."), and podman refuses every pull, every
 *   short-name run and `podman info` with it; `podman ps`/`images`/`pod ps` never load registries.conf and go on
 *   (measured on podman 4.3.1 with a v1/v2 mix: ps exit 0, info and pull "mixing sysregistry v1/v2 is not
 *   supported"), so containers that already run stay up.
 * - updateWithConfigurationFrom(): a drop-in that has the key (even `[]`) REPLACES the list; no merging.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { type Probe, ProbeParseError } from './types.ts';
import {
  clip,
  dumpFiles,
  isRecord,
  missingTool,
  needSection,
  parseDump,
  parseJson,
  parseSections,
  requireTool,
  section,
  str,
  strArray,
  stripTrailing,
  subshell,
} from './util.ts';

export const REGISTRIES_CONF = '/etc/containers/registries.conf';
export const REGISTRIES_DROPIN_DIR = '/etc/containers/registries.conf.d';
/** relative to $HOME (containers/image userRegistriesFile, userRegistriesDir) */
export const USER_REGISTRIES_CONF = '.config/containers/registries.conf';
export const USER_REGISTRIES_DROPIN_DIR = '.config/containers/registries.conf.d';

export interface RegistriesFile {
  path: string;
  /** the list this file sets, if it sets one */
  list?: string[];
  form?: 'v2' | 'v1';
  shortNameMode?: string;
  /** the error podman stops with on this file (TOML syntax, v1/v2 mix, v1 in a drop-in ...) */
  error?: string;
}

export interface RegistriesFact {
  /** effective list; null when no file sets it (podman then has no search registries) */
  list: string[] | null;
  /** the file whose value won */
  source?: string;
  sourceForm?: 'v2' | 'v1';
  /** every file read, in the order podman reads them */
  files: RegistriesFile[];
  /** the first broken file's error, as podman reports it: podman refuses to pull or resolve any name, so the list means nothing */
  error?: string;
  shortNameMode?: string;
  mainFileExists: boolean;
  /** root's own registries.conf, when it exists: podman reads it INSTEAD of /etc/containers/registries.conf */
  userFile?: string;
  /** files that exist but podman does not read (the system file and drop-ins, when root has its own file) */
  unread: string[];
}

/** v2 fields (V2RegistriesConf's toml tags, shortNameAliasConf's `aliases`) */
const V2_KEYS = ['registry', 'unqualified-search-registries', 'credential-helpers', 'short-name-mode', 'additional-layer-store-auth-helper', 'aliases'];
const V1_TABLES = ['search', 'insecure', 'block'];
const SHORT_NAME_MODES = new Set(['disabled', 'enforcing', 'permissive']);

/** reflect.DeepEqual against the zero value after decoding: a missing key or `""` is unset, `[]` and `{}` are set */
function v2Set(doc: Record<string, unknown>): boolean {
  return V2_KEYS.some((k) => doc[k] !== undefined && doc[k] !== '');
}

function v1Set(doc: Record<string, unknown>): boolean {
  const v1 = doc.registries;
  return isRecord(v1) && V1_TABLES.some((t) => isRecord(v1[t]) && v1[t].registries !== undefined);
}

/**
 * reference.DomainRegexp, anchored (containers/image postProcessRegistries): host[:port], host =
 * dot-separated labels of letters, digits and inner dashes, or a bracketed IPv6 address. Checked by hand.
 */
function validDomain(d: string): boolean {
  let host = d;
  const colon = d.lastIndexOf(':');
  if (colon >= 0 && !d.endsWith(']')) {
    const port = d.slice(colon + 1);
    if (port === '' || [...port].some((c) => c < '0' || c > '9')) return false;
    host = d.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) return host.length > 2 && [...host.slice(1, -1)].every((c) => /[\da-f:.]/i.test(c));
  const labels = host.split('.');
  return labels.every(
    (l) => l.length > 0 && !l.startsWith('-') && !l.endsWith('-') && [...l].every((c) => /[\da-z-]/i.test(c)),
  );
}

/** loadConfigFile(path, forceV2) of containers/image; the error is the tool's own text, without the "loading" prefix */
export function parseRegistriesFile(path: string, content: string, opts: { dropIn?: boolean } = {}): RegistriesFile {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(content) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? ` (line ${e.line}, column ${e.column})` : '';
    return { path, error: `invalid TOML${where}: ${(e as Error).message.split('\n')[0]!.slice(0, 300)}` };
  }
  const shortNameMode = str(doc['short-name-mode']);
  if (v1Set(doc)) {
    if (opts.dropIn) return { path, error: 'registry must be in v2 format but is in v1' };
    if (v2Set(doc)) return { path, error: 'mixing sysregistry v1/v2 is not supported' };
  }
  if (shortNameMode !== undefined && shortNameMode !== '' && !SHORT_NAME_MODES.has(shortNameMode)) {
    return { path, error: `invalid short-name mode: ${JSON.stringify(shortNameMode.slice(0, 100))}` };
  }
  let list: string[] | undefined;
  let form: 'v1' | 'v2' | undefined;
  const raw = doc['unqualified-search-registries'];
  const v1 = isRecord(doc.registries) && isRecord(doc.registries.search) ? doc.registries.search.registries : undefined;
  if (raw !== undefined) {
    if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) {
      return { path, error: 'unqualified-search-registries is not an array of strings' };
    }
    list = raw as string[];
    form = 'v2';
  } else if (v1 !== undefined) {
    list = strArray(v1);
    form = 'v1';
  }
  if (list) {
    // parseLocation(): trailing slashes dropped, a URI scheme refused; then the domain check
    list = list.map((r) => stripTrailing(r, '/'));
    const bad = list.find((r) => r.startsWith('http://') || r.startsWith('https://') || !validDomain(r));
    if (bad !== undefined) {
      const scheme = bad.startsWith('http://') || bad.startsWith('https://');
      return { path, error: scheme ? `invalid location '${bad.slice(0, 200)}': URI schemes are not supported` : `Invalid unqualified-search-registries entry ${JSON.stringify(bad.slice(0, 200))}` };
    }
  }
  return { path, ...(list ? { list, form } : {}), ...(shortNameMode ? { shortNameMode } : {}) };
}

/** byte order, as Go's os.ReadDir / WalkDir sorts: bash's glob order follows the locale */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function registriesConf(): Probe<RegistriesFact> {
  const key = 'registries-conf';
  const body = [
    // containers/image homedir.Get(): $HOME
    section('home', 'printf "%s\\n" "$HOME"'),
    section(
      'files',
      dumpFiles([REGISTRIES_CONF, `${REGISTRIES_DROPIN_DIR}/*.conf`, `"$HOME"/${USER_REGISTRIES_CONF}`, `"$HOME"/${USER_REGISTRIES_DROPIN_DIR}/*.conf`]),
    ),
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const sections = parseSections(key, out.stdout);
      const home = stripTrailing(needSection(key, sections, 'home').text.split('\n')[0]!.trim(), '/');
      let dumped;
      try {
        dumped = parseDump(needSection(key, sections, 'files').text);
      } catch (e) {
        throw new ProbeParseError(key, (e as Error).message);
      }
      const userConf = home ? `${home}/${USER_REGISTRIES_CONF}` : undefined;
      const userDir = home ? `${home}/${USER_REGISTRIES_DROPIN_DIR}` : undefined;
      const inDir = (dir: string | undefined) =>
        dumped
          .filter((f) => dir !== undefined && f.path.startsWith(`${dir}/`) && f.path.endsWith('.conf') && !f.path.slice(dir.length + 1).includes('/'))
          .sort((a, b) => byteOrder(a.path, b.path));
      const user = dumped.find((f) => f.path === userConf);
      const system = dumped.find((f) => f.path === REGISTRIES_CONF);
      const main = user ?? system;
      const dropins = user ? inDir(userDir) : [...inDir(REGISTRIES_DROPIN_DIR), ...inDir(userDir)];
      const read = new Set([main, ...dropins].filter((f) => f !== undefined).map((f) => f.path));
      const files = [
        ...(main ? [parseRegistriesFile(main.path, main.content)] : []),
        ...dropins.map((f) => parseRegistriesFile(f.path, f.content, { dropIn: true })),
      ];
      const fact: RegistriesFact = {
        list: null,
        files,
        mainFileExists: system !== undefined,
        ...(user ? { userFile: user.path } : {}),
        unread: dumped.map((f) => f.path).filter((p) => !read.has(p)),
      };
      for (const [i, f] of files.entries()) {
        if (f.error) {
          const dropIn = !(i === 0 && main);
          fact.error ??= `loading ${dropIn ? 'drop-in ' : ''}registries configuration "${f.path}": ${f.error}`;
          continue;
        }
        if (f.list) {
          fact.list = f.list;
          fact.source = f.path;
          fact.sourceForm = f.form;
        }
        if (f.shortNameMode !== undefined) fact.shortNameMode = f.shortNameMode;
      }
      return fact;
    },
  };
}

export interface PodmanRegistriesFact {
  /** `.registries.search` of `podman info`; null when podman lists none */
  search: string[] | null;
  /** podman refused to run (e.g. broken registries.conf) */
  error?: string;
  missing?: string;
}

/** cross-check of registriesConf(): what podman itself computed */
export function podmanInfoRegistries(): Probe<PodmanRegistriesFact> {
  const key = 'podman-info-registries';
  return {
    key,
    heavy: true,
    command: subshell(`${requireTool('podman')}\npodman info -f json`),
    parse(out) {
      const tool = missingTool(out.stdout);
      if (tool) return { search: null, missing: tool };
      if (out.code !== 0) {
        // podman logs through logrus on stderr: `time="..." level=warning msg="..."` lines are noise beside the Error: line
        const errLines = out.stderr.split('\n').filter((l) => l.trim() !== '' && !/^time="[^"]*" level=(?:warning|info|debug)/.test(l));
        const msg = (errLines.join('\n').trim() || out.stdout.trim()).slice(0, 2000);
        if (!msg) throw new ProbeParseError(key, `podman info failed with exit ${out.code} and no message`);
        return { search: null, error: msg };
      }
      const info = parseJson(key, out.stdout, 'podman info');
      if (!isRecord(info) || !isRecord(info.host)) throw new ProbeParseError(key, `not podman info output: ${clip(out.stdout)}`);
      const reg = info.registries;
      if (reg === undefined || reg === null) return { search: null };
      if (!isRecord(reg)) throw new ProbeParseError(key, 'registries is not an object');
      return { search: Array.isArray(reg.search) ? strArray(reg.search) : null };
    },
  };
}
