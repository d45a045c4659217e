import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRosterPath, filterRoster, loadRoster, RosterError, type Roster } from '../../src/roster/index.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-roster-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

function problems(file: string): string[] {
  try {
    loadRoster(file, { sshConfig: null });
  } catch (e) {
    if (e instanceof RosterError) return e.problems;
    throw e;
  }
  throw new Error('expected RosterError');
}

describe('loadRoster: errors', () => {
  it('reports every problem with file:line:col, field path and message, in file order', () => {
    const f = write(
      'bad.yaml',
      `defaults:
  user: root
  prot: 22
lab:
  exerciseNode: node4
  eth1: { node1: 192.168.90.300/24, node9: 10.0.0.1/24 }
  weights: { d1.pod: -1 }
students:
  - id: s01
    nodes:
      node1: { host: 10.0.0.11 }
      node2: { host: lab-s01-n2, port: 70000 }
  - id: s01
    name: Dup
    nodes:
      node1: { hots: 10.0.0.21 }
      node2:
        host: "10.0.0.22"
        port: "22"
        jump: "a@b:99999"
  - id: "bad id"
    nodes: {}
  - id: s04
    nodes:
      node1: { host: root@10.0.0.41, sudo: yes please }
`,
    );
    expect(problems(f)).toEqual([
      `${f}:3:3: defaults.prot: unknown key`,
      `${f}:5:17: lab.exerciseNode: no student has a node named 'node4'`,
      `${f}:6:18: lab.eth1.node1: must be an IPv4 address with prefix, like 192.168.90.110/24`,
      `${f}:6:37: lab.eth1.node9: no student has a node named 'node9'`,
      `${f}:7:22: lab.weights["d1.pod"]: must be a number >= 0`,
      `${f}:12:40: students[0].nodes.node2.port: must be an integer 1-65535`,
      `${f}:13:9: students[1].id: duplicate id "s01" (also students[0])`,
      `${f}:16:14: students[1].nodes.node1.host: required`,
      `${f}:16:16: students[1].nodes.node1.hots: unknown key`,
      `${f}:19:15: students[1].nodes.node2.port: expected number, got string "22"`,
      `${f}:20:15: students[1].nodes.node2.jump: bad port in jump host 'a@b:99999'`,
      `${f}:21:9: students[2].id: must be a letter or digit, then up to 63 of [A-Za-z0-9._-]`,
      `${f}:22:12: students[2].nodes: at least one node required`,
      `${f}:25:22: students[3].nodes.node1.host: must be a host name, address or ssh_config alias (put the user in \`user\`)`,
      `${f}:25:44: students[3].nodes.node1.sudo: expected boolean, got string "yes please"`,
    ]);
  });

  it('the message of the thrown error is the problems, one per line', () => {
    const f = write('one.yaml', 'students:\n  - id: s01\n    nodes:\n      node1: {}\n');
    expect(() => loadRoster(f, { sshConfig: null })).toThrow(`${f}:4:14: students[0].nodes.node1.host: required`);
  });

  it('YAML syntax errors carry positions too, all of them', () => {
    const f = write('syntax.yaml', 'students:\n  - id: s01\n    id: s02\n    nodes: [1, 2\n');
    const p = problems(f);
    expect(p[0]).toBe(`${f}:3:5: YAML: Map keys must be unique`);
    expect(p.length).toBeGreaterThan(1);
    expect(p.every((l) => l.startsWith(`${f}:`) && l.includes(': YAML: '))).toBe(true);
  });

  it('missing students, unknown top-level key, default exercise node absent', () => {
    const f = write('empty.yaml', 'studnets: []\n');
    expect(problems(f)).toEqual([`${f}:1:1: students: required`, `${f}:1:1: studnets: unknown key`]);
    const g = write('nonode1.yaml', 'students:\n  - id: s01\n    nodes: { a: { host: h }, b: { host: i } }\n');
    expect(problems(g)).toEqual([
      `${g}:1:1: lab.exerciseNode: no student has a node named 'node1' (the default; set lab.exerciseNode)`,
    ]);
    // a one-node roster is a student checking one node (`labgrade check --node node2`): no exercise node needed
    const one = write('onenode.yaml', 'students:\n  - id: me\n    nodes: { node2: { host: h } }\n');
    expect(loadRoster(one, { sshConfig: null }).lab.exerciseNode).toBe('node1');
  });

  it('missing file: a clear message', () => {
    const f = path.join(tmp, 'nope.yaml');
    expect(problems(f)).toEqual([`${f}: cannot read roster: no such file (give --roster FILE or set LABGRADE_ROSTER)`]);
  });

  it('an sshConfig that does not exist is reported', () => {
    const f = write('sshcfg.yaml', 'defaults:\n  sshConfig: ./no_config\nstudents:\n  - id: s01\n    nodes: { node1: { host: h } }\n');
    expect(() => loadRoster(f)).toThrow(`${f}:2:14: defaults.sshConfig: ssh config ${path.join(tmp, 'no_config')}: no such file`);
  });

  it('ids and node names: a safe pattern only (no option-like, dot-only, formula or escape names)', () => {
    const f = write(
      'unsafe.yaml',
      `students:
  - id: "-1"
    nodes: { node1: { host: a } }
  - id: ".."
    nodes: { node1: { host: b } }
` +
        `  - id: "=cmd"
    nodes: { node1: { host: c } }
  - id: "s\u001b[2Jx"
    nodes: { "node\u001b]52;c;x\u0007": { host: d }, node1: { host: e } }
`,
    );
    const p = problems(f);
    expect(p.slice(0, 4)).toEqual([
      `${f}:2:9: students[0].id: must be a letter or digit, then up to 63 of [A-Za-z0-9._-]`,
      `${f}:4:9: students[1].id: must be a letter or digit, then up to 63 of [A-Za-z0-9._-]`,
      `${f}:6:9: students[2].id: must be a letter or digit, then up to 63 of [A-Za-z0-9._-]`,
      `${f}:8:9: students[3].id: must be a letter or digit, then up to 63 of [A-Za-z0-9._-]`,
    ]);
    expect(p[4]).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:9:\\d+: students\\[3\\]\\.nodes.*must be a node name`));
  });

  it('passwordEnv names an environment variable, never holds a password', () => {
    const f = write('pwenv.yaml', `defaults:
  passwordEnv: "hunter2!"
students:
  - id: s01
    nodes: { node1: { host: a, passwordEnv: S01_PW } }
`);
    expect(problems(f)).toEqual([
      `${f}:2:16: defaults.passwordEnv: must be the name of an environment variable (the password itself never goes in the roster)`,
    ]);
    const ok = write('pwenv-ok.yaml', `defaults:
  passwordEnv: CLASS_PW
students:
  - id: s01
    nodes: { node1: { host: a, passwordEnv: S01_PW }, node2: { host: b } }
`);
    const r = loadRoster(ok, { sshConfig: null });
    expect(r.students[0]!.nodes.map((n) => n.passwordEnv)).toEqual(['S01_PW', 'CLASS_PW']);
  });
});

describe('loadRoster: resolution', () => {
  const sshConfig = write(
    'ssh/config',
    `Host lab-*-n2
  HostName 10.9.%h.2
  IdentityFile ~/.ssh/k_%h
  ProxyJump gw
  Port 2201

Host lab-s01-n2
  User n2user
  Port 2299

Host gw
  HostName 192.0.2.1
  User jumper
  Port 2022

Host *
  User cfguser
  Port 2200
`,
  );
  const f = write(
    'class/roster.yaml',
    `defaults:
  identity: ./keys/id_ed25519
  knownHosts: ./known_hosts
  sshConfig: ../ssh/config
lab:
  eth1: { node1: 10.1.1.1/24 }
  weights: { d1.pod: 2 }
students:
  - id: s01
    name: Kim Minji
    nodes:
      node1: { host: 10.0.0.11, user: admin, sudo: true }
      node2: { host: lab-s01-n2 }
      node3: { host: 10.0.0.13, port: 2222, jump: "ops@bastion:2200" }
  - id: s02
    nodes:
      node1: { host: 10.0.0.21 }
`,
  );

  it('applies node fields, roster defaults, then ssh_config, then built-ins', () => {
    const r = loadRoster(f);
    const dir = path.dirname(f);
    const key = path.join(dir, 'keys/id_ed25519');
    expect(r.path).toBe(f);
    expect(r.knownHosts).toBe(path.join(dir, 'known_hosts'));
    expect(r.sshConfig).toBe(sshConfig);
    expect(r.lab).toEqual({
      exerciseNode: 'node1',
      eth1: { node1: '10.1.1.1/24', node2: '192.168.90.120/24', node3: '192.168.90.130/24' },
      kubeYamlDir: '/root',
      weights: { 'd1.pod': 2 },
      // days 3-5: the course's defaults; the API server follows the control node's eth1
      controlNode: 'node1',
      hostnames: { node1: 'control1.example.com', node2: 'worker1.example.com', node3: 'worker2.example.com' },
      apiServer: '10.1.1.1:6443',
    });
    const [s01, s02] = r.students;
    expect(s01?.name).toBe('Kim Minji');
    expect(s01?.nodes.map((n) => n.node)).toEqual(['node1', 'node2', 'node3']);
    expect(s01?.nodes[0]).toEqual({
      student: 's01',
      node: 'node1',
      alias: '10.0.0.11',
      host: '10.0.0.11',
      port: 2200, // Host * Port: the roster does not say
      user: 'admin',
      identities: [key],
      identity: key,
      sudo: true,
      knownHosts: path.join(dir, 'known_hosts'),
    });
    const n2 = s01?.nodes[1];
    expect(n2?.host).toBe('10.9.lab-s01-n2.2');
    expect(n2?.user).toBe('n2user'); // the first block has no User; the second does, before Host *
    expect(n2?.port).toBe(2201); // first match wins (OpenSSH), not the later Host lab-s01-n2 block
    expect(n2?.identities).toEqual([key, path.join(os.homedir(), '.ssh/k_10.9.lab-s01-n2.2')]);
    expect(n2?.jump).toEqual({
      alias: 'gw',
      host: '192.0.2.1',
      port: 2022,
      user: 'jumper',
      identities: [key],
    });
    const n3 = s01?.nodes[2];
    expect(n3?.port).toBe(2222);
    expect(n3?.jump).toMatchObject({ alias: 'bastion', host: 'bastion', port: 2200, user: 'ops' });
    expect(s02?.nodes[0]?.jump).toBeUndefined();
    expect(s02?.name).toBeUndefined();
  });

  it('defaultRosterPath: --roster, else $LABGRADE_ROSTER, else ./roster.yaml', () => {
    expect(defaultRosterPath('a.yaml', { LABGRADE_ROSTER: 'b.yaml' })).toBe('a.yaml');
    expect(defaultRosterPath(undefined, { LABGRADE_ROSTER: 'b.yaml' })).toBe('b.yaml');
    expect(defaultRosterPath(undefined, {})).toBe('roster.yaml');
  });
});

describe('filterRoster', () => {
  const students = Array.from({ length: 7 }, (_, i) => `  - id: s${i + 1}\n    nodes: { node1: { host: h${i + 1} }, node2: { host: g${i + 1} } }\n`);
  const f = write('seven.yaml', `students:\n${students.join('')}`);
  const r: Roster = loadRoster(f, { sshConfig: null });
  const ids = (x: Roster): string[] => x.students.map((s) => s.id);

  it('by student and node', () => {
    expect(ids(filterRoster(r, { student: 's3' }))).toEqual(['s3']);
    expect(ids(filterRoster(r, { student: ['s5', 's2'] }))).toEqual(['s2', 's5']);
    const n = filterRoster(r, { node: 'node2' });
    expect(n.students.every((s) => s.nodes.length === 1 && s.nodes[0]?.node === 'node2')).toBe(true);
    expect(() => filterRoster(r, { student: 's99' })).toThrow(`no student 's99' in ${f}`);
    expect(() => filterRoster(r, { node: 'node7' })).toThrow(`no node 'node7' in ${f}`);
  });

  it('shards are contiguous, disjoint, cover everyone, stable', () => {
    const parts = [1, 2, 3].map((index) => ids(filterRoster(r, { shard: { index, count: 3 } })));
    expect(parts).toEqual([['s1', 's2'], ['s3', 's4'], ['s5', 's6', 's7']]);
    expect(ids(filterRoster(r, { shard: { index: 2, count: 3 } }))).toEqual(parts[1]);
    expect(ids(filterRoster(r, { shard: { index: 1, count: 1 } }))).toEqual(ids(r));
    expect(() => filterRoster(r, { shard: { index: 0, count: 3 } })).toThrow(RangeError);
    expect(() => filterRoster(r, { shard: { index: 4, count: 3 } })).toThrow(RangeError);
  });
});
