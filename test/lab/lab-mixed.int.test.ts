// The failures a mixed class is made of: a node whose sshd is stopped, a node that refuses the lab key;
// and a whole mixed class.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { labDown, labStatus, labUp } from '../../src/lab/index.ts';
import { TEST_LAB_DIR } from './helpers.ts';

const portOpen = (host: string) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host, port: 22, timeout: 1000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });

afterAll(async () => {
  await labDown(TEST_LAB_DIR);
});

describe('node failures', () => {
  it('stopSshd: the node stops answering but keeps running; breakKey: the lab key is refused', async () => {
    await labDown(TEST_LAB_DIR);
    const lab = await labUp({ students: 1, state: 'fresh', dir: TEST_LAB_DIR });
    const n3 = lab.node('s01', 'node3');
    await lab.stopSshd(n3);
    expect(await portOpen(n3.host)).toBe(false);
    await expect(lab.exec(n3, 'true')).rejects.toThrow(/ECONNREFUSED/);
    const st = (await labStatus(TEST_LAB_DIR)).nodes.find((n) => n.name === 'node3');
    expect(st).toMatchObject({ running: true, listening: false });

    const n2 = lab.node('s01', 'node2');
    await lab.breakKey(n2);
    expect(await portOpen(n2.host)).toBe(true);
    await expect(lab.exec(n2, 'true')).rejects.toThrow(/authentication/i);
    expect((await lab.exec(lab.node('s01', 'node1'), 'echo ok')).stdout).toBe('ok\n');

    await lab.down();
    expect((await labStatus(TEST_LAB_DIR)).up).toBe(false);
  });

  it('a mixed class of 3: done, partly done and fresh students, plus both failures', async () => {
    const lab = await labUp({ students: 3, state: 'mixed', dir: TEST_LAB_DIR });
    expect(lab.plan.map((p) => p.days)).toEqual([[1, 2], [1], []]);
    const st = await labStatus(TEST_LAB_DIR);
    expect(st.nodes.filter((n) => !n.listening).map((n) => `${n.student}/${n.name}`)).toEqual(['s03/node3']);
    await expect(lab.exec(lab.node('s02', 'node2'), 'true')).rejects.toThrow(/authentication/i);
    // s01 ran both days' solutions: its node1 answers on 58080 (the day-1 container)
    const r = await lab.exec(lab.node('s01', 'node1'), 'curl -s -o /dev/null -w "%{http_code}" localhost:58080');
    expect(r.stdout).toBe('403');
    await lab.down();
  });
});
