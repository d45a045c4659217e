/**
 * d2.br-netfilter: a kernel module loaded now, and named in a modules-load.d file for boot.
 * modules-load.d as systemd-modules-load 252 reads it (src/modules-load/modules-load.c apply_file(),
 * conf-files.c): *.conf in /etc, /run, /usr/local/lib, /usr/lib modules-load.d, a same-named file in an
 * earlier directory replacing the later one; each line stripped; empty lines and lines starting with
 * `#` or `;` skipped; the rest is ONE module name passed to kmod (module_load_and_warn), where `-` and `_`
 * are the same (kmod's modname_normalize). A line with two words is one (bad) module name, not two.
 * Loaded now: /sys/module/NAME (also built-ins, which lsmod's /proc/modules omits).
 */
import { type Probe } from './types.ts';
import { assertSafeName, basename, dumpFiles, needSection, numberedLines, parseDump, parseSections, section, subshell } from './util.ts';

export interface ModuleMention {
  path: string;
  lineNo: number;
  raw: string;
}

export interface ModuleFact {
  name: string;
  /** /sys/module/NAME exists: also true for built-ins, which lsmod omits */
  loaded: boolean;
  lsmodLine?: string;
  /** files systemd-modules-load reads (a same-named file in /etc masks /run and /usr/lib) */
  files: string[];
  /** lines naming the module in the files that count */
  namedIn: ModuleMention[];
  /** lines naming it in files masked by a same-named file with higher precedence */
  masked: ModuleMention[];
}

// precedence of modules-load.d(5): /etc over /run over /usr/local/lib over /usr/lib
export const MODULES_LOAD_DIRS = ['/etc/modules-load.d', '/run/modules-load.d', '/usr/local/lib/modules-load.d', '/usr/lib/modules-load.d'];

/** modprobe treats - and _ alike in module names */
function canon(m: string): string {
  return m.replace(/-/g, '_');
}

export function kernelModule(name: string): Probe<ModuleFact> {
  assertSafeName('module', name);
  const key = `module:${name}`;
  const body = [
    section('sys', `test -d /sys/module/${name}`),
    section('lsmod', `if command -v lsmod >/dev/null 2>&1; then lsmod; fi`),
    section('files', dumpFiles(MODULES_LOAD_DIRS.map((d) => `${d}/*.conf`))),
    // a link to /dev/null is not dumped (not a regular file) but still replaces a same-named later file
    section('masks', `for f in ${MODULES_LOAD_DIRS.map((d) => `${d}/*.conf`).join(' ')}; do [ -L "$f" ] && [ -c "$f" ] && printf '%s\\n' "$f"; done; true`),
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const sections = parseSections(key, out.stdout);
      const want = canon(name);
      const lsmodLine = needSection(key, sections, 'lsmod')
        .text.split('\n')
        .find((l) => canon(l.split(/\s+/)[0] ?? '') === want);
      const dumped = parseDump(needSection(key, sections, 'files').text);
      for (const m of (sections.get('masks')?.text ?? '').split('\n')) if (m.startsWith('/')) dumped.push({ path: m, content: '' });
      const rank = (p: string) => MODULES_LOAD_DIRS.findIndex((d) => p.startsWith(`${d}/`));
      const winner = new Map<string, string>();
      for (const f of dumped) {
        const b = basename(f.path);
        const cur = winner.get(b);
        if (cur === undefined || rank(f.path) < rank(cur)) winner.set(b, f.path);
      }
      const namedIn: ModuleMention[] = [];
      const masked: ModuleMention[] = [];
      for (const f of dumped) {
        for (const { lineNo, raw } of numberedLines(f.content)) {
          const t = raw.trim();
          if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
          if (canon(t) !== want) continue;
          (winner.get(basename(f.path)) === f.path ? namedIn : masked).push({ path: f.path, lineNo, raw });
        }
      }
      return {
        name,
        loaded: needSection(key, sections, 'sys').code === 0,
        ...(lsmodLine ? { lsmodLine } : {}),
        files: [...winner.values()],
        namedIn,
        masked,
      };
    },
  };
}
