/**
 * The one way labgrade writes to a terminal. Everything printed (class summary, `labgrade check`
 * output, errors, warnings) may carry text from a student's node (found strings, stderr, an sshd's
 * DISCONNECT reason) or from the roster: students are root on their nodes, so that text may hold OSC 52
 * (write the instructor's clipboard), OSC 8 (links), cursor moves or a bare \r that overwrites a line
 * with "s07 11/11 all passed". Control characters are shown, never interpreted: ESC becomes `\x1b`.
 */
import { writeSync } from 'node:fs';

// C0 controls but \t and \n, DEL, C1 (U+0080-U+009F: 8-bit CSI/OSC), zero-width and bidi controls, line/paragraph separators, BOM.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `s` with every control character written out visibly (`\x1b`, `\x0d`, `\u202e`); \n and \t kept. */
export function terminalSafe(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

function write(fd: 1 | 2, s: string): void {
  const text = terminalSafe(s);
  const stream = fd === 1 ? process.stdout : process.stderr;
  // A pipe closed early (labgrade ... | head) must not crash the run: the reports are what matters.
  try {
    if (stream.writable) stream.write(text);
    else writeSync(fd, text);
  } catch {
    /* best effort */
  }
}

/** Prints to stdout through the sanitiser. */
export function out(s: string): void {
  write(1, s);
}

/** Prints to stderr through the sanitiser. */
export function err(s: string): void {
  write(2, s);
}
