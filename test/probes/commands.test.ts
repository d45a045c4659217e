/** Every probe command: valid bash, read-only, and its file dump parses back exactly. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as P from '../../src/probes/index.ts';
import { dumpFiles, parseDump, parseSections, section } from '../../src/probes/util.ts';
import * as U from '../../src/probes/util.ts';
import { FIXTURES } from './helpers.ts';

const probes: Array<P.Probe<unknown>> = [
  P.rpmPackages(['podman', 'podman-docker', 'cri-o']),
  P.registriesConf(),
  P.podmanInfoRegistries(),
  P.podmanImages(),
  P.podmanContainers(),
  P.podmanPod('pod1'),
  P.podmanNetworks(),
  P.podmanContainer('httpd-24-centos-7'),
  P.podmanState({ network: 'shared', pod: 'pod1' }),
  P.httpLocal(58080),
  P.eth1(),
  P.yumRepos(),
  P.systemdUnits(['crio', 'kubelet', 'firewalld']),
  P.selinux(),
  P.swap(),
  P.kernelModule('br_netfilter'),
  P.sysctlKey('net.ipv4.ip_forward'),
  P.hosts(),
  P.policyJson(),
  P.kubeYaml('/root', 'pod1.yaml'),
];

/** redirections that write nothing: fd duplication and /dev/null */
function writeRedirections(cmd: string): string[] {
  const stripped = cmd
    .replace(/'[^']*'/g, "''") // quoted text (printf formats, curl -w) is not shell syntax
    .replace(/\d?>&\d/g, '')
    .replace(/&?\d?>\s*\/dev\/null/g, '');
  return stripped.match(/[^\n]*>[^\n]*/g) ?? [];
}

describe('probe commands', () => {
  it('have unique keys', () => {
    expect(new Set(probes.map((p) => p.key)).size).toBe(probes.length);
  });
  for (const p of probes) {
    it(`${p.key}: bash -n accepts it`, () => {
      const r = spawnSync('bash', ['-n'], { input: p.command, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
    it(`${p.key}: writes no file`, () => {
      expect(writeRedirections(p.command)).toEqual([]);
      expect(p.command).not.toMatch(/\b(tee|sed -i|rm|mv|cp|touch|mkdir|truncate|dd)\s/);
    });
  }
  it('the redirection check catches a write', () => {
    expect(writeRedirections('echo x > /tmp/y')).not.toEqual([]);
    expect(writeRedirections('cat a >>b')).not.toEqual([]);
    expect(writeRedirections('x 2>&1; y >/dev/null 2>&1')).toEqual([]);
  });
});

describe('file dump and sections, run by bash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgprobe-dump-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('round-trips contents, with and without a final newline, empty files, odd names', () => {
    const files: Record<string, string> = { 'a.conf': 'x = 1\n', 'b c.conf': 'no newline', 'c.conf': '', 'd.conf': '\n\n' };
    for (const [n, c] of Object.entries(files)) writeFileSync(join(dir, n), c);
    const cmd = section('files', dumpFiles([`${dir}/*.conf`, `${dir}/none/*.conf`])) + '\n' + section('fail', 'false');
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8' });
    const s = parseSections('t', r.stdout);
    expect(s.get('fail')?.code).toBe(1);
    const got = Object.fromEntries(parseDump(s.get('files')!.text).map((f) => [f.path.slice(dir.length + 1), f.content]));
    expect(got).toEqual({ ...files, 'b c.conf': 'no newline\n' });
  });
});

describe('fixtures', () => {
  const all = (d: string): string[] =>
    readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? all(join(d, n)) : [join(d, n)]));
  it('each names its source', () => {
    const missing = all(FIXTURES)
      .filter((f) => !f.endsWith('.source'))
      .filter((f) => {
        const first = spawnSync('head', ['-c', '10', f], { encoding: 'utf8' }).stdout;
        return !first.startsWith('# source:') && !statSafe(`${f}.source`);
      });
    expect(missing).toEqual([]);
  });
});

function statSafe(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

describe('the marker patterns spell their markers', () => {
  it('MISSING_LINE, SECTION_LINE and RC_LINE match the lines the commands print', () => {
    expect(U.MISSING_LINE.exec(`x\n${U.MISSING} podman\n`)?.[1]).toBe('podman');
    expect(`a\n${U.SECTION_MARK} one\nb`.split(U.SECTION_LINE)).toEqual(['a\n', 'one\nb']);
    expect(U.RC_LINE.exec(`out\n${U.RC_MARK} 3\n`)?.[1]).toBe('3');
    const roundTrip = parseSections('k', `${U.SECTION_MARK} s\nhello\n${U.RC_MARK} 0\n`);
    expect(roundTrip.get('s')).toEqual({ text: 'hello\n', code: 0 });
  });
});
