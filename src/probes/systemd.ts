/**
 * d2.crio-service, d2.k8s-packages (kubelet enabled), d2.firewalld: is-enabled and is-active per unit.
 * The real reader is systemctl itself (systemd 252 on Rocky 9): it mangles `crio` to `crio.service`
 * (unit_name_mangle), resolves aliases, and derives the enablement from the [Install] symlinks under
 * /etc/systemd/system, /run and /usr/lib (unit_file_get_state), so the probe asks it rather than reading
 * the symlinks. Its stdout is one state word; stderr, folded in here, may carry:
 * - 252's unknown-unit message "Failed to get unit file state for X: No such file or directory" (exit 1),
 *   253+ prints `not-found` instead (systemctl-is-enabled.c);
 * - for a SysV-only service, systemctl-sysv-compat.c's log lines "X.service is not a native service,
 *   redirecting to systemd-sysv-install." and "Executing: /usr/lib/systemd/systemd-sysv-install
 *   is-enabled x" before the word: noise, dropped;
 * - "System has not been booted with systemd ..." / "Failed to connect to bus": systemctl cannot answer.
 */
import { type Probe, ProbeParseError } from './types.ts';
import { assertSafeName, clip, missingTool, requireTool, subshell } from './util.ts';

export interface UnitState {
  unit: string;
  /** enabled, disabled, static, masked, ..., or not-found (252's stderr message is mapped to it) */
  enabled: string;
  enabledExit: number;
  /** active, inactive, failed, activating, ... */
  active: string;
  activeExit: number;
  exists: boolean;
  /** what systemctl printed, both commands, for found-messages */
  raw: string;
}

export interface SystemdFact {
  units: Record<string, UnitState>;
  missing?: string;
  /** systemctl could not talk to systemd at all */
  error?: string;
}

const ENABLED_WORDS = new Set([
  'enabled', 'enabled-runtime', 'linked', 'linked-runtime', 'alias', 'masked', 'masked-runtime',
  'static', 'indirect', 'disabled', 'generated', 'transient', 'bad', 'not-found',
]);
const ACTIVE_WORDS = new Set(['active', 'reloading', 'inactive', 'failed', 'activating', 'deactivating', 'maintenance', 'refreshing']);

/** the folded ` | `-joined lines without systemctl's SysV-redirect log lines */
function dropNoise(folded: string): string {
  return folded
    .split(' | ')
    .filter((l) => !l.includes(' is not a native service, redirecting to systemd-sysv-install') && !l.startsWith('Executing: /usr/lib/systemd/systemd-sysv-install'))
    .join(' | ');
}

/** one output line per unit: tab-separated name, exits and both outputs (newlines folded) */
export function systemdUnits(units: string[]): Probe<SystemdFact> {
  if (units.length === 0) throw new Error('systemdUnits: no units');
  units.forEach((u) => assertSafeName('unit', u));
  const key = `systemd:${units.join(',')}`;
  const body = [
    requireTool('systemctl'),
    `for u in ${units.join(' ')}; do`,
    `  e=$(systemctl is-enabled "$u" 2>&1); erc=$?`,
    `  a=$(systemctl is-active "$u" 2>&1); arc=$?`,
    `  printf '__LG_UNIT\\t%s\\t%s\\t%s\\t%s\\t%s\\n' "$u" "$erc" "$arc" "\${e//$'\\n'/ | }" "\${a//$'\\n'/ | }"`,
    `done`,
  ].join('\n');
  return {
    key,
    command: subshell(body),
    parse(out) {
      const tool = missingTool(out.stdout);
      const fact: SystemdFact = { units: {} };
      if (tool) {
        fact.missing = tool;
        return fact;
      }
      for (const line of out.stdout.split('\n')) {
        if (!line.startsWith('__LG_UNIT\t')) continue;
        const f = line.split('\t');
        if (f.length !== 6) throw new ProbeParseError(key, `bad unit line ${clip(line)}`);
        const [, unit, erc, arc, eRaw, aRaw] = f as [string, string, string, string, string, string];
        const e = dropNoise(eRaw);
        const a = dropNoise(aRaw);
        let enabled = e.trim();
        // systemd 252: unknown unit -> stderr "Failed to get unit file state for x.service: No such file or directory", exit 1
        if (/Failed to get unit file state for .*No such file or directory/.test(enabled)) enabled = 'not-found';
        const active = a.trim();
        if (!ENABLED_WORDS.has(enabled) || !ACTIVE_WORDS.has(active)) {
          // e.g. "System has not been booted with systemd as init system (PID 1). Can't operate."
          if (/booted with systemd|Failed to connect to bus|Can't operate/i.test(`${enabled} ${active}`)) {
            fact.error = `${enabled} ${active}`.trim();
            continue;
          }
          throw new ProbeParseError(key, `unexpected systemctl output for ${unit}: ${clip(enabled)} / ${clip(active)}`);
        }
        fact.units[unit] = {
          unit,
          enabled,
          enabledExit: Number(erc),
          active,
          activeExit: Number(arc),
          exists: enabled !== 'not-found',
          raw: `is-enabled: ${e} (exit ${erc}); is-active: ${a} (exit ${arc})`,
        };
      }
      if (!fact.error) {
        for (const u of units) if (!fact.units[u]) throw new ProbeParseError(key, `no state for unit ${u}`);
      }
      return fact;
    },
  };
}
