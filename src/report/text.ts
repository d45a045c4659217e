/** Making strings that came from student nodes safe to show: they are untrusted and may hold anything. */

// C0/C1 controls (except \t \n), DEL, BOM/zero-width, bidi overrides and isolates (they can reorder what a reader sees).
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

// A lone surrogate would make the UTF-8 encoder write U+FFFD anyway; do it visibly and once.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replace invisible and control characters by a visible `\uXXXX` form; \r\n and \r become \n. */
export function visible(s: string, { keepNewlines = true }: { keepNewlines?: boolean } = {}): string {
  let out = s.replace(LONE_SURROGATE, '\uFFFD').replace(/\r\n?/g, '\n');
  out = out.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (!keepNewlines) out = out.replace(/\n/g, ' ⏎ ');
  return out;
}

/** One line, at most `max` characters (for CSV status cells and titles). */
export function oneLine(s: string, max = 200): string {
  const line = visible(s, { keepNewlines: false }).replace(/\t/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function escapeHtml(s: string): string {
  return visible(s).replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

export function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_m, e: string) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === 'apos') return "'";
    if (k === 'nbsp') return '\u00a0';
    return String.fromCodePoint(k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10));
  });
}

/** Node output can be megabytes (a whole config file); the summaries show the start, results.json keeps all. */
export function clip(s: string, max = 4000): string {
  return s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters in results.json)` : s;
}
