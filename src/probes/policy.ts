/**
 * d2.policy: /etc/containers/policy.json's default and its per-registry signature requirements, read
 * as containers/image does (signature/policy_config.go NewPolicyFromFile, Policy.UnmarshalJSON):
 * internal.ParanoidUnmarshalJSONObject refuses a duplicated key (encoding/json would keep the last one,
 * so does JSON.parse) and an unknown key; "default" is required; a requirement list must not be empty
 * ("List of verification policy requirements must not be empty"); each requirement's type must be one
 * it knows. Any of these: podman refuses every pull with `invalid policy in "/etc/containers/policy.json"`.
 */
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
// policy_config.go newPolicyRequirementFromJSON()
const KNOWN_TYPES = new Set(['insecureAcceptAnything', 'reject', 'signedBy', 'signedBaseLayer', 'sigstoreSigned']);

/**
 * The first key repeated within one JSON object, in one pass over text JSON.parse already accepted
 * (strings skipped with their escapes; a key is the first string after `{` or `,` in an object).
 */
export function duplicateJsonKey(text: string): string | undefined {
  const stack: Array<{ keys: Set<string> | null; wantKey: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.wantKey) {
        const k = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(k)) return k;
        top.keys.add(k);
        top.wantKey = false;
      }
      i = j;
    } else if (c === '{') stack.push({ keys: new Set(), wantKey: true });
    else if (c === '[') stack.push({ keys: null, wantKey: false });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) top.wantKey = true;
    }
  }
  return undefined;
}

/** what ParanoidUnmarshalJSONObject and the requirement parsers would refuse, in their words */
function policyError(doc: Record<string, unknown>, text: string): string | undefined {
  const dup = duplicateJsonKey(text);
  if (dup !== undefined) return `Duplicate key ${JSON.stringify(dup.slice(0, 100))}`;
  const unknown = Object.keys(doc).find((k) => k !== 'default' && k !== 'transports');
  if (unknown !== undefined) return `Unknown key ${JSON.stringify(unknown.slice(0, 100))}`;
  if (doc.default === undefined || doc.default === null) return 'Default policy is missing';
  const lists: unknown[] = [doc.default];
  if (isRecord(doc.transports)) {
    for (const scopes of Object.values(doc.transports)) if (isRecord(scopes)) lists.push(...Object.values(scopes));
  }
  for (const l of lists) {
    if (!Array.isArray(l)) return 'a requirement list is not a JSON array';
    if (l.length === 0) return 'List of verification policy requirements must not be empty';
    for (const r of l) {
      const t = isRecord(r) ? r.type : undefined;
      if (typeof t !== 'string' || !KNOWN_TYPES.has(t)) return `Unknown policy requirement type ${JSON.stringify(String(t).slice(0, 100))}`;
    }
  }
  return undefined;
}

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
  const refused = policyError(doc, content);
  const transports = isRecord(doc.transports) ? doc.transports : {};
  const dockerT = isRecord(transports.docker) ? transports.docker : {};
  const docker = Object.fromEntries(Object.entries(dockerT).map(([scope, reqs]) => [scope, types(reqs)]));
  return {
    exists: true,
    ...(refused ? { error: refused } : {}),
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
