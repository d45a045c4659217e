import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRoster } from '../../src/roster/index.ts';

describe('the documented example roster', () => {
  it('loads as documented', () => {
    const r = loadRoster(join(import.meta.dirname, '../../fixtures/roster/example.yaml'), { sshConfig: null });
    expect(r.students.map((s) => s.id)).toEqual(['s01', 's02']);
    expect(r.students[0]!.name).toBe('김민지');
    expect(r.students[0]!.nodes.find((n) => n.node === 'node3')).toMatchObject({ host: '10.10.1.13', port: 2222, user: 'root' });
    expect(r.lab.weights['d1.pod']).toBe(2);
  });
});
