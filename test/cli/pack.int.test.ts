/**
 * One package that installs and starts: `npm pack` (which builds dist/ through `prepare`), the tarball
 * installed into a clean directory offline (the npm cache already holds the dependencies: `npm ci` put them
 * there), and the installed `labgrade check` grading a simulated node, host key checked.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type Lab } from '../../src/lab/index.ts';
import { ROOT } from '../checks/helpers.ts';

let lab: Lab;
let work: string;
let files: string[];
let installed: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lg-pack-'));
  await labDown().catch(() => undefined);
  const up = labUp({ students: 1, state: 'day1' });
  // pack and install while the class comes up
  const pack = await execa('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', work], { cwd: ROOT }).catch(async (e: unknown) => {
    await up.catch(() => undefined);
    throw e;
  });
  const packed = JSON.parse(String(pack.stdout)) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((f) => f.path);
  // The tarball unpacked as npm would install it, and its dependencies from the project's lockfile (what a
  // registry install resolves to) out of the npm cache: no network, no dev dependencies (no TypeScript, so
  // nothing can be compiled there), no install scripts.
  installed = join(work, 'package');
  await execa('tar', ['-xzf', join(work, packed[0]!.filename), '-C', work]);
  copyFileSync(join(ROOT, 'package-lock.json'), join(installed, 'package-lock.json'));
  const install = execa('npm', ['ci', '--offline', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: installed });
  [lab] = await Promise.all([up, install]);
}, 600_000);

afterAll(async () => {
  await labDown().catch(() => undefined);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds what runs, compiled, and not the tests, the benchmark or CI', () => {
    expect(files).toContain('bin/labgrade.mjs');
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('dist/src/cli/main.js.map');
    expect(files).toContain('dist/checks/day1.spec.js');
    expect(files).toContain('src/lab/standins/nmcli');
    expect(files).toContain('scripts/solutions/day1.sh');
    expect(files.filter((f) => /^(test|bench|\.ci|fixtures|reports)\//.test(f))).toEqual([]);
  });

  it('installs offline and `labgrade check` grades a simulated node from the compiled CLI', async () => {
    expect(readdirSync(join(installed, 'dist', 'src', 'cli'))).toContain('main.js');
    expect(existsSync(join(installed, 'node_modules', 'typescript'))).toBe(false);
    // without tsx, only the compiled CLI can start: proves no transpile at start
    rmSync(join(installed, 'node_modules', 'tsx'), { recursive: true, force: true });
    const node1 = lab.node('s01', 'node1');
    const r = await execa(
      join(installed, 'bin', 'labgrade.mjs'),
      ['check', '--day', '1', '--host', node1.host, '--identity', lab.keyPath, '--strict-host-keys', '--reports', join(work, 'reports')],
      { cwd: installed, reject: false, env: { LABGRADE_KNOWN_HOSTS: lab.knownHostsPath } },
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/d1\.pod-containers/);
    expect(r.stdout).toMatch(/d1\.eth1/);
    expect(r.stdout).not.toMatch(/FAIL|ERROR/);
  });
});
