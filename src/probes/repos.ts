/**
 * d2.libcontainers-repo, d2.crio-repo, d2.k8s-repo: every repo defined under /etc/yum.repos.d, read as
 * dnf 4 on EL9 does: libdnf/utils/iniparser/iniparser.cpp IniParser::next() for the syntax, dnf/conf/read.py
 * RepoReader for what is kept:
 * - a comment is a line whose FIRST character is `#` or `;`; an empty line ends a value; a blank-only line
 *   or any indented line (even `  # x`) after a key continues its value; an indented line with no key
 *   before it is "Illegal continuation line".
 * - `[id]` (blanks before allowed; only blanks or a `#`/`;` comment after `]`); `key=value` in column 0,
 *   key case-sensitive (`BaseURL` is not `baseurl`), blanks around `=` dropped, one pair of matching
 *   surrounding quotes removed from the value; a later key in the same section replaces an earlier one.
 * - errors (missing `]`, text after a section, a key line without `=`, a line before any section, a line
 *   starting with `=`) make libdnf throw, and dnf then skips the WHOLE file ("failed loading ..., skipping").
 * - `[main]` is not a repo; an id with characters outside `A-Za-z0-9-_.:` is refused ("Bad id for repo");
 *   an id already defined by an earlier file (files in name order) is skipped.
 */
import { type Probe, ProbeParseError } from './types.ts';
import { basename, dumpFiles, parseDump, subshell } from './util.ts';

export interface YumRepo {
  file: string;
  id: string;
  name?: string;
  /** several URLs may be given, whitespace- or comma-separated, also on continuation lines; `$basearch` kept as-is */
  baseurl: string[];
  mirrorlist?: string;
  metalink?: string;
  /** dnf's default is enabled */
  enabled: boolean;
  gpgcheck?: boolean;
  exclude?: string[];
  /** the raw `key=value` lines, for found-messages */
  lines: Record<string, string>;
  /** dnf does not load this repo: why (its file failed to parse, a bad id, an id already taken) */
  skipped?: string;
}

export interface ReposFact {
  /** every repo found, those dnf skips marked `skipped` */
  repos: YumRepo[];
  files: string[];
  /** why dnf skips a file or a repo, each naming file and line */
  problems: string[];
}

export const REPOS_DIR = '/etc/yum.repos.d';

function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase();
  if (t === '1' || t === 'yes' || t === 'true' || t === 'on') return true;
  if (t === '0' || t === 'no' || t === 'false' || t === 'off') return false;
  return undefined;
}

function list(v: string | undefined): string[] {
  return v === undefined ? [] : v.split(/[\s,]+/).filter(Boolean);
}

const BLANK = new Set([' ', '\t', '\r']);
function firstNonBlank(l: string): number {
  let i = 0;
  while (i < l.length && BLANK.has(l[i]!)) i++;
  return i;
}
function trimBlank(l: string): string {
  let a = 0;
  let b = l.length;
  while (a < b && BLANK.has(l[a]!)) a++;
  while (b > a && BLANK.has(l[b - 1]!)) b--;
  return l.slice(a, b);
}
function unquote(v: string): string {
  let end = v.length;
  while (end > 0 && v[end - 1] === '\n') end--;
  const t = v.slice(0, end);
  return t.length > 1 && t[0] === t[t.length - 1] && (t[0] === '"' || t[0] === "'") ? t.slice(1, -1) : t;
}

class RepoSyntaxError extends Error {}

/**
 * One .repo file by libdnf's IniParser rules. A syntax error makes dnf skip the whole file: its repos come
 * back `skipped`, and the error (file:line) goes to `problems`.
 */
export function parseRepoFile(file: string, content: string, problems: string[] = []): YumRepo[] {
  // values and raw lines kept as parts, joined once: a long continuation stays linear
  const sections: Array<{ id: string; kv: Map<string, string[]>; raw: Map<string, string[]> }> = [];
  let cur: (typeof sections)[number] | undefined;
  let key: string | undefined;
  let error: string | undefined;
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  try {
    for (let n = 0; n < lines.length; n++) {
      let line = lines[n]!;
      if (n === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
      const where = `${file}:${n + 1}`;
      if (line === '' || line[0] === '#' || line[0] === ';') {
        key = undefined;
        continue;
      }
      const start = firstNonBlank(line);
      if (start === line.length) {
        if (cur && key) cur.kv.get(key)!.push('');
        continue;
      }
      if (key && start > 0 && line[start] !== '[') {
        cur!.kv.get(key)!.push(trimBlank(line));
        cur!.raw.get(key)!.push(line);
        continue;
      }
      key = undefined;
      if (line[start] === '[') {
        const close = line.indexOf(']', start + 1);
        if (close < 0) throw new RepoSyntaxError(`${where}: missing ']' (libdnf: MissingBracket)`);
        if (close === start + 1) throw new RepoSyntaxError(`${where}: empty section name`);
        const after = trimBlank(line.slice(close + 1));
        if (after !== '' && after[0] !== '#' && after[0] !== ';') throw new RepoSyntaxError(`${where}: text after the section name`);
        cur = { id: line.slice(start + 1, close), kv: new Map(), raw: new Map() };
        sections.push(cur);
        continue;
      }
      if (!cur) throw new RepoSyntaxError(`${where}: a line before any [section] (libdnf: MissingSectionHeader)`);
      if (start > 0) throw new RepoSyntaxError(`${where}: indented line with no key before it (libdnf: IllegalContinuationLine)`);
      if (line[0] === '=') throw new RepoSyntaxError(`${where}: line starts with '=' (libdnf: MissingKey)`);
      const eq = line.indexOf('=');
      if (eq < 0) throw new RepoSyntaxError(`${where}: no '=' (libdnf: MissingEqual)`);
      key = trimBlank(line.slice(0, eq));
      cur.kv.set(key, [trimBlank(line.slice(eq + 1))]);
      cur.raw.set(key, [line]);
    }
  } catch (e) {
    if (!(e instanceof RepoSyntaxError)) throw e;
    error = e.message;
    problems.push(`${e.message}: dnf skips the whole file`);
  }
  return sections
    .filter((s) => s.id !== 'main')
    .map((s) => {
      const get = (k: string) => {
        const v = s.kv.get(k);
        return v === undefined ? undefined : unquote(v.join('\n'));
      };
      const exclude = get('exclude') ?? get('excludepkgs');
      const badId = [...s.id].some((c) => !/[\w.:-]/.test(c));
      const skipped = error ? `${basename(file)} does not parse (${error})` : badId ? `bad id for repo: ${JSON.stringify(s.id.slice(0, 100))}` : undefined;
      return {
        file,
        id: s.id,
        name: get('name'),
        baseurl: list(get('baseurl')),
        mirrorlist: get('mirrorlist'),
        metalink: get('metalink'),
        enabled: bool(get('enabled')) ?? true,
        gpgcheck: bool(get('gpgcheck')),
        ...(exclude !== undefined ? { exclude: list(exclude) } : {}),
        lines: Object.fromEntries([...s.raw].map(([k, v]) => [k, v.join('\n')])),
        ...(skipped ? { skipped } : {}),
      };
    });
}

export function yumRepos(): Probe<ReposFact> {
  const key = 'yum-repos';
  return {
    key,
    command: subshell(dumpFiles([`${REPOS_DIR}/*.repo`])),
    parse(out) {
      let files;
      try {
        files = parseDump(out.stdout);
      } catch (e) {
        throw new ProbeParseError(key, (e as Error).message);
      }
      const problems: string[] = [];
      // dnf reads the files in name order; a repo id seen before is not loaded again
      const ordered = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
      const repos = ordered.flatMap((f) => parseRepoFile(f.path, f.content, problems));
      const first = new Map<string, YumRepo>();
      for (const r of repos) {
        if (r.skipped) continue;
        const prev = first.get(r.id);
        if (prev) {
          r.skipped = `repository ${r.id} is already defined in ${prev.file}`;
          problems.push(`${r.file}: ${r.skipped}`);
        } else first.set(r.id, r);
      }
      return { repos, files: ordered.map((f) => f.path), problems };
    },
  };
}
