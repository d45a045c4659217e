import { describe, expect, it } from 'vitest';
import { parseSwapon, swap } from '../../src/probes/swap.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { composeDump, composeSections } from '../../src/probes/util.ts';
import { fixture, run } from './helpers.ts';

const out = (procSwaps: [string, number], swapon: [string, number], fstab?: string) =>
  composeSections([
    ['proc-swaps', ...procSwaps],
    ['swapon', ...swapon],
    ['fstab', fstab === undefined ? '' : composeDump([{ path: '/etc/fstab', content: fstab }]), 0],
  ]);

describe('swap', () => {
  it('fresh node: LVM swap active and in fstab', () => {
    const f = run(swap(), out([fixture('swap/proc-swaps-lvm.txt'), 0], [fixture('swap/swapon-lvm.txt'), 0], fixture('swap/fstab-rocky9.txt')));
    expect(f.active).toEqual([{ name: '/dev/dm-1', type: 'partition', size: '2097148', used: '0', priority: -2 }]);
    expect(f.fstab).toMatchObject([{ source: '/dev/mapper/rl-swap', mountpoint: 'none', lineNo: 14 }]);
  });
  it('a swap line with noauto is kept but not activated at boot (swapon -a, systemd-fstab-generator)', () => {
    const f = run(swap(), out([fixture('swap/proc-swaps-empty.txt'), 0], [fixture('swap/swapon-empty.txt'), 0], fixture('swap/fstab-noauto.txt')));
    expect(f.fstab).toEqual([]);
    expect(f.fstabNoauto).toMatchObject([{ source: '/dev/mapper/rl-swap', lineNo: 3, noauto: true }]);
  });
  it('course end state: no swap (header only), fstab line commented', () => {
    const f = run(swap(), out([fixture('swap/proc-swaps-empty.txt'), 0], [fixture('swap/swapon-empty.txt'), 0], fixture('swap/fstab-swap-commented.txt')));
    expect(f).toMatchObject({ active: [], activeFrom: '/proc/swaps', fstab: [] });
    expect(f.fstabCommented).toHaveLength(1);
  });
  it('UUID= sources, tabs, swapfile, indented comment', () => {
    const f = run(swap(), out([fixture('swap/proc-swaps-empty.txt'), 0], ['', 0], fixture('swap/fstab-uuid-tabs.txt')));
    expect(f.fstab.map((e) => e.source)).toEqual(['UUID=7a1f2b3c-4d5e-6f70-8192-a3b4c5d6e7f8', '/swapfile']);
    expect(f.fstabCommented.map((e) => e.source)).toEqual(['/swapfile']);
  });
  it('falls back to swapon when /proc/swaps is unreadable', () => {
    const f = run(swap(), out(['cat: /proc/swaps: No such file or directory', 1], [fixture('swap/swapon-lvm.txt'), 0]));
    expect(f).toMatchObject({ activeFrom: 'swapon', active: [{ name: '/dev/dm-1', size: '2G' }], fstabExists: false });
    expect(parseSwapon('k', fixture('swap/swapon-empty.txt'))).toEqual([]);
  });
  it('throws on garbage', () => {
    expect(() => run(swap(), out(['nonsense\n', 0], ['', 0]))).toThrow(ProbeParseError);
    expect(() => run(swap(), out([fixture('swap/proc-swaps-empty.txt') + 'a b\n', 0], ['', 0]))).toThrow(ProbeParseError);
  });
});
