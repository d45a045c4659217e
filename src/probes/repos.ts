/** d2.libcontainers-repo, d2.crio-repo, d2.k8s-repo: every repo defined under /etc/yum.repos.d. */
import { type Probe, ProbeParseError } from './types.ts';
import { dumpFiles, numberedLines, parseDump, subshell } from './util.ts';

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
}

export interface ReposFact {
  repos: YumRepo[];
  files: string[];
  /** lines dnf would reject (outside a section, no '='), with their file */
  problems: string[];
}

export const REPOS_DIR = '/etc/yum.repos.d';

function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (/^(1|yes|true|on)$/i.test(v.trim())) return true;
  if (/^(0|no|false|off)$/i.test(v.trim())) return false;
  return undefined;
}

function list(v: string | undefined): string[] {
  return v === undefined ? [] : v.split(/[\s,]+/).filter(Boolean);
}

export function parseRepoFile(file: string, content: string, problems: string[] = []): YumRepo[] {
  const sections: Array<{ id: string; kv: Map<string, string>; raw: Record<string, string> }> = [];
  let cur: (typeof sections)[number] | undefined;
  let lastKey: string | undefined;
  for (const { lineNo, raw } of numberedLines(content)) {
    if (/^\s*([#;]|$)/.test(raw)) {
      if (raw.trim() === '') lastKey = undefined;
      continue;
    }
    // continuation line: indented, appends to the previous value (multi-line baseurl)
    if (/^\s/.test(raw) && cur && lastKey) {
      cur.kv.set(lastKey, `${cur.kv.get(lastKey)}\n${raw.trim()}`);
      cur.raw[lastKey] += `\n${raw}`;
      continue;
    }
    const s = /^\s*\[(.+)\]\s*$/.exec(raw);
    if (s) {
      cur = { id: s[1]!.trim(), kv: new Map(), raw: {} };
      sections.push(cur);
      lastKey = undefined;
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq < 0 || !cur) {
      problems.push(`${file}:${lineNo}: ${raw}`);
      continue;
    }
    lastKey = raw.slice(0, eq).trim().toLowerCase();
    cur.kv.set(lastKey, raw.slice(eq + 1).trim());
    cur.raw[lastKey] = raw;
  }
  return sections
    .filter((s) => s.id !== 'main')
    .map((s) => {
      const exclude = s.kv.get('exclude') ?? s.kv.get('excludepkgs');
      return {
        file,
        id: s.id,
        name: s.kv.get('name'),
        baseurl: list(s.kv.get('baseurl')),
        mirrorlist: s.kv.get('mirrorlist'),
        metalink: s.kv.get('metalink'),
        enabled: bool(s.kv.get('enabled')) ?? true,
        gpgcheck: bool(s.kv.get('gpgcheck')),
        ...(exclude !== undefined ? { exclude: list(exclude) } : {}),
        lines: s.raw,
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
      const repos = files.flatMap((f) => parseRepoFile(f.path, f.content, problems));
      return { repos, files: files.map((f) => f.path), problems };
    },
  };
}
