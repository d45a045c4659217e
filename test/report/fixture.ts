/** A small class that exercises every verdict kind and every escaping hazard the reports must survive. */
import type { CheckMeta, CheckResult, RunResults, Status, StudentSummary } from '../../src/grade/types.ts';

export const CHECKS: CheckMeta[] = [
  { id: 'd1.podman', day: 1, title: { en: 'podman packages installed', ko: 'podman 패키지 설치' }, scope: 'exercise', weight: 1, needs: [] },
  { id: 'd1.registries', day: 1, title: { en: 'search registries = quay.io', ko: '검색 레지스트리 = quay.io' }, scope: 'exercise', weight: 2, needs: [] },
  { id: 'd1.publish', day: 1, title: { en: 'httpd publishes 58080', ko: 'httpd가 58080 게시' }, scope: 'exercise', weight: 1, needs: ['d1.podman'] },
  { id: 'd1.port', day: 1, title: { en: 'curl localhost:58080 answers', ko: 'curl localhost:58080 응답' }, scope: 'exercise', weight: 1, needs: ['d1.publish'] },
  { id: 'd1.eth1', day: 1, title: { en: 'eth1 static address', ko: 'eth1 고정 주소' }, scope: 'all', weight: 1, needs: [] },
];

/** Found string with HTML, quotes, comma, newline, a control char and a bidi override. */
export const NASTY_FOUND =
  'registries.conf lists ["docker.io", "<script>document.title=\'PWNED\'</script>"],\n' +
  '<img src=x onerror="document.body.dataset.pwned=1"> \u001b[31mred\u001b[0m \u202Egnp.exe `tick` | pipe';

const NODES = ['node1', 'node2', 'node3'];
const host = (i: number, n: number): string => `127.77.${i}.${n}:22`;

function student(i: number, id: string, name: string | undefined, infraNode?: string): StudentSummary {
  return {
    id,
    name,
    nodes: NODES.map((node, k) => ({
      name: node,
      host: host(i, k + 1),
      infra:
        node === infraNode
          ? { kind: 'unreachable', message: `connect ECONNREFUSED ${host(i, k + 1)}, "refused"\nretry later` }
          : undefined,
    })),
  };
}

type Override = Partial<CheckResult> & { status: Status };

function results(s: StudentSummary, i: number, overrides: Record<string, Override> = {}): CheckResult[] {
  const out: CheckResult[] = [];
  for (const c of CHECKS) {
    const nodes = c.scope === 'all' ? NODES : ['node1'];
    for (const node of nodes) {
      const k = NODES.indexOf(node) + 1;
      const key = c.scope === 'all' ? `${c.id}@${node}` : c.id;
      const o = overrides[key] ?? (s.nodes.find((n) => n.name === node)?.infra ? errorOn(s, node) : { status: 'pass' as const });
      out.push({
        student: s.id,
        node,
        host: host(i, k),
        checkId: c.id,
        weight: c.weight,
        score: o.status === 'pass' ? c.weight : 0,
        ...o,
      });
    }
  }
  return out;
}

function errorOn(s: StudentSummary, node: string): Override {
  const n = s.nodes.find((x) => x.name === node);
  return { status: 'error', error: { kind: n?.infra?.kind ?? 'unreachable', message: n?.infra?.message ?? '' } };
}

export function makeRun(): RunResults {
  const s01 = student(1, 's01', '김민준');
  const s02 = student(2, 's02', 'Lee, Jay "JJ"');
  const s03 = student(3, 's03', 'Ana Souza', 'node2');
  const s10 = student(10, 's10', '=HYPERLINK("http://x","click")');
  return {
    schema: 'labgrade/results@1',
    day: 1,
    startedAt: '2025-11-24T09:00:00.000Z',
    finishedAt: '2025-11-24T09:03:00.000Z',
    checks: CHECKS,
    // Deliberately out of order: every format must sort s10 after s03.
    students: [s10, s02, s01, s03],
    results: [
      ...results(s10, 10, { 'd1.eth1@node3': { status: 'fail', found: 'eth1 has no IPv4 address', expected: '192.168.90.130/24' } }),
      ...results(s01, 1),
      ...results(s02, 2, {
        'd1.registries': {
          status: 'fail',
          found: NASTY_FOUND,
          expected: '["quay.io"]',
          hint: { en: 'Edit unqualified-search-registries in /etc/containers/registries.conf', ko: '/etc/containers/registries.conf의 unqualified-search-registries를 수정하세요' },
          evidence: { file: '/etc/containers/registries.conf', registries: ['docker.io'] },
        },
        'd1.publish': { status: 'fail', found: 'no container named httpd-24-centos-7', expected: 'httpd-24-centos-7 publishing 58080->8080' },
        'd1.port': { status: 'blocked', blockedBy: 'd1.publish' },
        'd1.eth1@node2': { status: 'fail', found: 'eth1 192.168.90.121/24', expected: '192.168.90.120/24', hint: { en: 'nmcli con mod ...', ko: 'nmcli con mod ...' } },
      }),
      ...results(s03, 3, {
        'd1.podman': { status: 'error', error: { kind: 'parse', message: 'rpm -q printed something unknown: <b>?</b>' } },
      }),
    ],
  };
}

/** Expected totals of makeRun() (max 8 each: 1+2+1+1 + eth1 on 3 nodes). */
export const TOTALS: Record<string, number> = { s01: 8, s02: 3, s03: 6, s10: 7 };

/**
 * makeRun() plus a student `s9`, placed last: natural order puts s9 between s03 and s10, where a plain string sort
 * would put it after s10. The expected canonical order, written out (not computed by the code under test).
 */
export function makeRunWithS9(): RunResults {
  const r = makeRun();
  const s01 = r.students.find((s) => s.id === 's01')!;
  return {
    ...r,
    students: [...r.students, { ...s01, id: 's9', name: 'Nine' }],
    results: [...r.results, ...r.results.filter((x) => x.student === 's01').map((x) => ({ ...x, student: 's9' }))].reverse(),
  };
}
export const CANONICAL_STUDENTS = ['s01', 's02', 's03', 's9', 's10'];
/** One student's results in canonical order: by node, then the checks' order in the spec. */
export const CANONICAL_ROWS = [
  'node1 d1.podman', 'node1 d1.registries', 'node1 d1.publish', 'node1 d1.port', 'node1 d1.eth1', 'node2 d1.eth1', 'node3 d1.eth1',
];
export const CANONICAL_RESULTS = CANONICAL_STUDENTS.flatMap((s) => CANONICAL_ROWS.map((r) => `${s} ${r}`));
