/**
 * Shared pieces of probe commands and parsers: shell quoting, the "tool missing" marker,
 * and the marker format used when one command dumps several files or sections.
 */
import { ProbeParseError } from './types.ts';

/** printed (stdout, exit 127) when a required tool is absent, so "not installed" is not a parse error */
export const MISSING = '__LG_MISSING';
/** starts a file's content in a dump: `__LG_FILE <path>` */
export const FILE_MARK = '__LG_FILE';
/** starts a named section of a multi-part command: `__LG_SECTION <name>` */
export const SECTION_MARK = '__LG_SECTION';
/** a section's exit status: `__LG_RC <code>` (last line of the section) */
export const RC_MARK = '__LG_RC';
// The markers' lines as literal patterns (no regex built at run time in the grading path); each literal
// spells its constant above, asserted in test/probes/commands.test.ts.
export const MISSING_LINE = /^__LG_MISSING (\S+)/m;
export const SECTION_LINE = /^__LG_SECTION /m;
export const RC_LINE = /(?:^|\n)__LG_RC (\d+)\n?$/;

/** prefixes each stderr line of a command wrapped by withStderrTagged() */
export const ERR_MARK = '__LG_ERR';

/**
 * Runs `cmd` with its stdout as is and each stderr line prefixed by `__LG_ERR `, keeping `cmd`'s exit
 * status: a probe whose section folds both streams (section() does `2>&1`) can still tell data from
 * a tool's warnings (nmcli's version-mismatch warning, podman's `level=warning`), which go to stderr.
 * The tagging loop is pure bash (no sed), and a pipeline: bash waits for it before the section ends.
 */
export function withStderrTagged(cmd: string): string {
  return `( { ${cmd}
} 2>&1 1>&3 | while IFS= read -r l || [ -n "$l" ]; do printf '${ERR_MARK} %s\\n' "$l"; done; exit "\${PIPESTATUS[0]}" ) 3>&1`;
}

/** inverse of withStderrTagged(): data lines and stderr lines apart */
export function splitTagged(text: string): { stdout: string; stderr: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  for (const l of text.split('\n')) {
    if (l.startsWith(`${ERR_MARK} `)) err.push(l.slice(ERR_MARK.length + 1));
    else out.push(l);
  }
  return { stdout: out.join('\n'), stderr: err };
}

/** single-quote for bash */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** names that go into commands unquoted-safe and into probe keys (packages, units, modules, containers) */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@+:-]*$/;

export function assertSafeName(kind: string, name: string): void {
  if (!SAFE_NAME.test(name)) throw new Error(`invalid ${kind} name ${JSON.stringify(name)}`);
}

/**
 * Wraps a probe body in a subshell, so its `exit` ends only this probe when the gatherer batches
 * several probes into one script.
 */
export function subshell(body: string): string {
  return `(\n${body}\n)`;
}

/** a guard line: prints the missing-tool marker and leaves the (sub)shell when `tool` is absent */
export function requireTool(tool: string): string {
  return `command -v ${tool} >/dev/null 2>&1 || { echo '${MISSING} ${tool}'; exit 127; }`;
}

/** the missing tool named by the guard, if the output is that marker */
export function missingTool(stdout: string): string | undefined {
  const m = MISSING_LINE.exec(stdout);
  return m?.[1];
}

/**
 * Prints every existing regular file matching the globs (expanded by bash, each glob sorted),
 * each introduced by a marker line; a final newline is added only when the file lacks one, so
 * contents round-trip exactly (except that trailing newline).
 */
export function dumpFiles(globs: string[]): string {
  const list = globs.join(' ');
  return [
    `for f in ${list}; do`,
    `  [ -f "$f" ] || continue`,
    `  printf '${FILE_MARK} %s\\n' "$f"`,
    `  cat -- "$f" 2>&1`,
    `  [ -z "$(tail -c1 -- "$f" 2>/dev/null)" ] || echo`,
    `done`,
  ].join('\n');
}

/** a section header followed by a body whose exit status is recorded */
export function section(name: string, body: string): string {
  return `echo '${SECTION_MARK} ${name}'\n{ ${body}\n} 2>&1; echo "${RC_MARK} $?"`;
}

export interface DumpedFile {
  path: string;
  content: string;
}

/** inverse of dumpFiles */
export function parseDump(text: string): DumpedFile[] {
  const files: DumpedFile[] = [];
  let cur: { path: string; lines: string[] } | undefined;
  const flush = () => {
    if (cur) files.push({ path: cur.path, content: cur.lines.length ? cur.lines.join('\n') + '\n' : '' });
  };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith(`${FILE_MARK} `)) {
      flush();
      cur = { path: line.slice(FILE_MARK.length + 1), lines: [] };
    } else if (cur) {
      cur.lines.push(line);
    } else if (line.trim() !== '') {
      throw new ProbeParseError('file-dump', `text before the first file marker: ${clip(line)}`);
    }
  }
  flush();
  return files;
}

/** same as dumpFiles' output, for tests and for building fixtures */
export function composeDump(files: DumpedFile[]): string {
  return files
    .map((f) => `${FILE_MARK} ${f.path}\n${f.content}${f.content === '' || f.content.endsWith('\n') ? '' : '\n'}`)
    .join('');
}

export interface Section {
  text: string;
  code: number;
}

/** splits the output of commands made with section() */
export function parseSections(key: string, stdout: string): Map<string, Section> {
  const out = new Map<string, Section>();
  const parts = stdout.split(SECTION_LINE);
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    const name = (nl < 0 ? part : part.slice(0, nl)).trim();
    let body = nl < 0 ? '' : part.slice(nl + 1);
    const m = RC_LINE.exec(body);
    if (!m) throw new ProbeParseError(key, `section ${name} has no exit status (output cut short?)`);
    body = body.slice(0, m.index) + (m.index > 0 ? '\n' : '');
    out.set(name, { text: body, code: Number(m[1]) });
  }
  return out;
}

/** inverse of parseSections, for tests and fixtures */
export function composeSections(sections: Array<[string, string, number]>): string {
  return sections
    .map(([name, text, code]) => `${SECTION_MARK} ${name}\n${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${RC_MARK} ${code}\n`)
    .join('');
}

export function needSection(key: string, sections: Map<string, Section>, name: string): Section {
  const s = sections.get(name);
  if (!s) throw new ProbeParseError(key, `output lacks section ${name}`);
  return s;
}

/** JSON.parse that reports as a ProbeParseError */
export function parseJson(key: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ProbeParseError(key, `${what} is not JSON (${(e as Error).message}): ${clip(text)}`);
  }
}

export function clip(s: string, n = 200): string {
  const t = s.trim();
  return JSON.stringify(t.length > n ? `${t.slice(0, n)}...` : t);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function strArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** `s` without its trailing run of `ch` (a regex `/x+$/` is quadratic on a long run followed by another character) */
export function stripTrailing(s: string, ch: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === ch) end--;
  return s.slice(0, end);
}

/** file name part of a path */
export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** content lines with their 1-based numbers */
export function numberedLines(content: string): Array<{ lineNo: number; raw: string }> {
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((raw, i) => ({ lineNo: i + 1, raw }));
}
