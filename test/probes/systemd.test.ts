import { describe, expect, it } from 'vitest';
import { systemdUnits } from '../../src/probes/systemd.ts';
import { ProbeParseError } from '../../src/probes/types.ts';
import { fixture, run } from './helpers.ts';

describe('systemdUnits', () => {
  it('maps systemd 252 unknown-unit stderr to not-found', () => {
    const f = run(systemdUnits(['crio', 'kubelet']), fixture('systemd/252-unknown-units.txt'));
    expect(f.units.crio).toMatchObject({ enabled: 'not-found', exists: false, active: 'inactive', activeExit: 3 });
    expect(f.units.crio?.raw).toContain('Failed to get unit file state');
  });
  it('reads systemd 253+ not-found on stdout', () => {
    expect(run(systemdUnits(['crio']), fixture('systemd/253-unknown-unit.txt')).units.crio).toMatchObject({ enabled: 'not-found', exists: false, enabledExit: 4 });
  });
  it('reads enabled/active, disabled/inactive, activating', () => {
    const f = run(systemdUnits(['crio', 'kubelet', 'firewalld']), fixture('systemd/day2-done.txt'));
    expect(f.units.crio).toMatchObject({ enabled: 'enabled', active: 'active', exists: true });
    expect(f.units.kubelet?.active).toBe('activating');
    expect(f.units.firewalld).toMatchObject({ enabled: 'disabled', active: 'inactive' });
  });
  it("drops systemctl's SysV-redirect log lines before the state word", () => {
    expect(run(systemdUnits(['network']), fixture('systemd/252-sysv-redirect.txt')).units.network).toMatchObject({ enabled: 'enabled', active: 'active', exists: true });
  });
  it('reads failed and masked', () => {
    const f = run(systemdUnits(['crio', 'firewalld', 'tmp.mount']), fixture('systemd/fresh-node.txt'));
    expect(f.units.crio?.active).toBe('failed');
    expect(f.units['tmp.mount']?.enabled).toBe('masked');
  });
  it('reports a machine without systemd as an error, not a unit state', () => {
    const f = run(systemdUnits(['crio']), fixture('systemd/no-systemd.txt'));
    expect(f.error).toMatch(/not been booted with systemd/);
    expect(f.units).toEqual({});
  });
  it('throws on garbage and on a unit with no line', () => {
    expect(() => run(systemdUnits(['crio']), '__LG_UNIT\tcrio\t0\t0\tyes please\tactive\n')).toThrow(ProbeParseError);
    expect(() => run(systemdUnits(['crio', 'kubelet']), fixture('systemd/253-unknown-unit.txt'))).toThrow(/kubelet/);
  });
  it('reports missing systemctl', () => {
    expect(run(systemdUnits(['crio']), '__LG_MISSING systemctl\n', '', 127).missing).toBe('systemctl');
  });
});
