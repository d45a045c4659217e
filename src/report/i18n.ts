/** Words the reports print, in the two languages the course is taught in. */
import type { Lang, Scope } from '../grade/types.ts';
import type { CellStatus } from './model.ts';

export interface Labels {
  status: Record<CellStatus, string>;
  statusLong: Record<CellStatus, string>;
  title: (day: number) => string;
  student: string;
  name: string;
  score: string;
  byNode: string;
  byDay: string;
  thisRun: string;
  legend: string;
  passRate: string;
  run: string;
  generated: string;
  students: (n: number) => string;
  checks: (n: number) => string;
  found: string;
  expected: string;
  hint: string;
  blockedBy: (id: string, title: string) => string;
  infraHeading: string;
  infraLine: (student: string, node: string, host: string, kind: string, message: string, n: number) => string;
  infraCovered: (n: number) => string;
  failuresHeading: string;
  allPassed: string;
  firstPassed: (date: string) => string;
  regressed: string;
  regressedLong: (date: string) => string;
  passedChecks: string;
  filter: string;
  onlyProblems: string;
  expandAll: string;
  noInfra: string;
  notApplicable: string;
  checkKey: string;
  points: string;
  needs: string;
  nodes: string;
  scope: Record<Scope, string>;
}

export const LABELS: Record<Lang, Labels> = {
  en: {
    status: { pass: 'pass', fail: 'fail', blocked: 'blocked', error: 'error', missing: 'not graded' },
    statusLong: {
      pass: 'pass',
      fail: 'fail: the node is not in the expected state',
      blocked: 'blocked: a prerequisite check failed',
      error: 'error: grading infrastructure problem, not the student\u2019s fault',
      missing: 'not graded: no verdict was recorded',
    },
    title: (day) => `Day ${day} lab results`,
    student: 'Student',
    name: 'Name',
    score: 'Score',
    byNode: 'By node',
    byDay: 'By day',
    thisRun: 'this run',
    legend: 'Legend',
    passRate: 'Passed',
    run: 'Run',
    generated: 'Generated',
    students: (n) => `${n} students`,
    checks: (n) => `${n} checks`,
    found: 'Found',
    expected: 'Expected',
    hint: 'Hint',
    blockedBy: (id, title) => `Blocked by ${id} (${title}): fix that check first.`,
    infraHeading: 'Infrastructure problems',
    infraLine: (student, node, host, kind, message, n) =>
      `${student} ${node} (${host}): ${kind}: ${message}. ${n} check(s) on this node are errors.`,
    infraCovered: (n) => `${n} check(s) on this node could not be graded (see infrastructure problems).`,
    failuresHeading: 'Per student',
    allPassed: 'All checks passed.',
    firstPassed: (date) => `first passed ${date}`,
    regressed: 'REGRESSED',
    regressedLong: (date) => `REGRESSED: passed on ${date}, not now`,
    passedChecks: 'Passed',
    filter: 'Filter students',
    onlyProblems: 'Only students with problems',
    expandAll: 'Expand all',
    noInfra: 'None.',
    notApplicable: 'does not apply',
    checkKey: 'Checks',
    points: 'Points',
    needs: 'Needs',
    nodes: 'Runs on',
    scope: { exercise: 'exercise node', all: 'every node', control: 'control node', workers: 'worker nodes', cluster: 'cluster (once per student)' },
  },
  ko: {
    status: { pass: '통과', fail: '실패', blocked: '차단', error: '오류', missing: '미채점' },
    statusLong: {
      pass: '통과',
      fail: '실패: 노드가 기대한 상태가 아닙니다',
      blocked: '차단: 선행 검사가 실패했습니다',
      error: '오류: 채점 환경 문제 (학생 책임 아님)',
      missing: '미채점: 판정 기록이 없습니다',
    },
    title: (day) => `${day}일차 실습 채점 결과`,
    student: '학생',
    name: '이름',
    score: '점수',
    byNode: '노드별',
    byDay: '일차별',
    thisRun: '이번 채점',
    legend: '범례',
    passRate: '통과',
    run: '채점 시각',
    generated: '생성',
    students: (n) => `학생 ${n}명`,
    checks: (n) => `검사 ${n}개`,
    found: '현재 상태',
    expected: '기대 상태',
    hint: '힌트',
    blockedBy: (id, title) => `선행 검사 ${id} (${title}) 실패로 차단됨: 그 검사를 먼저 해결하세요.`,
    infraHeading: '채점 환경 문제',
    infraLine: (student, node, host, kind, message, n) =>
      `${student} ${node} (${host}): ${kind}: ${message}. 이 노드의 검사 ${n}개가 오류입니다.`,
    infraCovered: (n) => `이 노드의 검사 ${n}개를 채점하지 못했습니다 (채점 환경 문제 참고).`,
    failuresHeading: '학생별 결과',
    allPassed: '모든 검사를 통과했습니다.',
    firstPassed: (date) => `최초 통과 ${date}`,
    regressed: '회귀(REGRESSED)',
    regressedLong: (date) => `회귀(REGRESSED): ${date}에 통과했으나 지금은 실패`,
    passedChecks: '통과한 검사',
    filter: '학생 검색',
    onlyProblems: '문제 있는 학생만',
    expandAll: '모두 펼치기',
    noInfra: '없음.',
    notApplicable: '해당 없음',
    checkKey: '검사 목록',
    points: '배점',
    needs: '선행 검사',
    nodes: '대상 노드',
    scope: { exercise: '실습 노드', all: '모든 노드', control: '컨트롤 노드', workers: '워커 노드', cluster: '클러스터 (학생당 한 번)' },
  },
};

/** Dates for people: `2025-11-24 09:30` in the given zone (default: this machine's). */
export function formatDate(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // sv-SE formats as ISO-like `YYYY-MM-DD HH:MM`, in any zone.
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}
