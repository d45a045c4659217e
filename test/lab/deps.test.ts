// The missing-dependency messages, and the composition of a mixed class (pure, no namespaces).
import { describe, expect, it } from 'vitest';
import { checkHost, installCommand, LabDependencyError } from '../../src/lab/deps.ts';
import { mixedPlan } from '../../src/lab/index.ts';

describe('checkHost', () => {
  it('names the platform when not Linux', async () => {
    await expect(checkHost({ platform: 'darwin', uid: 0 })).rejects.toThrow(/needs Linux .*this is darwin/);
  });
  it('asks for root', async () => {
    await expect(checkHost({ platform: 'linux', uid: 1000 })).rejects.toThrow(LabDependencyError);
    await expect(checkHost({ platform: 'linux', uid: 1000 })).rejects.toThrow(/needs root.*sudo/);
  });
  it('names each missing package and the command that installs it', async () => {
    const fake = [
      { what: 'podman', paths: ['/nonexistent/podman'], deb: 'podman', rpm: 'podman' },
      { what: 'runc', paths: ['/nonexistent/runc'], deb: 'runc', rpm: 'runc' },
    ];
    const err = (await checkHost({ platform: 'linux', uid: 0, paths: fake }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(LabDependencyError);
    expect(err.message).toMatch(/missing system packages: podman \(package podman\), runc \(package runc\)/);
    expect(err.message).toContain('sudo scripts/install-system-deps');
    expect(err.message).toMatch(/apt-get update && apt-get install -y podman runc|dnf install -y podman runc/);
  });
  // CI runs as root on Debian with scripts/install-system-deps done: anything missing is a failure, not a skip
  it('passes on this machine', async () => {
    expect(process.platform).toBe('linux');
    expect(process.getuid?.(), 'the tests run as root').toBe(0);
    await expect(checkHost()).resolves.toHaveProperty('busybox');
  });
  it('builds install commands for both families', () => {
    expect(installCommand('deb', ['a', 'b', 'a'])).toBe('apt-get update && apt-get install -y a b');
    expect(installCommand('rpm', ['a'])).toBe('dnf install -y a');
  });
});

describe('mixedPlan', () => {
  it('has done, half-done and fresh students, one silent node and one refused key', () => {
    const p = mixedPlan(5, ['f1', 'f2']);
    expect(p.map((s) => s.days)).toEqual([[1, 2], [1], [], [1, 2], []]);
    expect(p[2]?.partialDay1).toEqual(['node1']);
    expect(p[3]?.faults).toEqual({ node1: ['f1'] });
    expect(p[4]?.sshdStopped).toBe('node3');
    expect(p[3]?.keyRefused).toBe('node2');
    expect(p.filter((s) => s.sshdStopped)).toHaveLength(1);
    expect(p.filter((s) => s.keyRefused)).toHaveLength(1);
  });
  it('a class of one still gets both failures', () => {
    const [s] = mixedPlan(1, []);
    expect(s).toMatchObject({ student: 's01', days: [1, 2], sshdStopped: 'node3', keyRefused: 'node2' });
  });
});
