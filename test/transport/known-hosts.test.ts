import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultKnownHostsPath,
  fingerprint,
  hostFieldMatches,
  keyTypeOf,
  knownAlgorithms,
  KnownHostsFile,
  knownHostsName,
  parseKnownHosts,
  verifyKey,
} from '../../src/transport/known-hosts.ts';
import { InfraError } from '../../src/transport/types.ts';

/** An SSH key blob: string type, then fake key material. */
function blob(type: string, fill: number): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  const body = Buffer.alloc(36, fill);
  body.writeUInt32BE(32, 0);
  return Buffer.concat([len, t, body]);
}
const A = blob('ssh-ed25519', 1);
const B = blob('ssh-ed25519', 2);
const R = blob('ssh-rsa', 3);
const b64 = (b: Buffer): string => b.toString('base64');

function hashed(name: string, salt = Buffer.alloc(20, 7)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-kh-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('known_hosts parsing and matching', () => {
  const text = [
    '# comment',
    '',
    `10.0.0.1 ssh-ed25519 ${b64(A)}`,
    `[10.0.0.2]:2222,lab-n2 ssh-ed25519 ${b64(A)} a comment`,
    `${hashed('[10.0.0.3]:2200')} ssh-ed25519 ${b64(B)}`,
    `@cert-authority *.lab ssh-ed25519 ${b64(B)}`,
    `@revoked * ssh-rsa ${b64(R)}`,
    `*.example.org,!bad.example.org ssh-rsa ${b64(R)}`,
    'garbage-line-without-key',
    `@unknown-marker 10.0.0.1 ssh-ed25519 ${b64(B)}`,
  ].join('\n');
  const entries = parseKnownHosts(text);

  it('parses lines with their numbers, markers, skips junk', () => {
    expect(entries.map((e) => [e.line, e.marker ?? '', e.keyType])).toEqual([
      [3, '', 'ssh-ed25519'],
      [4, '', 'ssh-ed25519'],
      [5, '', 'ssh-ed25519'],
      [6, 'cert-authority', 'ssh-ed25519'],
      [7, 'revoked', 'ssh-rsa'],
      [8, '', 'ssh-rsa'],
    ]);
  });

  it('names: host for 22, [host]:port otherwise', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it('matches plain, [host]:port, lists, hashed, wildcards and negation', () => {
    expect(hostFieldMatches('10.0.0.1', '10.0.0.1')).toBe(true);
    expect(hostFieldMatches('10.0.0.1', '[10.0.0.1]:2222')).toBe(false);
    expect(hostFieldMatches('[10.0.0.2]:2222,lab-n2', 'lab-n2')).toBe(true);
    expect(hostFieldMatches(hashed('[10.0.0.3]:2200'), '[10.0.0.3]:2200')).toBe(true);
    expect(hostFieldMatches(hashed('[10.0.0.3]:2200'), '10.0.0.3')).toBe(false);
    expect(hostFieldMatches('*.example.org,!bad.example.org', 'a.example.org')).toBe(true);
    expect(hostFieldMatches('*.example.org,!bad.example.org', 'bad.example.org')).toBe(false);
    expect(hostFieldMatches('10.0.0.?', '10.0.0.7')).toBe(true);
    expect(hostFieldMatches('LAB-N2', 'lab-n2')).toBe(true);
  });

  it('verdicts: known, changed (with lines), unknown, revoked; CA lines ignored', () => {
    expect(verifyKey(entries, '10.0.0.1', A)).toMatchObject({ status: 'known', entry: { line: 3 } });
    expect(verifyKey(entries, '[10.0.0.2]:2222', A).status).toBe('known');
    expect(verifyKey(entries, '[10.0.0.3]:2200', B).status).toBe('known');
    const ch = verifyKey(entries, '10.0.0.1', B);
    expect(ch.status).toBe('changed');
    expect(ch.status === 'changed' && ch.entries.map((e) => e.line)).toEqual([3]);
    expect(verifyKey(entries, '10.0.0.99', A).status).toBe('unknown');
    expect(verifyKey(entries, 'x.lab', B).status).toBe('unknown'); // only a @cert-authority line
    expect(verifyKey(entries, 'a.example.org', R).status).toBe('revoked');
  });

  it('key type, fingerprint (OpenSSH format), algorithms to negotiate', () => {
    expect(keyTypeOf(A)).toBe('ssh-ed25519');
    expect(fingerprint(A)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(knownAlgorithms(entries, '10.0.0.1')).toEqual(['ssh-ed25519']);
    expect(knownAlgorithms(entries, 'a.example.org')).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(knownAlgorithms(entries, 'nowhere')).toEqual([]);
  });

  it('fingerprint equals ssh-keygen -l for a real key', () => {
    // `ssh-keygen -lf` (OpenSSH 9.2, this machine) printed this fingerprint for this public key
    const pub = 'AAAAC3NzaC1lZDI1NTE5AAAAIBpDt7z6/sQFSgu7XVVTXRbK0ttE/pL+2DzcJNUIwVTt';
    expect(fingerprint(Buffer.from(pub, 'base64'))).toBe('SHA256:z56NiRMnwG68d02vUj2M/NDblsu/hY5irUWOaIuRLAE');
  });

  it('default path: $LABGRADE_KNOWN_HOSTS, else ~/.config/labgrade/known_hosts', () => {
    expect(defaultKnownHostsPath({ LABGRADE_KNOWN_HOSTS: '/x/kh' })).toBe('/x/kh');
    expect(defaultKnownHostsPath({})).toBe(path.join(os.homedir(), '.config/labgrade/known_hosts'));
  });
});

describe('KnownHostsFile', () => {
  it('TOFU appends once under concurrency; strict refuses unknown; changed always refused', async () => {
    const file = path.join(tmp, 'sub', 'known_hosts');
    const kh = new KnownHostsFile(file);
    await Promise.all(Array.from({ length: 50 }, () => kh.check('10.0.0.5', 22, A, 'tofu')));
    await Promise.all(Array.from({ length: 10 }, () => kh.check('10.0.0.5', 2222, A, 'tofu')));
    expect(fs.readFileSync(file, 'utf8')).toBe(`10.0.0.5 ssh-ed25519 ${b64(A)}\n[10.0.0.5]:2222 ssh-ed25519 ${b64(A)}\n`);
    // a second object (another process) sees the file and does not duplicate
    await new KnownHostsFile(file).check('10.0.0.5', 22, A, 'tofu');
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);

    const strict = kh.check('10.0.0.6', 22, A, 'strict');
    await expect(strict).rejects.toBeInstanceOf(InfraError);
    await expect(strict).rejects.toMatchObject({ kind: 'hostkey-unknown' });

    const changed = kh.check('10.0.0.5', 22, B, 'tofu');
    await expect(changed).rejects.toMatchObject({
      kind: 'hostkey-changed',
      message:
        `HOST KEY CHANGED for 10.0.0.5: server offered ssh-ed25519 ${fingerprint(B)}, but ${file}:1 holds another key. ` +
        `If the node was reinstalled, remove line 1 of ${file} (ssh-keygen -R '10.0.0.5' -f ${file}) and run again; ` +
        `otherwise someone may be intercepting the connection.`,
    });
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('appends after a hand-edited last line without newline', async () => {
    const file = path.join(tmp, 'nonl');
    fs.writeFileSync(file, `# mine\n10.0.0.1 ssh-ed25519 ${b64(B)}`);
    await new KnownHostsFile(file).check('10.0.0.2', 22, A, 'tofu');
    expect(fs.readFileSync(file, 'utf8')).toBe(`# mine\n10.0.0.1 ssh-ed25519 ${b64(B)}\n10.0.0.2 ssh-ed25519 ${b64(A)}\n`);
  });
});
