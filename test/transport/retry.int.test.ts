/**
 * The network as it is: a connect that fails at connect (nothing listening yet, a reset) is retried with
 * backoff within a bounded budget; an auth failure or a host key mismatch is never retried. On a simulated
 * node, reached through forwarders this test owns on the slot's 127.<slot>.0.x (no student 0 exists there).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type Lab } from '../../src/lab/index.ts';
import { slotOctet } from '../../src/lab/paths.ts';
import { DEFAULT_CONNECT_RETRY_BUDGET_MS, SshTransport } from '../../src/transport/ssh.ts';
import { InfraError } from '../../src/transport/types.ts';

let lab: Lab;
let dir: string;
const servers: net.Server[] = [];
const addr = (k: number) => `127.${slotOctet()}.0.${k}`;
const PORT = 2222;

/** forwards addr(k):PORT to the node's sshd; `drop` first connections are reset at once */
function forwarder(k: number, target: string, drop = 0): Promise<{ accepted: () => number }> {
  let n = 0;
  const s = net.createServer((c) => {
    if (++n <= drop) return void c.resetAndDestroy();
    const up = net.connect({ host: target, port: 22 });
    c.pipe(up).pipe(c);
    c.on('error', () => up.destroy());
    up.on('error', () => c.destroy());
  });
  servers.push(s);
  return new Promise((resolve) => s.listen(PORT, addr(k), () => resolve({ accepted: () => n })));
}

function transport(k: number, knownHosts: string, identity = lab.keyPath): SshTransport {
  return new SshTransport(
    { alias: addr(k), host: addr(k), port: PORT, user: 'root', identities: [identity] },
    { knownHosts, hostKeyMode: 'tofu', connectTimeoutMs: 8_000, connectRetryBudgetMs: DEFAULT_CONNECT_RETRY_BUDGET_MS, env: {} },
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lg-retry-'));
  await labDown().catch(() => undefined);
  lab = await labUp({ students: 1, state: 'fresh' });
}, 300_000);

afterAll(async () => {
  for (const s of servers) s.close();
  await labDown().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('connect retries', () => {
  it('an sshd that starts listening 2 s late is reached, not called unreachable', async () => {
    const t = transport(1, join(dir, 'kh1'));
    const started = Date.now();
    setTimeout(() => void forwarder(1, lab.node('s01', 'node1').host), 2_000);
    const r = await t.run('echo up');
    expect(r.stdout.trim()).toBe('up');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    await t.close();
  });

  it('a first connection dropped by the network is retried', async () => {
    const f = await forwarder(2, lab.node('s01', 'node2').host, 1);
    const t = transport(2, join(dir, 'kh2'));
    expect((await t.run('echo up')).stdout.trim()).toBe('up');
    expect(f.accepted()).toBe(2);
    await t.close();
  });

  it('nothing listening at all: unreachable once the budget is spent, saying how many attempts; one attempt without a budget', async () => {
    const t = transport(9, join(dir, 'kh9'));
    const started = Date.now();
    const e = await t.connect().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InfraError);
    expect((e as InfraError).kind).toBe('unreachable');
    expect((e as InfraError).message).toMatch(/refused .*\(\d+ attempts over \d+\.\d s\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const once = await new SshTransport(
      { alias: addr(9), host: addr(9), port: PORT, user: 'root', identities: [lab.keyPath] },
      { knownHosts: join(dir, 'kh9'), env: {} },
    ).connect().catch((x: unknown) => x);
    expect((once as InfraError).message).not.toMatch(/attempts/);
  });

  it('a refused key is not retried', async () => {
    const f = await forwarder(3, lab.node('s01', 'node3').host);
    const other = join(dir, 'other_key');
    writeFileSync(other, readFileSync(join(lab.dir, 'hostkeys', 's01-node1')), { mode: 0o600 });
    const t = transport(3, join(dir, 'kh3'), other);
    const e = await t.connect().catch((x: unknown) => x);
    expect((e as InfraError).kind).toBe('auth');
    expect(f.accepted()).toBe(1);
  });

  it('a changed host key is not retried', async () => {
    const f = await forwarder(4, lab.node('s01', 'node1').host);
    const kh = join(dir, 'kh4');
    // node2's key on record for the address that leads to node1
    const blob = readFileSync(lab.knownHostsPath, 'utf8').split('\n').find((l) => l.startsWith(`${lab.node('s01', 'node2').host} `))!.split(' ').slice(1).join(' ');
    writeFileSync(kh, `[${addr(4)}]:${PORT} ${blob}\n`);
    const e = await transport(4, kh).connect().catch((x: unknown) => x);
    expect((e as InfraError).kind).toBe('hostkey-changed');
    expect(f.accepted()).toBe(1);
  });
});
