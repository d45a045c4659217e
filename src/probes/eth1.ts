/**
 * d1.eth1: the address eth1 carries now (ip), the NetworkManager profile bound to it (nmcli),
 * and the file that persists that profile (keyfile or ifcfg), so a profile changed only at runtime
 * or living only in /run shows as such.
 */
import { type Probe, ProbeParseError } from './types.ts';
import {
  MISSING,
  assertSafeName,
  basename,
  clip,
  dumpFiles,
  isRecord,
  needSection,
  numberedLines,
  parseDump,
  parseJson,
  parseSections,
  section,
  splitTagged,
  subshell,
  withStderrTagged,
} from './util.ts';

export interface IpAddress {
  address: string;
  prefixlen: number;
  /** present only on DHCP/SLAAC addresses */
  dynamic: boolean;
}

export interface NmProfile {
  name: string;
  uuid: string;
  type: string;
  /** '' when the profile is not active on any device */
  device: string;
  filename: string;
  interfaceName?: string;
  method?: string;
  /** e.g. ["192.168.90.110/24"] */
  addresses: string[];
  neverDefault?: boolean;
}

export interface PersistedProfile {
  path: string;
  format: 'keyfile' | 'ifcfg';
  id?: string;
  uuid?: string;
  interfaceName?: string;
  method?: string;
  addresses: string[];
  neverDefault?: boolean;
  /** the lines the values came from, for found-messages */
  evidence: string[];
}

export interface Eth1Fact {
  device: string;
  runtime: { exists: boolean; addresses: IpAddress[]; error?: string };
  nm: { profiles: NmProfile[]; error?: string };
  /** active on the device; else the only profile whose interface-name is the device */
  bound?: NmProfile;
  boundBy?: 'active' | 'interface-name';
  /** every keyfile / ifcfg file found */
  persisted: PersistedProfile[];
  /** the file backing `bound` (matched by uuid, then by filename) */
  boundPersisted?: PersistedProfile;
  /** bound profile is stored under /run: lost on reboot */
  boundInRunOnly?: boolean;
}

/**
 * stderr lines nmcli prints beside good data, not errors: nmc_warn_if_version_mismatch()
 * (NetworkManager clients/cli/common.c, called on every nmcli run) after a `dnf update` without a
 * NetworkManager restart: "Warning: nmcli (X) and NetworkManager (Y) versions don't match. Restarting
 * NetworkManager is advised." Data is read from stdout only; these are dropped, other stderr kept.
 */
const NMCLI_NOISE = ["Warning: nmcli (", ") versions don't match."];
export function nmcliNoise(line: string): boolean {
  return line.startsWith(NMCLI_NOISE[0]!) && line.includes(NMCLI_NOISE[1]!);
}

export const KEYFILE_DIRS = ['/etc/NetworkManager/system-connections', '/run/NetworkManager/system-connections'];
export const IFCFG_DIR = '/etc/sysconfig/network-scripts';

/** splits nmcli terse output on unescaped ':' and undoes its `\:` / `\\` escapes */
export function splitTerse(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else if (ch === ':') {
      fields.push(cur);
      cur = '';
    } else cur += ch;
  }
  fields.push(cur);
  return fields;
}

/** one `-g` value: same escaping as terse, but no field splitting */
export function unescapeTerse(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

function nmBool(v: string | undefined): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^(yes|true|1|on)$/i.test(v)) return true;
  if (/^(no|false|0|off)$/i.test(v)) return false;
  return undefined;
}

export function parseIpJson(key: string, text: string, code: number): Eth1Fact['runtime'] {
  const t = text.trim();
  if (/does not exist/.test(t)) return { exists: false, addresses: [], error: t };
  if (code !== 0) return { exists: false, addresses: [], error: t || `ip exit ${code}` };
  const arr = parseJson(key, t, 'ip -j addr');
  if (!Array.isArray(arr)) throw new ProbeParseError(key, 'ip -j output is not an array');
  const link = arr.find(isRecord);
  if (!link) return { exists: false, addresses: [] };
  const infos = Array.isArray(link.addr_info) ? link.addr_info.filter(isRecord) : [];
  return {
    exists: true,
    addresses: infos
      .filter((a) => a.family === 'inet' && typeof a.local === 'string')
      .map((a) => ({ address: a.local as string, prefixlen: Number(a.prefixlen), dynamic: a.dynamic === true })),
  };
}

/** keyfile (GKeyFile INI): [section] key=value, '#' comments */
export function parseKeyfile(path: string, content: string): PersistedProfile {
  const ini: Record<string, Record<string, { value: string; raw: string }>> = {};
  let sect = '';
  for (const { raw } of numberedLines(content)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      sect = s[1]!;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    (ini[sect] ??= {})[line.slice(0, eq).trim()] = { value: line.slice(eq + 1).trim(), raw };
  }
  const conn = ini.connection ?? {};
  const ipv4 = ini.ipv4 ?? {};
  const evidence: string[] = [];
  const take = (e: { value: string; raw: string } | undefined) => {
    if (e) evidence.push(e.raw);
    return e?.value;
  };
  const addresses: string[] = [];
  // address1=, address2= ... (legacy: addresses=a;b;), each maybe followed by ",gateway"
  for (const [k, v] of Object.entries(ipv4)) {
    if (/^address\d*$/.test(k) || k === 'addresses') {
      evidence.push(v.raw);
      for (const a of v.value.split(';')) if (a.trim()) addresses.push(a.split(',')[0]!.trim());
    }
  }
  return {
    path,
    format: 'keyfile',
    id: take(conn.id),
    uuid: take(conn.uuid),
    interfaceName: take(conn['interface-name']),
    method: take(ipv4.method),
    addresses,
    neverDefault: nmBool(take(ipv4['never-default'])),
    evidence,
  };
}

function shellValue(v: string): string {
  const t = v.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  return t;
}

function netmaskToPrefix(mask: string): number | undefined {
  const parts = mask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return undefined;
  return parts.reduce((n, p) => n + p.toString(2).replace(/0/g, '').length, 0);
}

/** legacy initscripts ifcfg file: shell assignments IPADDR, PREFIX/NETMASK, BOOTPROTO, DEFROUTE */
export function parseIfcfg(path: string, content: string): PersistedProfile {
  const vars: Record<string, { value: string; raw: string }> = {};
  for (const { raw } of numberedLines(content)) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(raw);
    if (m && !raw.trim().startsWith('#')) vars[m[1]!] = { value: shellValue(m[2]!), raw };
  }
  const evidence: string[] = [];
  const get = (k: string) => {
    const e = vars[k];
    if (e) evidence.push(e.raw);
    return e?.value;
  };
  const addresses: string[] = [];
  for (const suffix of ['', '0', '1', '2', '3']) {
    const ip = get(`IPADDR${suffix}`);
    if (!ip) continue;
    const prefix = get(`PREFIX${suffix}`) ?? (() => {
      const mask = get(`NETMASK${suffix}`);
      return mask ? String(netmaskToPrefix(mask) ?? '') : undefined;
    })();
    addresses.push(prefix ? `${ip}/${prefix}` : ip);
  }
  const boot = get('BOOTPROTO')?.toLowerCase();
  const method = boot === 'dhcp' || boot === 'bootp' ? 'auto' : boot === 'none' || boot === 'static' || addresses.length ? 'manual' : undefined;
  const defroute = get('DEFROUTE');
  return {
    path,
    format: 'ifcfg',
    id: get('NAME'),
    uuid: get('UUID'),
    interfaceName: get('DEVICE'),
    method,
    addresses,
    neverDefault: defroute === undefined ? undefined : /^no$/i.test(defroute),
    evidence,
  };
}

export function eth1(device = 'eth1'): Probe<Eth1Fact> {
  assertSafeName('device', device);
  const key = `eth1:${device}`;
  const nm = (cmd: string) => `if command -v nmcli >/dev/null 2>&1; then ${cmd}; else echo '${MISSING} nmcli'; fi`;
  const body = [
    section('ip', `if command -v ip >/dev/null 2>&1; then ip -j addr show dev ${device}; else echo '${MISSING} ip'; fi`),
    // the list is read once and its ethernet UUIDs looped over in bash: one nmcli process fewer per node (each is
    // a D-Bus client start on a real node). In terse output a NAME's ':' is escaped as '\:', so the unescaped
    // ':<36 uuid chars>:802-3-ethernet:' can only be the UUID and TYPE fields, whatever the student named a profile.
    section('nm-list', nm(`lg_nm=$(${withStderrTagged('nmcli -t -f NAME,UUID,TYPE,DEVICE,FILENAME con show')}); lg_rc=$?; printf '%s\\n' "$lg_nm"; (exit $lg_rc)`)),
    // -g gives one value per line
    section(
      'nm-profiles',
      nm(
        [
          `while IFS= read -r l; do`,
          `  [[ $l =~ :([0-9a-fA-F-]{36}):802-3-ethernet: ]] || continue`,
          `  u=\${BASH_REMATCH[1]}`,
          `  echo "__LG_PROFILE $u"`,
          `  ${withStderrTagged('nmcli -g connection.interface-name,ipv4.method,ipv4.addresses,ipv4.never-default con show uuid "$u"')}`,
          `done <<<"\${lg_nm-}"`,
        ].join('\n'),
      ),
    ),
    section(
      'files',
      dumpFiles([...KEYFILE_DIRS.map((d) => `${d}/*`), `${IFCFG_DIR}/ifcfg-*`]),
    ),
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const sections = parseSections(key, out.stdout);
      const ip = needSection(key, sections, 'ip');
      const runtime = ip.text.startsWith(MISSING)
        ? { exists: false, addresses: [], error: 'ip is not installed' }
        : parseIpJson(key, ip.text, ip.code);

      const fact: Eth1Fact = { device, runtime, nm: { profiles: [] }, persisted: [] };

      const list = needSection(key, sections, 'nm-list');
      const listed = splitTagged(list.text);
      const listErr = listed.stderr.filter((l) => !nmcliNoise(l));
      if (list.text.startsWith(MISSING)) fact.nm.error = 'nmcli is not installed';
      else if (list.code !== 0) fact.nm.error = (listErr.join('\n') || listed.stdout).trim() || `nmcli exit ${list.code}`;
      else {
        for (const line of listed.stdout.split('\n')) {
          if (line === '') continue;
          const f = splitTerse(line);
          if (f.length !== 5) throw new ProbeParseError(key, `unexpected \`nmcli -t con show\` line ${clip(line)}`);
          const [name, uuid, type, dev, filename] = f as [string, string, string, string, string];
          fact.nm.profiles.push({ name, uuid, type, device: dev, filename, addresses: [] });
        }
        const details = needSection(key, sections, 'nm-profiles').text.split(/^__LG_PROFILE /m).slice(1);
        for (const d of details) {
          const lines = d.split('\n');
          const uuid = lines[0]!.trim();
          const p = fact.nm.profiles.find((x) => x.uuid === uuid);
          if (!p) continue;
          const tagged = splitTagged(lines.slice(1).join('\n'));
          const vals = tagged.stdout.split('\n');
          if (vals.length < 4 || tagged.stderr.some((l) => !nmcliNoise(l))) continue;
          const [ifname, method, addrs, never] = vals.map(unescapeTerse) as [string, string, string, string];
          p.interfaceName = ifname || undefined;
          p.method = method || undefined;
          p.addresses = addrs.split(',').map((a) => a.trim()).filter(Boolean);
          p.neverDefault = nmBool(never);
        }
      }

      const files = needSection(key, sections, 'files');
      for (const f of parseDump(files.text)) {
        const name = basename(f.path);
        if (f.path.startsWith(`${IFCFG_DIR}/`)) {
          if (name === 'ifcfg-lo') continue;
          fact.persisted.push(parseIfcfg(f.path, f.content));
        } else fact.persisted.push(parseKeyfile(f.path, f.content));
      }

      const eth = fact.nm.profiles.filter((p) => p.type === '802-3-ethernet' || p.type === 'ethernet');
      const active = eth.find((p) => p.device === device);
      if (active) {
        fact.bound = active;
        fact.boundBy = 'active';
      } else {
        const byName = eth.filter((p) => p.interfaceName === device);
        if (byName.length === 1) {
          fact.bound = byName[0];
          fact.boundBy = 'interface-name';
        }
      }
      if (fact.bound) {
        const b = fact.bound;
        fact.boundPersisted =
          fact.persisted.find((p) => p.uuid === b.uuid) ?? fact.persisted.find((p) => b.filename !== '' && p.path === b.filename);
        fact.boundInRunOnly = b.filename.startsWith('/run/') || (fact.boundPersisted?.path.startsWith('/run/') ?? false);
      }
      return fact;
    },
  };
}
