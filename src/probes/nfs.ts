/**
 * d5.nfs-server: what the NFS server on a node exports. The kernel's export list is read with
 * `exportfs -s` (nfs-utils 2.5.4 utils/exportfs/exportfs.c dump() with export_format: one
 * `<path> <client>(<options>)` line per export, the path qword-escaped, `*` for everyone; it reads the
 * etab, so it changes nothing), and the files exportfs -r reads (/etc/exports, /etc/exports.d/*.exports)
 * plus /etc/exportfs, the name the course's notes slip into, so a verdict can say why /nfs is missing.
 * Formats: ../shared/reference/kubernetes-1.24.md §10 (linux-nfs/nfs-utils @ nfs-utils-2-5-4).
 */
import { type Probe } from './types.ts';
import { RC_MARK, SECTION_MARK, subshell } from './util.ts';

export interface NfsExport {
  path: string;
  client: string;
  /** the options as exportfs -s prints them, e.g. sync,wdelay,...,rw,secure,no_root_squash,no_all_squash */
  options: string[];
}

export interface NfsConfigFile {
  path: string;
  /** at most 64 KiB of it */
  content: string;
}

export interface NfsFact {
  /** `exportfs -s`: absent when exportfs is not installed */
  exportfs?: { code: number; exports: NfsExport[]; output: string };
  /** /etc/exports, /etc/exports.d/* and /etc/exportfs, those that exist */
  files: NfsConfigFile[];
}

const MAX_FILE = 65536;
const MAX_FILES = 20;

/** Undoes qword_add's octal escapes (`\040` for a space). */
function unescapePath(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const oct = p.slice(i + 1, i + 4);
    if (c === '\\' && oct.length === 3 && [...oct].every((d) => d >= '0' && d <= '7')) {
      out += String.fromCharCode(parseInt(oct, 8));
      i += 3;
    } else out += c;
  }
  return out;
}

/** `exportfs -s` lines: `<path> <client>(<options>)`; other lines (warnings) are left out. */
export function parseExportfsS(text: string): NfsExport[] {
  const out: NfsExport[] = [];
  for (const raw of text.split('\n').slice(0, 2000)) {
    const line = raw.trim();
    const sp = line.indexOf(' ');
    if (!line.startsWith('/') || sp < 0) continue;
    const rest = line.slice(sp + 1).trim();
    const open = rest.indexOf('(');
    const client = open >= 0 ? rest.slice(0, open) : rest;
    const options = open >= 0 && rest.endsWith(')') ? rest.slice(open + 1, -1).split(',').filter(Boolean) : [];
    out.push({ path: unescapePath(line.slice(0, sp)), client, options });
  }
  return out;
}

export interface ExportLine {
  file: string;
  line: number;
  text: string;
  path: string;
  /** the client tokens, split on whitespace as exportfs's tokenizer does (support/nfs/xio.c xgettok) */
  clients: string[];
  /** why exportfs would reject it: getexportent's syntaxerr("bad option list") */
  badOptionList?: boolean;
}

/**
 * The export lines of an exports(5) file as exportfs reads them: comments and blank lines skipped,
 * tokens split on blanks, a client token with '(' whose ')' is not its last character is a
 * "bad option list" (which also stops exportfs reading the rest of the file).
 */
export function exportLines(file: string, content: string): ExportLine[] {
  const out: ExportLine[] = [];
  const lines = content.split('\n').slice(0, 2000);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const hash = raw.indexOf('#');
    const text = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (!text) continue;
    const tokens = text.split(/[ \t]+/);
    let path = tokens[0] ?? '';
    if (path.length > 1 && path.startsWith('"') && path.endsWith('"')) path = path.slice(1, -1);
    const clients = tokens.slice(1).filter((t) => !t.startsWith('-'));
    const badOptionList = clients.some((t) => {
      const open = t.indexOf('(');
      return open >= 0 && t.indexOf(')', open) !== t.length - 1;
    });
    out.push({ file, line: i + 1, text: raw.trim(), path, clients, ...(badOptionList ? { badOptionList } : {}) });
  }
  return out;
}

/** `exportfs -s` and the export files, on one channel. */
export function nfsExports(): Probe<NfsFact> {
  const key = 'nfs-exports';
  const body = [
    `if command -v exportfs >/dev/null 2>&1; then`,
    `  printf '${SECTION_MARK} exportfs\\n'`,
    `  exportfs -s 2>&1 | head -c ${MAX_FILE}`,
    `  printf '\\n${RC_MARK} %d\\n' "\${PIPESTATUS[0]}"`,
    `fi`,
    `n=0`,
    `for f in /etc/exports /etc/exports.d/* /etc/exportfs; do`,
    `  [ -f "$f" ] || continue`,
    `  n=$((n + 1)); [ $n -le ${MAX_FILES} ] || break`,
    `  printf '${SECTION_MARK} file %s\\n' "$f"`,
    `  head -c ${MAX_FILE} -- "$f"`,
    `  printf '\\n'`,
    `done`,
    `true`,
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const files: NfsConfigFile[] = [];
      let exportfs: NfsFact['exportfs'];
      const parts = out.stdout.split(`${SECTION_MARK} `).slice(1);
      for (const part of parts) {
        const nl = part.indexOf('\n');
        const head = nl < 0 ? part : part.slice(0, nl);
        const text = nl < 0 ? '' : part.slice(nl + 1);
        if (head === 'exportfs') {
          const rc = text.lastIndexOf(`${RC_MARK} `);
          const output = (rc >= 0 ? text.slice(0, rc) : text).replace(/\n$/, '');
          const code = rc >= 0 ? Number(text.slice(rc + RC_MARK.length + 1).trim()) : -1;
          exportfs = { code, exports: parseExportfsS(output), output: output.slice(0, 2000) };
        } else if (head.startsWith('file ')) {
          files.push({ path: head.slice(5), content: text.endsWith('\n') ? text.slice(0, -1) : text });
        }
      }
      return { ...(exportfs ? { exportfs } : {}), files };
    },
  };
}
