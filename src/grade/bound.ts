/**
 * Bounds on what a node can make the grader hold and write. Everything here comes from a student's
 * node (root there): a 2M-line .repo file must not become a 2M-entry list in results.json, nor a
 * 20 MB `found` in junit.xml. Cuts are visible ("(cut, N more)"), never silent.
 */

export interface FactLimits {
  /** entries kept of any list */
  maxItems: number;
  /** characters kept of any string */
  maxString: number;
}

/**
 * Per probe, applied by the gatherer to every parsed fact. Generous: a real node's facts are far
 * below (a few dozen repos, hosts lines, containers), so verdicts on honest nodes never see a cut.
 */
export const FACT_LIMITS: FactLimits = { maxItems: 2000, maxString: 64 * 1024 };

/** Per check: what `found`, `expected` and an error message may hold. */
export const MAX_MESSAGE = 2000;

/** Per check: the JSON of its evidence in results.json. */
export const MAX_EVIDENCE_JSON = 64 * 1024;

/** `s`, or its first `max` characters and a marker saying how many more there were. */
export function clipText(s: string, max = MAX_MESSAGE): string {
  if (s.length <= max) return s;
  // Do not cut a surrogate pair in two.
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}… (cut, ${s.length - end} more characters)`;
}

/**
 * A copy of `v` with every list and string within `limits`. Lists keep their first entries; what
 * was cut is listed in `cuts` (path: count) so the report can say so. Plain data only (facts are
 * JSON-like); anything else is returned as is.
 */
export function clipFact(v: unknown, limits: FactLimits = FACT_LIMITS, cuts: string[] = [], path = ''): unknown {
  if (typeof v === 'string') {
    if (v.length > limits.maxString) cuts.push(`${path || 'value'}: ${v.length - limits.maxString} characters`);
    return clipText(v, limits.maxString);
  }
  if (Array.isArray(v)) {
    if (v.length > limits.maxItems) cuts.push(`${path || 'list'}: ${v.length - limits.maxItems} entries`);
    const kept = v.length > limits.maxItems ? v.slice(0, limits.maxItems) : v;
    return kept.map((x, i) => clipFact(x, limits, cuts, `${path}[${i}]`));
  }
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = clipFact(x, limits, cuts, path ? `${path}.${k}` : k);
    return out;
  }
  return v;
}

/**
 * Evidence for results.json, at most MAX_EVIDENCE_JSON characters of JSON: as is when it fits, else
 * clipped harder, else only a note. The size of results.json then follows the class, not a file.
 */
export function boundEvidence(evidence: Record<string, unknown>, cuts: string[]): unknown {
  const withCuts = cuts.length ? { ...evidence, _cut: cuts.slice(0, 20).concat(cuts.length > 20 ? [`(cut, ${cuts.length - 20} more)`] : []) } : evidence;
  const size = jsonSize(withCuts);
  if (size !== undefined && size <= MAX_EVIDENCE_JSON) return withCuts;
  const tighter: string[] = [...cuts];
  const small = clipFact(evidence, { maxItems: 20, maxString: 1000 }, tighter) as Record<string, unknown>;
  const again = { ...small, _cut: tighter.slice(0, 20).concat(tighter.length > 20 ? [`(cut, ${tighter.length - 20} more)`] : []) };
  const size2 = jsonSize(again);
  if (size2 !== undefined && size2 <= MAX_EVIDENCE_JSON) return again;
  return { _cut: [`evidence of ${size ?? 'more than 512M'} characters left out`] };
}

function jsonSize(v: unknown): number | undefined {
  try {
    return JSON.stringify(v).length;
  } catch {
    return undefined; // RangeError: longer than a string may be
  }
}
