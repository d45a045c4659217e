/**
 * d2.ip-forward: a sysctl's value now, and what the boot-time files set it to, resolved as
 * systemd-sysctl does (sysctl.d(5)): files from /etc, /run, /usr/local/lib, /usr/lib sysctl.d, a
 * same-named file in an earlier directory masking later ones, all sorted by file name, the last
 * assignment winning.
 */
import { type Probe } from './types.ts';
import { MISSING, basename, dumpFiles, needSection, numberedLines, parseDump, parseSections, section, subshell } from './util.ts';

export interface SysctlAssignment {
  path: string;
  lineNo: number;
  /** normalised to dots */
  key: string;
  value: string;
  raw: string;
  /** `-key = value`: failures ignored */
  ignoreErrors: boolean;
  /** false when the file is masked by a same-named one or the assignment was later overridden */
  effective: boolean;
}

export interface SysctlFact {
  key: string;
  runtime: { value?: string; error?: string };
  /** the winning assignment at boot, if any file sets the key */
  persisted?: SysctlAssignment;
  /** every assignment of the key, in the order applied (masked files last, effective false) */
  assignments: SysctlAssignment[];
  /** files applied, in order */
  files: string[];
}

export const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d'];
export const SYSCTL_CONF = '/etc/sysctl.conf';

/** sysctl.d(5): if the first separator is '/', slashes and dots swap roles */
export function normaliseSysctlKey(k: string): string {
  const first = /[./]/.exec(k);
  if (first?.[0] !== '/') return k;
  return k.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

function globMatch(pattern: string, key: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === key;
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(key);
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function parseSysctlFile(path: string, content: string): Array<Omit<SysctlAssignment, 'effective'>> {
  const out: Array<Omit<SysctlAssignment, 'effective'>> = [];
  for (const { lineNo, raw } of numberedLines(content)) {
    let t = raw.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const eq = t.indexOf('=');
    if (eq < 0) continue; // systemd-sysctl: "Line is not an assignment, ignoring"
    let ignoreErrors = false;
    if (t.startsWith('-')) {
      ignoreErrors = true;
      t = t.slice(1);
    }
    const k = t.slice(0, t.indexOf('=')).trim();
    out.push({ path, lineNo, key: normaliseSysctlKey(k), value: t.slice(t.indexOf('=') + 1).trim(), raw, ignoreErrors });
  }
  return out;
}

export function sysctlKey(name: string): Probe<SysctlFact> {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(name)) throw new Error(`invalid sysctl key ${JSON.stringify(name)}`);
  const key = `sysctl:${name}`;
  const dotted = normaliseSysctlKey(name);
  const globs = [...SYSCTL_DIRS.map((d) => `${d}/*.conf`), SYSCTL_CONF];
  const body = [
    section('runtime', `if command -v sysctl >/dev/null 2>&1; then sysctl -n ${name}; else echo '${MISSING} sysctl'; fi`),
    // /etc/sysctl.d/99-sysctl.conf is normally a symlink to ../sysctl.conf: resolve, to count it once
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
        const [p, r] = l.split('\t');
        if (p && r) real.set(p, r);
      }
      const dumped = parseDump(needSection(key, sections, 'files').text);
      const rank = (p: string) => SYSCTL_DIRS.findIndex((d) => p.startsWith(`${d}/`));
      const winner = new Map<string, string>();
      for (const f of dumped) {
        if (f.path === SYSCTL_CONF) continue;
        const b = basename(f.path);
        const cur = winner.get(b);
        if (cur === undefined || rank(f.path) < rank(cur)) winner.set(b, f.path);
      }
      const order = [...winner.entries()].sort((a, b) => byteOrder(a[0], b[0])).map(([, p]) => p);
      const realOf = (p: string) => real.get(p) ?? p;
      // procps `sysctl --system` reads /etc/sysctl.conf last; systemd only through the 99-sysctl.conf link
      if (dumped.some((f) => f.path === SYSCTL_CONF) && !order.some((p) => realOf(p) === SYSCTL_CONF)) order.push(SYSCTL_CONF);
      const content = new Map(dumped.map((f) => [f.path, f.content]));

      const applied: SysctlAssignment[] = [];
      for (const p of order) {
        for (const a of parseSysctlFile(p, content.get(p) ?? '')) {
          if (globMatch(a.key, dotted)) applied.push({ ...a, effective: false });
        }
      }
      const last = applied[applied.length - 1];
      if (last) last.effective = true;
      const masked = dumped
        .filter((f) => !order.includes(f.path))
        .flatMap((f) => parseSysctlFile(f.path, f.content))
        .filter((a) => globMatch(a.key, dotted))
        .map((a) => ({ ...a, effective: false }));
      return { key: dotted, runtime, ...(last ? { persisted: last } : {}), assignments: [...applied, ...masked], files: order };
    },
  };
}
