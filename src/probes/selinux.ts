/** d2.selinux: the runtime mode (getenforce) and the boot-time mode (/etc/selinux/config SELINUX=). */
import { type Probe, ProbeParseError } from './types.ts';
import { MISSING, dumpFiles, needSection, numberedLines, parseDump, parseSections, section, subshell } from './util.ts';

export type SelinuxMode = 'enforcing' | 'permissive' | 'disabled';

export interface SelinuxConfigLine {
  /** the mode libselinux derives from the line (a prefix match, so `permissive  # note` is permissive) */
  value: SelinuxMode;
  line: number;
  raw: string;
}

export interface SelinuxFact {
  /** null when getenforce is absent */
  runtime: SelinuxMode | null;
  runtimeRaw: string;
  configExists: boolean;
  /** the line libselinux takes (see parseSelinuxConfig); absent when no line matches */
  config?: SelinuxConfigLine;
  /** the mode the next boot starts in: the config's, or permissive when no line matches or there is no file */
  bootMode: SelinuxMode;
  /** `SELINUX=` lines libselinux skips or never reaches, for found-messages */
  ignored: Array<{ line: number; raw: string; why: string }>;
}

export const SELINUX_CONFIG = '/etc/selinux/config';

// libselinux reads with fgets(buf, selinux_page_size): a longer line arrives in pieces, each tested as a line
const FGETS_CHUNK = 4095;
const TAG = 'SELINUX=';
const MODES: SelinuxMode[] = ['enforcing', 'permissive', 'disabled'];
// isspace() in the C locale
const C_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

/**
 * The rule of libselinux selinux_config.c, selinux_getenforcemode() (what the boot's
 * selinux_init_load_policy() and sestatus use): the FIRST line starting with exactly `SELINUX=` in
 * column 0 (no blanks before it or around `=`; `#` lines never start so) whose value, after blanks,
 * starts case-insensitively with `enforcing`, `permissive` or `disabled` (strncasecmp: a prefix, so
 * trailing text is ignored); a line whose value matches none (`"permissive"` quoted, `perm`, empty) is
 * skipped and the search goes on. With no such line, load_policy.c falls back to `*enforce = 0`:
 * the system boots permissive. Linear: no regex, each line looked at once.
 */
export function parseSelinuxConfig(content: string): { config?: SelinuxConfigLine; ignored: SelinuxFact['ignored'] } {
  const ignored: SelinuxFact['ignored'] = [];
  let config: SelinuxConfigLine | undefined;
  for (const { lineNo, raw } of numberedLines(content)) {
    if (config) {
      if (raw.startsWith(TAG)) ignored.push({ line: lineNo, raw, why: `libselinux already took line ${config.line}` });
      continue;
    }
    let looked = false;
    for (let start = 0; start < raw.length && !config; start += FGETS_CHUNK) {
      if (!raw.startsWith(TAG, start)) continue;
      looked = true;
      let i = start + TAG.length;
      const end = Math.min(raw.length, start + FGETS_CHUNK);
      while (i < end && C_SPACE.has(raw[i]!)) i++;
      const head = raw.slice(i, Math.min(end, i + 10)).toLowerCase();
      const mode = MODES.find((m) => head.startsWith(m));
      if (mode) config = { value: mode, line: lineNo, raw };
    }
    if (!config && looked) ignored.push({ line: lineNo, raw, why: 'value is not enforcing, permissive or disabled: libselinux skips it' });
    else if (!looked && /^\s+SELINUX\s*=|^SELINUX\s+=/.test(raw.slice(0, 64))) {
      ignored.push({ line: lineNo, raw, why: 'not `SELINUX=` at the start of the line: libselinux skips it' });
    }
  }
  return { ...(config ? { config } : {}), ignored };
}

export function selinux(): Probe<SelinuxFact> {
  const key = 'selinux';
  const body = [
    section('getenforce', `if command -v getenforce >/dev/null 2>&1; then getenforce; else echo '${MISSING} getenforce'; fi`),
    section('config', dumpFiles([SELINUX_CONFIG])),
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const sections = parseSections(key, out.stdout);
      const g = needSection(key, sections, 'getenforce').text.trim();
      let runtime: SelinuxMode | null;
      if (g.startsWith(MISSING)) runtime = null;
      else if (g === 'Enforcing' || g === 'Permissive' || g === 'Disabled') runtime = g.toLowerCase() as SelinuxMode;
      else throw new ProbeParseError(key, `unexpected getenforce output ${JSON.stringify(g.slice(0, 200))}`);
      const files = parseDump(needSection(key, sections, 'config').text);
      const conf = files[0];
      const parsed = conf ? parseSelinuxConfig(conf.content) : { ignored: [] };
      return {
        runtime,
        runtimeRaw: g,
        configExists: conf !== undefined,
        ...parsed,
        bootMode: parsed.config?.value ?? 'permissive',
      };
    },
  };
}
