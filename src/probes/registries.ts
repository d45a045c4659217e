/**
 * d1.registries: the effective `unqualified-search-registries`, computed the way containers/image
 * (pkg/sysregistriesv2) does: registries.conf, then registries.conf.d/*.conf in byte order, each
 * file that sets the key REPLACING it; legacy v1 `[registries.search]` converted; v1 mixed with v2
 * in one file is an error podman refuses to run with.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { type Probe, ProbeParseError } from './types.ts';
import { clip, dumpFiles, isRecord, missingTool, parseDump, parseJson, requireTool, str, strArray, subshell } from './util.ts';

export const REGISTRIES_CONF = '/etc/containers/registries.conf';
export const REGISTRIES_DROPIN_DIR = '/etc/containers/registries.conf.d';

export interface RegistriesFile {
  path: string;
  /** the list this file sets, if it sets one */
  list?: string[];
  form?: 'v2' | 'v1';
  shortNameMode?: string;
  /** TOML syntax error or v1/v2 mix, as podman would report it */
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
  /** the first broken file's error: podman fails on any, so the list means nothing then */
  error?: string;
  shortNameMode?: string;
  mainFileExists: boolean;
}

/** keys of the v2 format: any of them set with a v1 list in the same file is an error */
const V2_KEYS = [
  'unqualified-search-registries',
  'registry',
  'short-name-mode',
  'aliases',
  'credential-helpers',
  'additional-layer-store-auth-helper',
];

function nonEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v) || typeof v === 'string') return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

export function parseRegistriesFile(path: string, content: string): RegistriesFile {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(content) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? ` (line ${e.line}, column ${e.column})` : '';
    return { path, error: `${path}: invalid TOML${where}: ${(e as Error).message.split('\n')[0]}` };
  }
  const v1 = isRecord(doc.registries) ? doc.registries : undefined;
  const v1List = (t: string): string[] => {
    const sub = v1?.[t];
    return isRecord(sub) ? strArray(sub.registries) : [];
  };
  const v1Search = v1List('search');
  const v1Nonempty = v1Search.length > 0 || v1List('insecure').length > 0 || v1List('block').length > 0;
  const v2Nonempty = V2_KEYS.some((k) => nonEmpty(doc[k]));
  const shortNameMode = str(doc['short-name-mode']);
  if (v1Nonempty && v2Nonempty) {
    return { path, shortNameMode, error: `${path}: mixing sysregistry v1/v2 is not supported` };
  }
  const raw = doc['unqualified-search-registries'];
  if (raw !== undefined) {
    if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) {
      return { path, error: `${path}: unqualified-search-registries is not an array of strings` };
    }
    return { path, list: raw as string[], form: 'v2', shortNameMode };
  }
  if (v1Search.length > 0) return { path, list: v1Search, form: 'v1', shortNameMode };
  return { path, shortNameMode };
}

/** byte order, as Go's os.ReadDir sorts: bash's glob order follows the locale */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function registriesConf(): Probe<RegistriesFact> {
  const key = 'registries-conf';
  return {
    key,
    command: subshell(dumpFiles([REGISTRIES_CONF, `${REGISTRIES_DROPIN_DIR}/*.conf`])),
    parse(out) {
      let dumped;
      try {
        dumped = parseDump(out.stdout);
      } catch (e) {
        throw new ProbeParseError(key, (e as Error).message);
      }
      const main = dumped.filter((f) => f.path === REGISTRIES_CONF);
      const dropins = dumped
        .filter((f) => f.path.startsWith(`${REGISTRIES_DROPIN_DIR}/`) && f.path.endsWith('.conf'))
        .sort((a, b) => byteOrder(a.path, b.path));
      const files = [...main, ...dropins].map((f) => parseRegistriesFile(f.path, f.content));
      const fact: RegistriesFact = { list: null, files, mainFileExists: main.length > 0 };
      for (const f of files) {
        if (f.error) {
          fact.error ??= f.error;
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
        const msg = out.stderr.trim() || out.stdout.trim();
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
