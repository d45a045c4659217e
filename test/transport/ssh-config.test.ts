import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SSHConfig from 'ssh-config';
import { afterAll, describe, expect, it } from 'vitest';
import { expandPath, parseJumpSpec, resolveSshHost } from '../../src/transport/ssh-config.ts';

// A per-run marker path: a fixed /tmp name could exist already (another run, another user) or be made by anyone.
const markerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-ssh-config-'));
const MARKER = path.join(markerDir, 'should-not-exist');
afterAll(() => fs.rmSync(markerDir, { recursive: true, force: true }));

const cfg = SSHConfig.parse(`
IdentityFile ~/.ssh/global_key

Host lab-*
  HostName %h.lab.example
  User student
  IdentityFile ~/.ssh/lab_%u_%r
  ProxyJump ops@gw:2222

Host lab-s01-n1
  HostName 10.0.0.11
  Port 2201
  User overridden

host LOWER
  hostname lower.example
  port 2300
  proxyjump none

Match exec "touch ${MARKER}"
  User pwned

Host *
  User fallback
  Port 22
`);

describe('ssh_config resolution (first value wins, Host * last)', () => {
  it('pattern block first, then the specific block for what it did not set', () => {
    const r = resolveSshHost(cfg, 'lab-s01-n1');
    const me = os.userInfo().username;
    expect(r).toEqual({
      alias: 'lab-s01-n1',
      hostName: 'lab-s01-n1.lab.example', // lab-* comes first in the file: its HostName wins
      user: 'student',
      port: 2201,
      identityFiles: [
        path.join(os.homedir(), '.ssh/global_key'),
        path.join(os.homedir(), `.ssh/lab_${me}_student`),
      ],
      proxyJump: 'ops@gw:2222',
    });
  });

  it('Host * supplies defaults; lower-case directives work; ProxyJump none; Match exec never runs', () => {
    expect(resolveSshHost(cfg, 'other')).toEqual({
      alias: 'other',
      hostName: 'other',
      user: 'fallback',
      port: 22,
      identityFiles: [path.join(os.homedir(), '.ssh/global_key')],
      proxyJump: undefined,
    });
    expect(resolveSshHost(cfg, 'LOWER')).toMatchObject({ hostName: 'lower.example', port: 2300, proxyJump: undefined });
    expect(fs.existsSync(markerDir)).toBe(true);
    expect(fs.existsSync(MARKER)).toBe(false);
  });

  it('no config: the alias is the host', () => {
    expect(resolveSshHost(undefined, 'x')).toEqual({ alias: 'x', hostName: 'x', identityFiles: [] });
  });

  it('bad Port is an error', () => {
    expect(() => resolveSshHost(SSHConfig.parse('Host a\n  Port 99999\n'), 'a')).toThrow("ssh config: Host a: bad Port '99999'");
  });
});

describe('jump specs and paths', () => {
  it('parses [user@]host[:port], [v6]:port, ssh://', () => {
    expect(parseJumpSpec('bastion')).toEqual({ user: undefined, host: 'bastion', port: undefined });
    expect(parseJumpSpec('ops@bastion:2222')).toEqual({ user: 'ops', host: 'bastion', port: 2222 });
    expect(parseJumpSpec('ops@[fd00::1]:22')).toEqual({ user: 'ops', host: 'fd00::1', port: 22 });
    expect(parseJumpSpec('ssh://a@b')).toEqual({ user: 'a', host: 'b', port: undefined });
    expect(() => parseJumpSpec('a@b:0')).toThrow("bad port in jump host 'a@b:0'");
    expect(() => parseJumpSpec('a b')).toThrow("bad jump host 'a b'");
  });

  it('expands ~ and resolves relative paths against a base', () => {
    expect(expandPath('~/k')).toBe(path.join(os.homedir(), 'k'));
    expect(expandPath('keys/k', '/etc/class')).toBe('/etc/class/keys/k');
    expect(expandPath('/abs/k', '/etc/class')).toBe('/abs/k');
  });
});
