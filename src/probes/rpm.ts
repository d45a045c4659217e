/**
 * d1.epel, d1.podman, d2.crio, d2.cri-tools, d2.k8s-packages: which packages rpm says are installed.
 * The real reader is rpm itself (rpm 4.16 on Rocky 9): `rpm -q NAME` looks NAME up in the rpmdb Name index
 * (lib/query.c rpmQueryVerify: exact, case-sensitive; also NAME-VERSION[-RELEASE], never a Provides, so
 * `crio` is not `cri-o`), prints one --qf line per installed instance (kernels, multilib), and for a
 * name with none prints "package NAME is not installed" on STDOUT, exit = number of such names. rpmdb
 * warnings and errors ("warning: ... database", "error: rpmdb: ...") go to stderr, which this probe does
 * not fold: a name with neither line means rpm could not answer.
 */
import { type Probe, ProbeParseError } from './types.ts';
import { assertSafeName, clip, missingTool, requireTool, subshell } from './util.ts';

export interface RpmPackage {
  name: string;
  installed: boolean;
  /** e.g. `cri-o-1.24.6-1.el8.x86_64` (rpm -q's default form, no epoch) */
  nvra?: string;
  version?: string;
  release?: string;
  arch?: string;
  /** every installed instance when several are (kernel, multilib) */
  instances?: string[];
}

export interface RpmFacts {
  /** keyed by the name asked for */
  packages: Record<string, RpmPackage>;
  /** set when rpm itself is absent */
  missing?: string;
}

const SEP = '\t';
const QF = `%{NAME}${SEP}%{VERSION}${SEP}%{RELEASE}${SEP}%{ARCH}${SEP}%{NVRA}\\n`;

/** `rpm -q --qf` for the given names in one call; exit status = number not installed, so it is ignored */
export function rpmPackages(names: string[]): Probe<RpmFacts> {
  if (names.length === 0) throw new Error('rpmPackages: no names');
  names.forEach((n) => assertSafeName('package', n));
  const key = `rpm:${names.join(',')}`;
  return {
    key,
    command: subshell(`${requireTool('rpm')}\nrpm -q --qf '${QF}' ${names.join(' ')}`),
    parse(out) {
      const tool = missingTool(out.stdout);
      if (tool) {
        return {
          packages: Object.fromEntries(names.map((n) => [n, { name: n, installed: false }])),
          missing: tool,
        };
      }
      const found = new Map<string, RpmPackage>();
      const notInstalled = new Set<string>();
      for (const [i, line] of out.stdout.split('\n').entries()) {
        if (line.trim() === '') continue;
        // rpm prints this on stdout, not stderr (rpm tests/rpmdb.at)
        const ni = /^package (\S+) is not installed$/.exec(line.trim());
        if (ni) {
          notInstalled.add(ni[1]!);
          continue;
        }
        const f = line.split(SEP);
        if (f.length !== 5 || f.some((x) => x === '')) {
          throw new ProbeParseError(key, `unexpected rpm -q output, line ${i + 1}: ${clip(line)}`);
        }
        const [name, version, release, arch, nvra] = f as [string, string, string, string, string];
        const prev = found.get(name);
        if (prev) prev.instances!.push(nvra);
        else found.set(name, { name, installed: true, nvra, version, release, arch, instances: [nvra] });
      }
      const packages: Record<string, RpmPackage> = {};
      for (const n of names) {
        const p = found.get(n);
        if (p) packages[n] = p;
        else if (notInstalled.has(n)) packages[n] = { name: n, installed: false };
        else {
          // neither line: rpm failed (e.g. broken rpmdb); say so rather than guess "not installed"
          throw new ProbeParseError(key, `rpm said nothing about ${n}: ${out.stderr.trim() ? clip(out.stderr) : `exit ${out.code}`}`);
        }
      }
      return { packages };
    },
  };
}
