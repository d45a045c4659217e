/** d2.selinux: the runtime mode (getenforce) and the boot-time mode (/etc/selinux/config SELINUX=). */
import { type Probe, ProbeParseError } from './types.ts';
import { MISSING, dumpFiles, needSection, numberedLines, parseDump, parseSections, section, subshell } from './util.ts';

export type SelinuxMode = 'enforcing' | 'permissive' | 'disabled';

export interface SelinuxFact {
  /** null when getenforce is absent */
  runtime: SelinuxMode | null;
  runtimeRaw: string;
  configExists: boolean;
  /** the last uncommented SELINUX= (what selinux's loader uses); lowercased, unquoted */
  config?: { value: string; line: number; raw: string };
}

export const SELINUX_CONFIG = '/etc/selinux/config';

export function parseSelinuxConfig(content: string): SelinuxFact['config'] {
  let found: SelinuxFact['config'];
  for (const { lineNo, raw } of numberedLines(content)) {
    const m = /^\s*SELINUX\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m) continue;
    const v = m[1]!.replace(/^(["'])(.*)\1$/, '$2').trim().toLowerCase();
    found = { value: v, line: lineNo, raw };
  }
  return found;
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
      else if (/^(Enforcing|Permissive|Disabled)$/.test(g)) runtime = g.toLowerCase() as SelinuxMode;
      else throw new ProbeParseError(key, `unexpected getenforce output ${JSON.stringify(g)}`);
      const files = parseDump(needSection(key, sections, 'config').text);
      const conf = files[0];
      return {
        runtime,
        runtimeRaw: g,
        configExists: conf !== undefined,
        ...(conf ? { config: parseSelinuxConfig(conf.content) } : {}),
      };
    },
  };
}
