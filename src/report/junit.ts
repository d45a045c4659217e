import junit, { type Builder } from 'junit-report-builder';
import { clipText } from '../grade/bound.ts';
import { failureMessage } from '../grade/messages.ts';
import type { Lang, RunResults } from '../grade/types.ts';

/** characters of one <failure>/<error> message (found + expected + hint fit well within) */
export const MAX_JUNIT_MESSAGE = 8000;

// The package is CommonJS whose module.exports is the builder; its types describe an ES default.
const builder = junit as unknown as { newBuilder(): Builder };

/**
 * XML 1.0 cannot hold most control characters, lone surrogates or U+FFFE/U+FFFF, whatever the
 * escaping: a node that prints them must not make the report unreadable. They become U+FFFD.
 */
export function xmlSafe(s: string): string {
  return s.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * One <testsuite> per student and node, one <testcase> per check: name = check id,
 * classname = `<student>.<node>`. fail -> <failure>, blocked -> <failure type="blocked">,
 * error (not the student's doing) -> <error type="<kind>">.
 */
export function toJunit(r: RunResults, lang: Lang, onlyStudent?: string): string {
  const b = builder.newBuilder().name(`labgrade day ${r.day}`);
  const checkOrder = new Map(r.checks.map((c, i) => [c.id, i]));
  for (const s of r.students) {
    if (onlyStudent && s.id !== onlyStudent) continue;
    for (const n of s.nodes) {
      const rows = r.results
        .filter((x) => x.student === s.id && x.node === n.name)
        .sort((a, b) => (checkOrder.get(a.checkId) ?? 0) - (checkOrder.get(b.checkId) ?? 0));
      if (!rows.length) continue;
      const suite = b
        .testSuite()
        .name(xmlSafe(`day${r.day} ${s.id} ${n.name}`))
        .property('student', xmlSafe(s.id))
        .property('node', n.name)
        .property('host', xmlSafe(n.host))
        .property('score', String(rows.reduce((a, x) => a + x.score, 0)))
        .property('max', String(rows.reduce((a, x) => a + x.weight, 0)));
      if (s.name) suite.property('student.name', xmlSafe(s.name));
      if (n.infra) suite.property('infra', xmlSafe(clipText(`${n.infra.kind}: ${n.infra.message}`, MAX_JUNIT_MESSAGE)));
      for (const x of rows) {
        const tc = suite
          .testCase()
          .className(xmlSafe(`${s.id}.${n.name}`))
          .name(x.checkId)
          .property('student', xmlSafe(s.id))
          .property('node', n.name)
          .property('check', x.checkId)
          .property('host', xmlSafe(x.host))
          .property('score', `${x.score}/${x.weight}`)
          .property('status', x.status);
        // Bounded whatever the node sent: junit.xml grows with the class, not with a file's size.
        const msg = xmlSafe(clipText(failureMessage(x, lang), MAX_JUNIT_MESSAGE));
        if (x.status === 'fail') tc.failure(msg, 'fail');
        else if (x.status === 'blocked') tc.failure(msg, 'blocked');
        else if (x.status === 'error') tc.error(msg, x.error?.kind ?? 'error');
      }
    }
  }
  return b.build();
}
