/** d2.policy: /etc/containers/policy.json's default and its per-registry signature requirements. */
import { type Probe, ProbeParseError } from './types.ts';
import { dumpFiles, isRecord, parseDump, str, subshell } from './util.ts';

export const POLICY_JSON = '/etc/containers/policy.json';

export interface PolicyFact {
  exists: boolean;
  /** JSON syntax error: podman refuses every pull with such a file */
  error?: string;
  /** requirement types of "default", e.g. ["insecureAcceptAnything"] */
  defaultTypes: string[];
  /** transports.docker scope -> requirement types, e.g. {"registry.redhat.io": ["sigstoreSigned"]} */
  docker: Record<string, string[]>;
  /** docker scopes requiring a signature (signedBy / sigstoreSigned) */
  signedScopes: string[];
  /** every transport named */
  transports: string[];
}

const SIGNED = new Set(['signedBy', 'sigstoreSigned']);

function types(v: unknown): string[] {
  return Array.isArray(v) ? v.filter(isRecord).map((r) => str(r.type) ?? '?') : [];
}

export function parsePolicy(content: string): PolicyFact {
  const empty: PolicyFact = { exists: true, defaultTypes: [], docker: {}, signedScopes: [], transports: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch (e) {
    return { ...empty, error: `invalid JSON: ${(e as Error).message}` };
  }
  if (!isRecord(doc)) return { ...empty, error: 'not a JSON object' };
  const transports = isRecord(doc.transports) ? doc.transports : {};
  const dockerT = isRecord(transports.docker) ? transports.docker : {};
  const docker = Object.fromEntries(Object.entries(dockerT).map(([scope, reqs]) => [scope, types(reqs)]));
  return {
    exists: true,
    ...(Array.isArray(doc.default) ? {} : { error: 'no "default" requirement list' }),
    defaultTypes: types(doc.default),
    docker,
    signedScopes: Object.entries(docker)
      .filter(([, t]) => t.some((x) => SIGNED.has(x)))
      .map(([s]) => s),
    transports: Object.keys(transports),
  };
}

export function policyJson(): Probe<PolicyFact> {
  const key = 'policy-json';
  return {
    key,
    command: subshell(dumpFiles([POLICY_JSON])),
    parse(out) {
      let files;
      try {
        files = parseDump(out.stdout);
      } catch (e) {
        throw new ProbeParseError(key, (e as Error).message);
      }
      const f = files[0];
      if (!f) return { exists: false, defaultTypes: [], docker: {}, signedScopes: [], transports: [] };
      return parsePolicy(f.content);
    },
  };
}
