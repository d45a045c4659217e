/**
 * d2.hosts: /etc/hosts entries, the hostname now, and /etc/hostname.
 * /etc/hosts as glibc's nss_files reads it (nss/nss_files/files-hosts.c LINE_PARSER, files-parse.c):
 * `#` starts a comment anywhere on a line; fields are separated by blanks; the first field must parse as
 * an address (inet_pton: strict dotted quad, or IPv6), else the line is skipped; names match case-
 * insensitively; a lookup by name takes the FIRST line naming it (with Rocky's /etc/host.conf
 * `multi on`, later lines only add addresses after it).
 * /etc/hostname as systemd's hostname-setup.c read_etc_hostname(): the first line that is neither empty
 * nor a `#` comment, blanks trimmed.
 */
import { type Probe } from './types.ts';
import { dumpFiles, needSection, numberedLines, parseDump, parseSections, section, subshell } from './util.ts';

export interface HostsEntry {
  ip: string;
  names: string[];
  lineNo: number;
  raw: string;
}

export interface HostsFact {
  entries: HostsEntry[];
  hostsExists: boolean;
  /** `hostname` now (kernel's UTS name) */
  hostname: string;
  /** first line of /etc/hostname, what the next boot uses */
  etcHostname?: string;
}

/** glibc inet_pton(AF_INET): four decimal octets 0..255, no leading zeros; AF_INET6 loosely (hex, colons, dots) */
export function isAddress(s: string): boolean {
  if (s.includes(':')) return s.length <= 45 && [...s].every((c) => /[\da-f:.]/i.test(c));
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => p.length >= 1 && p.length <= 3 && [...p].every((c) => c >= '0' && c <= '9') && (p === '0' || !p.startsWith('0')) && Number(p) <= 255);
}

export function parseHosts(content: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const { lineNo, raw } of numberedLines(content)) {
    const hash = raw.indexOf('#');
    const t = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (t === '') continue;
    const [ip, ...names] = t.split(/[ \t]+/);
    if (ip && names.length && isAddress(ip)) out.push({ ip, names, lineNo, raw });
  }
  return out;
}

/** the address a lookup of `name` gets first (glibc nss_files: first line naming it, case-insensitively) */
export function resolveFirst(fact: HostsFact, name: string): HostsEntry | undefined {
  const n = name.toLowerCase();
  return fact.entries.find((e) => e.names.some((x) => x.toLowerCase() === n));
}

/** names an address maps to, merged over every line for that address (lookups read all lines) */
export function namesFor(fact: HostsFact, ip: string): string[] {
  return fact.entries.filter((e) => e.ip === ip).flatMap((e) => e.names);
}

export function hosts(): Probe<HostsFact> {
  const key = 'hosts';
  const body = [
    section('hostname', 'hostname 2>/dev/null || cat /proc/sys/kernel/hostname'),
    section('files', dumpFiles(['/etc/hosts', '/etc/hostname'])),
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const sections = parseSections(key, out.stdout);
      const files = parseDump(needSection(key, sections, 'files').text);
      const h = files.find((f) => f.path === '/etc/hosts');
      const hn = files.find((f) => f.path === '/etc/hostname');
      const etcHostname = hn?.content.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#'));
      return {
        entries: h ? parseHosts(h.content) : [],
        hostsExists: h !== undefined,
        hostname: needSection(key, sections, 'hostname').text.trim(),
        ...(etcHostname !== undefined ? { etcHostname } : {}),
      };
    },
  };
}
