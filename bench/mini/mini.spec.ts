/**
 * A cheap-only mini spec graded by labgrade's own machinery (gradeDay: plan, one connection per node, one
 * batched channel, verdicts, reporters). Run by bench/mini/grade.ts the way `labgrade grade` runs a day.
 */
import { check } from '../../src/grade/course.ts';
import { fail, pass } from '../../src/grade/verdicts.ts';
import { gradeDay } from '../../src/grade/vitest.ts';
import { miniProbes } from './probes.ts';

const [rpm, reg, h, policy, yaml, ip, fwd] = miniProbes();
const text = { en: 'bench', ko: 'bench' };

gradeDay({
  day: 9,
  checks: [
    check({ id: 'm.rpm', title: text, scope: 'all', probes: () => ({ x: rpm! }), verdict: ({ x }) => (x ? pass('rpm answered', 'rpm') : fail('no', 'rpm', text)) }),
    check({ id: 'm.registries', title: text, scope: 'all', probes: () => ({ x: reg! }), verdict: ({ x }) => (x ? pass('read', 'read') : fail('no', 'read', text)) }),
    check({ id: 'm.hosts', title: text, scope: 'all', probes: () => ({ x: h! }), verdict: ({ x }) => (x ? pass('read', 'read') : fail('no', 'read', text)) }),
    check({ id: 'm.policy', title: text, scope: 'all', probes: () => ({ x: policy! }), verdict: ({ x }) => (x ? pass('read', 'read') : fail('no', 'read', text)) }),
    check({ id: 'm.yaml', title: text, scope: 'all', probes: () => ({ x: yaml! }), verdict: ({ x }) => (x ? pass('read', 'read') : fail('no', 'read', text)) }),
    check({ id: 'm.ip', title: text, scope: 'all', probes: () => ({ x: ip! }), verdict: ({ x }) => (x ? pass('read', 'read') : fail('no', 'read', text)) }),
    check({ id: 'm.fwd', title: text, scope: 'all', probes: () => ({ x: fwd! }), verdict: ({ x }) => (x === '1' || x === '0' ? pass(x, '0|1') : fail(String(x), '0|1', text)) }),
  ],
});
