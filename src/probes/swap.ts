/**
 * d2.swap: swap in use now (/proc/swaps), and the /etc/fstab entries the boot would activate.
 * - /proc/swaps: the kernel's mm/swapfile.c swap_show(): a header, then one line per area; the name goes
 *   through seq_file_path(..., " \t\n\\"), so blanks in it arrive octal-escaped and whitespace splits safely.
 * - /etc/fstab as util-linux libmount reads it (libmount/src/tab_parse.c mnt_parse_table_line()): blank
 *   lines and lines whose first non-blank character is `#` are comments; fields are separated by blanks;
 *   the type field must be exactly `swap`. At boot systemd-fstab-generator makes a .swap unit of each such
 *   entry and, as `swapon -a` does (sys-utils/swapon.c: `noauto` entries skipped), pulls it in only without
 *   the `noauto` option: a `noauto` swap line stays off at boot.
 */
import { type Probe, ProbeParseError } from './types.ts';
import { clip, dumpFiles, needSection, numberedLines, parseDump, parseSections, section, subshell } from './util.ts';

export interface ActiveSwap {
  name: string;
  type: string;
  /** KiB in /proc/swaps; human units (2G) when read from swapon */
  size: string;
  used: string;
  priority: number;
}

export interface FstabSwap {
  lineNo: number;
  /** `noauto` in the options: not activated at boot */
  noauto?: boolean;
  raw: string;
  source: string;
  mountpoint: string;
  options: string;
}

export interface SwapFact {
  active: ActiveSwap[];
  /** where `active` came from */
  activeFrom: '/proc/swaps' | 'swapon' | 'none';
  fstabExists: boolean;
  /** uncommented lines whose type field is swap, without `noauto`: what the boot activates */
  fstab: FstabSwap[];
  /** uncommented swap lines with `noauto`: kept, but never activated at boot */
  fstabNoauto: FstabSwap[];
  /** commented-out swap lines: what a student who did the exercise leaves behind */
  fstabCommented: FstabSwap[];
}

/** /proc/swaps: a header line (Filename Type Size Used Priority), then one line per swap area */
export function parseProcSwaps(key: string, text: string): ActiveSwap[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  if (!/^Filename\s+Type\s+Size\s+Used\s+Priority/.test(lines[0]!)) {
    throw new ProbeParseError(key, `unreadable /proc/swaps line 1 (not the header): ${clip(lines[0]!)}`);
  }
  return lines.slice(1).map((l, i) => row(key, l, `/proc/swaps line ${i + 2}`));
}

/** `swapon --show --noheadings`: NAME TYPE SIZE USED PRIO, nothing when no swap */
export function parseSwapon(key: string, text: string): ActiveSwap[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => row(key, l, `swapon --show line ${i + 1}`));
}

function row(key: string, line: string, where: string): ActiveSwap {
  const f = line.trim().split(/\s+/);
  if (f.length !== 5 || !/^-?\d+$/.test(f[4]!)) throw new ProbeParseError(key, `unreadable ${where}: ${clip(line)}`);
  return { name: f[0]!, type: f[1]!, size: f[2]!, used: f[3]!, priority: Number(f[4]) };
}

export function parseFstabSwap(content: string): { active: FstabSwap[]; commented: FstabSwap[]; noauto: FstabSwap[] } {
  const active: FstabSwap[] = [];
  const commented: FstabSwap[] = [];
  const noauto: FstabSwap[] = [];
  for (const { lineNo, raw } of numberedLines(content)) {
    const t = raw.trim();
    if (t === '') continue;
    const isComment = t.startsWith('#');
    let body = t;
    if (isComment) {
      let i = 0;
      while (body[i] === '#') i++;
      body = body.slice(i).trim();
    }
    const f = body.split(/[ \t]+/);
    if (f.length < 3 || f[2] !== 'swap') continue;
    const options = f[3] ?? 'defaults';
    const isNoauto = options.split(',').includes('noauto');
    const entry = { lineNo, raw, source: f[0]!, mountpoint: f[1]!, options, ...(isNoauto ? { noauto: true } : {}) };
    (isComment ? commented : isNoauto ? noauto : active).push(entry);
  }
  return { active, commented, noauto };
}

export function swap(): Probe<SwapFact> {
  const key = 'swap';
  const body = [
    section('proc-swaps', 'cat /proc/swaps'),
    section('swapon', 'if command -v swapon >/dev/null 2>&1; then swapon --show --noheadings; else echo __LG_MISSING swapon; fi'),
    section('fstab', dumpFiles(['/etc/fstab'])),
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const sections = parseSections(key, out.stdout);
      const proc = needSection(key, sections, 'proc-swaps');
      const sw = needSection(key, sections, 'swapon');
      let active: ActiveSwap[] = [];
      let activeFrom: SwapFact['activeFrom'] = 'none';
      if (proc.code === 0) {
        active = parseProcSwaps(key, proc.text);
        activeFrom = '/proc/swaps';
      } else if (sw.code === 0 && !sw.text.startsWith('__LG_MISSING')) {
        active = parseSwapon(key, sw.text);
        activeFrom = 'swapon';
      }
      const files = parseDump(needSection(key, sections, 'fstab').text);
      const fstab = files[0] ? parseFstabSwap(files[0].content) : { active: [], commented: [], noauto: [] };
      return { active, activeFrom, fstabExists: files.length > 0, fstab: fstab.active, fstabNoauto: fstab.noauto, fstabCommented: fstab.commented };
    },
  };
}
