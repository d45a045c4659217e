/** Verdict builders several checks share. */
import type { RpmFacts, SystemdFact, UnitState, YumRepo } from '../probes/index.ts';
import { stripTrailing } from '../probes/util.ts';
import { show, type Verdict } from './course.ts';
import type { Text } from './types.ts';

export function pass(found: string, expected: string): Verdict {
  return { pass: true, found, expected };
}

export function fail(found: string, expected: string, hint: Text): Verdict {
  return { pass: false, found, expected, hint };
}

/** Every name installed, as rpm sees it. */
export function packagesInstalled(rpm: RpmFacts, names: string[], hint: Text): Verdict {
  const expected = `${names.join(', ')} installed`;
  if (rpm.missing) return fail(`rpm is not available (${rpm.missing} missing)`, expected, hint);
  const found = names.map((n) => (rpm.packages[n]?.installed ? rpm.packages[n]!.nvra! : `${n} not installed`));
  const missing = names.filter((n) => !rpm.packages[n]?.installed);
  return missing.length ? fail(found.join(', '), expected, hint) : pass(found.join(', '), expected);
}

/** `https://x/a:/b:/c/` and `https://x/a:b:c` name the same openSUSE repository. */
export function normaliseUrl(u: string): string {
  return stripTrailing(u.trim().toLowerCase().replace(/:\//g, ':'), '/');
}

/** The enabled repos whose baseurl matches (among those dnf loads); else a found-message listing what is there. */
export function findRepo(repos: YumRepo[], matches: (url: string) => boolean): { hit?: YumRepo; disabled?: YumRepo } {
  const candidates = repos.filter((r) => !r.skipped && r.baseurl.some((u) => matches(normaliseUrl(u))));
  return { hit: candidates.find((r) => r.enabled), disabled: candidates.find((r) => !r.enabled) };
}

export function describeRepos(repos: YumRepo[]): string {
  if (!repos.length) return 'no repositories in /etc/yum.repos.d';
  return `repositories ${repos.map((r) => `${r.id} (${r.file}: ${r.baseurl.join(' ') || r.mirrorlist || r.metalink || 'no baseurl'}${r.enabled ? '' : ', enabled=0'}${r.skipped ? `; dnf skips it: ${r.skipped}` : ''})`).join('; ')}`;
}

export function unit(f: SystemdFact, name: string): UnitState | undefined {
  return f.units[name] ?? f.units[`${name}.service`];
}

export function describeUnit(u: UnitState | undefined, name: string): string {
  if (!u || !u.exists) return `${name}.service does not exist (is-enabled: ${u?.enabled ?? 'not-found'})`;
  return `${name}: is-enabled ${u.enabled}, is-active ${u.active}`;
}

/** A podman fact that could not be read: podman absent, or podman failing (say how). */
export function podmanTrouble(f: { missing?: string; error?: string }, what: string): string | undefined {
  if (f.missing || /command not found/.test(f.error ?? '')) return 'podman is not installed (command not found)';
  if (f.error) return `${what} failed: ${f.error}`;
  return undefined;
}

export { show };
