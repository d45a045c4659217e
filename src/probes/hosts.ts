/** d2.hosts: /etc/hosts entries, the hostname now, and /etc/hostname. */
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

export function parseHosts(content: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const { lineNo, raw } of numberedLines(content)) {
    const t = raw.replace(/#.*/, '').trim();
    if (t === '') continue;
    const [ip, ...names] = t.split(/\s+/);
    if (ip && names.length) out.push({ ip, names, lineNo, raw });
  }
  return out;
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
