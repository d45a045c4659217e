/**
 * d2.ip-forward: a sysctl's value now, and what the boot sets it to. At boot systemd-sysctl applies the
 * sysctl.d files (procps `sysctl --system` is not run), so this follows systemd 252 src/sysctl/sysctl.c
 * (parse_file, apply_all) and src/basic/conf-files.c:
 * - files: *.conf in /etc, /run, /usr/local/lib, /usr/lib sysctl.d (CONF_PATHS("sysctl.d")); a same-named
 *   file in an earlier directory replaces the later one (a link to /dev/null masks it); all sorted by file
 *   name. /etc/sysctl.conf is read only through a link to it (Rocky's /etc/sysctl.d/99-sysctl.conf).
 * - lines: stripped; empty, `#` or `;` skipped; `key = value`, `-key = value` (failure ignored),
 *   `-key` without `=`: a negative match (the key is left alone, also by globs); other lines without `=`:
 *   "Line is not an assignment, ignoring".
 * - keys: sysctl_normalize(): if the first separator is `.`, dots and slashes swap; `//` and `/./` fold;
 *   a leading `/` is dropped.
 * - a repeated key replaces the earlier assignment (and moves to the end of the order) unless the value is
 *   the same; an explicit key always beats any glob, whatever the file order; globs (`*?[`, glob(3) on
 *   /proc/sys, so `*` stays inside one path component) are applied in order, the last matching one wins.
 * Globs are matched by hand, never through a RegExp built from node text (a 14-star line froze a run 20 s).
 */
import { type Probe, ProbeParseError } from './types.ts';
import { MISSING, basename, dumpFiles, needSection, numberedLines, parseDump, parseSections, section, subshell } from './util.ts';

export interface SysctlAssignment {
  path: string;
  lineNo: number;
  /** normalised to dots */
  key: string;
  /** '' for a negative match */
  value: string;
  raw: string;
  /** `-key = value`: failures ignored */
  ignoreErrors: boolean;
  /** `-key` without `=`: keeps the key from being set */
  negative?: boolean;
  /** the key is a glob pattern */
  glob?: boolean;
  /** false when the file is masked by a same-named one or the assignment is overridden */
  effective: boolean;
}

export interface SysctlFact {
  key: string;
  runtime: { value?: string; error?: string };
  /** the assignment the boot applies, if any (absent too when a negative match cancels the key) */
  persisted?: SysctlAssignment;
  /** every line about the key, in the order read (masked files last), the winner effective */
  assignments: SysctlAssignment[];
  /** files applied, in order */
  files: string[];
  /** lines systemd-sysctl warns about and skips, as `path:line: why` */
  problems: string[];
}

export const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d'];
export const SYSCTL_CONF = '/etc/sysctl.conf';
// systemd read_line(f, LONG_LINE_MAX): a longer line fails the read and the rest of the file is ignored
const LONG_LINE_MAX = 1024 * 1024;

function swapDotsSlashes(k: string): string {
  return k
    .split('.')
    .map((part) => part.replaceAll('/', '.'))
    .join('/');
}

/** systemd sysctl-util.c sysctl_normalize(): the /proc/sys path form (`net/ipv4/ip_forward`) */
export function sysctlPath(k: string): string {
  const dot = k.indexOf('.');
  const slash = k.indexOf('/');
  const s = dot >= 0 && (slash < 0 || dot < slash) ? swapDotsSlashes(k) : k;
  // path_simplify(), then the leading slash killed
  const parts = s.split('/').filter((c) => c !== '' && c !== '.');
  return parts.length ? parts.join('/') : s;
}

/** the dotted form sysctl(8) prints (`net.ipv4.conf.enp3s0/200.forwarding`) */
export function normaliseSysctlKey(k: string): string {
  return swapDotsSlashes(sysctlPath(k));
}

function isGlob(p: string): boolean {
  return p.includes('*') || p.includes('?') || p.includes('[');
}

type Tok = { t: 'lit'; c: string } | { t: 'any' } | { t: 'star' } | { t: 'set'; neg: boolean; ascii: Uint8Array };

/**
 * One path component of a glob(3) pattern, in one pass: `\x` literal, runs of `*` folded, `[...]` (`!` or `^`
 * negates, a `]` first is literal, `a-z` ranges) kept as an ASCII table (the keys we look up are ASCII),
 * a `[` without a closing `]` is literal (glibc fnmatch).
 */
function tokens(p: string): Tok[] {
  // nextClose[i]: index of the first `]` at or after i, so each `[` finds its end in O(1)
  const nextClose = new Int32Array(p.length + 1).fill(-1);
  for (let i = p.length - 1; i >= 0; i--) nextClose[i] = p[i] === ']' ? i : nextClose[i + 1]!;
  const out: Tok[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) out.push({ t: 'lit', c: p[++i]! });
    else if (c === '*') {
      if (out[out.length - 1]?.t !== 'star') out.push({ t: 'star' });
    } else if (c === '?') out.push({ t: 'any' });
    else if (c === '[') {
      let first = i + 1;
      const neg = p[first] === '!' || p[first] === '^';
      if (neg) first++;
      const close = first + 1 <= p.length ? nextClose[first + 1]! : -1;
      if (close < 0) {
        out.push({ t: 'lit', c: '[' });
        continue;
      }
      // difference array over ASCII: each item or range costs O(1)
      const diff = new Int32Array(129);
      for (let j = first; j < close; ) {
        const lo = p.charCodeAt(j);
        const ranged = p[j + 1] === '-' && j + 2 < close;
        const hi = ranged ? p.charCodeAt(j + 2) : lo;
        j += ranged ? 3 : 1;
        const a = Math.min(lo, 128);
        const b = Math.min(hi, 127);
        if (a <= b) {
          diff[a]!++;
          diff[b + 1]!--;
        }
      }
      const ascii = new Uint8Array(128);
      for (let k = 0, run = 0; k < 128; k++) {
        run += diff[k]!;
        ascii[k] = run > 0 ? 1 : 0;
      }
      out.push({ t: 'set', neg, ascii });
      i = close;
    } else out.push({ t: 'lit', c });
  }
  return out;
}

function tokMatches(tok: Tok, c: string): boolean {
  if (tok.t === 'lit') return tok.c === c;
  if (tok.t === 'any') return true;
  if (tok.t === 'set') {
    const code = c.charCodeAt(0);
    return (code < 128 && tok.ascii[code] === 1) !== tok.neg;
  }
  return false;
}

/**
 * fnmatch of one component: the classic two-pointer match (on a mismatch, retry from the last star
 * one character further), O(pattern x name); names here are the grader's own short sysctl names.
 * A leading `.` must be matched literally (glob(3) without GLOB_PERIOD).
 */
function componentMatch(pattern: string, name: string): boolean {
  const toks = tokens(pattern);
  if (name.startsWith('.') && toks[0]?.t !== 'lit') return false;
  let ti = 0;
  let ni = 0;
  let starT = -1;
  let starN = 0;
  while (ni < name.length) {
    const tok = toks[ti];
    if (tok && tok.t === 'star') {
      starT = ti++;
      starN = ni;
    } else if (tok && tokMatches(tok, name[ni]!)) {
      ti++;
      ni++;
    } else if (starT >= 0) {
      ti = starT + 1;
      ni = ++starN;
    } else return false;
  }
  while (toks[ti]?.t === 'star') ti++;
  return ti === toks.length;
}

/** does the sysctl.d glob (path form) name the key (path form)? glob(3)'s `*` never crosses a `/` */
export function sysctlGlobMatch(pattern: string, key: string): boolean {
  const pc = pattern.split('/');
  const kc = key.split('/');
  return pc.length === kc.length && pc.every((p, i) => componentMatch(p, kc[i]!));
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export interface SysctlLine {
  path: string;
  lineNo: number;
  /** path form */
  keyPath: string;
  /** null: negative match */
  value: string | null;
  raw: string;
  ignoreErrors: boolean;
}

/** systemd 252 sysctl.c parse_file(), one file; problems get `path:line: why` */
export function parseSysctlFile(path: string, content: string, problems: string[] = []): SysctlLine[] {
  const out: SysctlLine[] = [];
  for (const { lineNo, raw } of numberedLines(content)) {
    if (Buffer.byteLength(raw) >= LONG_LINE_MAX) {
      problems.push(`${path}:${lineNo}: line longer than 1 MiB: systemd-sysctl stops reading the file here`);
      break;
    }
    let p = raw.trim();
    if (p === '' || p.startsWith('#') || p.startsWith(';')) continue;
    const eq = p.indexOf('=');
    let value: string | null = null;
    let ignoreErrors = false;
    if (eq >= 0) {
      value = p.slice(eq + 1).trim();
      p = p.slice(0, eq);
      if (p.startsWith('-')) {
        ignoreErrors = true;
        p = p.slice(1);
      }
    } else if (p.startsWith('-')) p = p.slice(1);
    else {
      problems.push(`${path}:${lineNo}: line is not an assignment, ignoring`);
      continue;
    }
    out.push({ path, lineNo, keyPath: sysctlPath(p.trim()), value, raw, ignoreErrors });
  }
  return out;
}

export function sysctlKey(name: string): Probe<SysctlFact> {
  if (!/^\w[\w./-]*$/.test(name)) throw new Error(`invalid sysctl key ${JSON.stringify(name)}`);
  const key = `sysctl:${name}`;
  const target = sysctlPath(name);
  const dotted = normaliseSysctlKey(name);
  const globs = SYSCTL_DIRS.map((d) => `${d}/*.conf`);
  const body = [
    section('runtime', `if command -v sysctl >/dev/null 2>&1; then sysctl -n ${name}; else echo '${MISSING} sysctl'; fi`),
    // real paths: /etc/sysctl.d/99-sysctl.conf links to ../sysctl.conf; a link to /dev/null masks a name
    section('links', `for f in ${globs.join(' ')}; do [ -e "$f" ] && printf '%s\\t%s\\n' "$f" "$(readlink -f -- "$f")"; done; true`),
    section('files', dumpFiles(globs)),
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const sections = parseSections(key, out.stdout);
      const rt = needSection(key, sections, 'runtime');
      const rtText = rt.text.trim();
      const runtime: SysctlFact['runtime'] =
        rt.code === 0 && !rtText.startsWith(MISSING) && rtText !== '' && !rtText.includes('\n')
          ? { value: rtText }
          : { error: rtText || `sysctl exit ${rt.code}` };

      const real = new Map<string, string>();
      for (const l of needSection(key, sections, 'links').text.split('\n')) {
        const tab = l.indexOf('\t');
        if (tab > 0) real.set(l.slice(0, tab), l.slice(tab + 1));
      }
      let dumped;
      try {
        dumped = parseDump(needSection(key, sections, 'files').text);
      } catch (e) {
        throw new ProbeParseError(key, (e as Error).message);
      }
      const content = new Map(dumped.map((f) => [f.path, f.content]));
      // a name that exists but was not dumped (a link to /dev/null, a FIFO): reads as nothing, still masks
      for (const p of real.keys()) if (!content.has(p)) content.set(p, '');
      const rank = (p: string) => SYSCTL_DIRS.findIndex((d) => p.startsWith(`${d}/`));
      const winner = new Map<string, string>();
      for (const p of content.keys()) {
        if (rank(p) < 0) continue;
        const b = basename(p);
        const cur = winner.get(b);
        if (cur === undefined || rank(p) < rank(cur)) winner.set(b, p);
      }
      const order = [...winner.entries()].sort((a, b) => byteOrder(a[0], b[0])).map(([, p]) => p);

      // parse_file() into one ordered map, as sysctl.c keeps its OrderedHashmap
      const problems: string[] = [];
      const options = new Map<string, SysctlLine>();
      const about: SysctlLine[] = [];
      const concerns = (l: SysctlLine) => l.keyPath === target || (isGlob(l.keyPath) && sysctlGlobMatch(l.keyPath, target));
      for (const p of order) {
        for (const l of parseSysctlFile(p, content.get(p) ?? '', problems)) {
          const existing = options.get(l.keyPath);
          if (existing && existing.value === l.value) existing.ignoreErrors ||= l.ignoreErrors;
          else {
            options.delete(l.keyPath);
            options.set(l.keyPath, l);
          }
          if (concerns(l)) about.push(l);
        }
      }
      // apply_all(): negative matches set nothing; an explicit key wins over every glob
      let win: SysctlLine | undefined = options.get(target);
      if (!win) {
        for (const o of options.values()) if (o.value !== null && isGlob(o.keyPath) && sysctlGlobMatch(o.keyPath, target)) win = o;
      }
      const toFact = (l: SysctlLine, effective: boolean): SysctlAssignment => ({
        path: l.path,
        lineNo: l.lineNo,
        key: swapDotsSlashes(l.keyPath),
        value: l.value ?? '',
        raw: l.raw,
        ignoreErrors: l.ignoreErrors,
        ...(l.value === null ? { negative: true } : {}),
        ...(isGlob(l.keyPath) ? { glob: true } : {}),
        effective,
      });
      const assignments = about.map((l) => toFact(l, l === win && l.value !== null));
      const persisted = assignments.find((a) => a.effective);
      const masked = [...content.keys()]
        .filter((p) => !order.includes(p))
        .flatMap((p) => parseSysctlFile(p, content.get(p) ?? ''))
        .filter(concerns)
        .map((l) => toFact(l, false));
      return { key: dotted, runtime, ...(persisted ? { persisted } : {}), assignments: [...assignments, ...masked], files: order, problems };
    },
  };
}
