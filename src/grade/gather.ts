import { randomBytes } from 'node:crypto';
import type { Probe, ProbeOutput } from '../probes/types.ts';
import { InfraError, type ExecResult, type Transport } from '../transport/types.ts';
import { clipFact, clipText } from './bound.ts';

/** What became of one probe on one node. */
export type ProbeOutcome<T = unknown> =
  | { ok: true; value: T; raw: ProbeOutput; cuts?: string[] }
  | { ok: false; kind: 'parse' | 'timeout' | 'output-cap' | 'missing' | InfraError['kind']; message: string; raw?: ProbeOutput };

export interface GatherOptions {
  /** per channel (a batch of light probes, or one heavy probe) */
  timeoutMs?: number;
  /** node-side cap on one probe's stdout */
  probeMaxBytes?: number;
  /** cap on what one channel may send back */
  channelMaxBytes?: number;
  /**
   * cap on one probe's stdout lines: parsers are linear but run on the one event loop, and 4 MB of
   * one-character lines (2M lines) took seconds to parse, stalling every other node's timers
   */
  probeMaxLines?: number;
}

const DEFAULTS = { timeoutMs: 30_000, probeMaxBytes: 4 * 1024 * 1024, channelMaxBytes: 16 * 1024 * 1024, probeMaxLines: 100_000 };

/** Lines in `s` (LF count), stopping once past `max`. */
function linesOver(s: string, max: number): boolean {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) if (++n > max) return true;
  return false;
}

/** Single-quotes a string for bash. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * One bash script running probes one after another, each framed on BOTH streams by a nonce
 * marker so stdout, stderr and the exit code of every probe can be split apart again.
 * stdin is /dev/null for the probes: the script itself arrives on stdin (`bash -s`).
 * A probe's stdout is cut on the node at probeMaxBytes (+1 byte so we can tell).
 */
export function buildScript(probes: readonly Probe<unknown>[], nonce: string, probeMaxBytes: number): string {
  const lines = [
    'export LC_ALL=C LANG=C',
    `__lg_n=${nonce}`,
    `__lg() {`,
    `  printf '\\n\\036%s BEGIN %s\\n' "$__lg_n" "$1"; printf '\\n\\036%s BEGIN %s\\n' "$__lg_n" "$1" >&2`,
    `  ( eval "$2" ) </dev/null | head -c ${probeMaxBytes + 1}`,
    `  __lg_c=\${PIPESTATUS[0]}`,
    `  printf '\\n\\036%s END %s %d\\n' "$__lg_n" "$1" "$__lg_c"; printf '\\n\\036%s END %s %d\\n' "$__lg_n" "$1" "$__lg_c" >&2`,
    `}`,
  ];
  probes.forEach((p, i) => lines.push(`__lg ${i} ${shq(p.command)}`));
  return lines.join('\n') + '\n';
}

interface Frame {
  body: string;
  code?: number;
}

/** Splits one stream into frames by index; a frame with no END marker has no code. */
export function splitFrames(stream: string, nonce: string): Map<number, Frame> {
  const frames = new Map<number, Frame>();
  const mark = `\n\x1e${nonce} `;
  const parts = stream.split(mark);
  let open: number | undefined;
  let bodyStart = '';
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    const header = nl < 0 ? part : part.slice(0, nl);
    const rest = nl < 0 ? '' : part.slice(nl + 1);
    const [word, idx, code] = header.split(' ');
    const i = Number(idx);
    if (word === 'BEGIN') {
      open = i;
      bodyStart = rest;
      frames.set(i, { body: rest });
    } else if (word === 'END' && open === i) {
      frames.set(i, { body: bodyStart, code: Number(code) });
      open = undefined;
    }
  }
  return frames;
}

/** Runs probes on one connected transport: light ones batched on one channel, heavy ones on a channel each. */
export async function gather(
  transport: Transport,
  probes: readonly Probe<unknown>[],
  options: GatherOptions = {},
): Promise<Map<string, ProbeOutcome>> {
  const opts = { ...DEFAULTS, ...options };
  const unique = [...new Map(probes.map((p) => [p.key, p])).values()];
  const light = unique.filter((p) => !p.heavy);
  const batches = [...(light.length ? [light] : []), ...unique.filter((p) => p.heavy).map((p) => [p])];
  const out = new Map<string, ProbeOutcome>();
  await Promise.all(
    batches.map(async (batch) => {
      for (const [key, outcome] of await runBatch(transport, batch, opts)) out.set(key, outcome);
    }),
  );
  return out;
}

async function runBatch(
  transport: Transport,
  batch: readonly Probe<unknown>[],
  opts: typeof DEFAULTS,
): Promise<Map<string, ProbeOutcome>> {
  const nonce = randomBytes(8).toString('hex');
  let res: ExecResult;
  try {
    res = await transport.run('bash -s', {
      stdin: buildScript(batch, nonce, opts.probeMaxBytes),
      timeoutMs: opts.timeoutMs,
      maxBytes: opts.channelMaxBytes,
    });
  } catch (err) {
    if (!(err instanceof InfraError)) throw err;
    return new Map(batch.map((p) => [p.key, { ok: false, kind: err.kind, message: err.message }]));
  }
  // Framed on the bytes as they came from the node (latin1: one character per byte), so a probe's size
  // is counted in the node's bytes, not after invalid UTF-8 became 3-byte U+FFFDs; decoded per frame.
  const outFrames = splitFrames('\n' + (res.raw?.stdout ?? Buffer.from(res.stdout)).toString('latin1'), nonce);
  const errFrames = splitFrames('\n' + (res.raw?.stderr ?? Buffer.from(res.stderr)).toString('latin1'), nonce);
  const utf8 = (latin1: string): string => Buffer.from(latin1, 'latin1').toString('utf8');
  const outcomes = new Map<string, ProbeOutcome>();
  for (const [i, probe] of batch.entries()) {
    // Each parse is its own turn of the event loop: a node's many probes never add up to one long block.
    if (i > 0) await new Promise<void>((r) => setImmediate(r));
    const o = outFrames.get(i);
    const e = errFrames.get(i);
    if (o?.code === undefined) {
      const why = res.timedOut
        ? { kind: 'timeout' as const, message: `no answer within ${opts.timeoutMs / 1000} s` }
        : res.truncated
          ? { kind: 'output-cap' as const, message: `the node sent more than ${opts.channelMaxBytes} bytes; output cut` }
          : {
              kind: 'missing' as const,
              message: `the probe did not run (exit ${res.code ?? 'none'}${res.stderr ? `: ${clipText(res.stderr.slice(0, 400).trim(), 200)}` : ''})`,
            };
      outcomes.set(probe.key, { ok: false, ...why });
      continue;
    }
    if (o.body.length > opts.probeMaxBytes) {
      outcomes.set(probe.key, {
        ok: false,
        kind: 'output-cap',
        message: `\`${probe.command.slice(0, 60)}\` printed more than ${opts.probeMaxBytes} bytes`,
      });
      continue;
    }
    if (linesOver(o.body, opts.probeMaxLines)) {
      outcomes.set(probe.key, {
        ok: false,
        kind: 'output-cap',
        message: `\`${probe.command.slice(0, 60)}\` printed more than ${opts.probeMaxLines} lines`,
      });
      continue;
    }
    const raw: ProbeOutput = { stdout: utf8(o.body), stderr: utf8(e?.body ?? ''), code: o.code };
    try {
      const cuts: string[] = [];
      const value = clipFact(probe.parse(raw), undefined, cuts);
      outcomes.set(probe.key, { ok: true, value, raw, ...(cuts.length ? { cuts } : {}) });
    } catch (err) {
      outcomes.set(probe.key, { ok: false, kind: 'parse', message: clipText(String((err as Error)?.message ?? err)), raw });
    }
  }
  return outcomes;
}

/** A probe outcome that is not the student's doing, as an InfraError. */
export function outcomeError(o: Extract<ProbeOutcome, { ok: false }>): InfraError {
  const kind = o.kind === 'parse' || o.kind === 'missing' ? 'protocol' : o.kind;
  return new InfraError(kind, o.message);
}
