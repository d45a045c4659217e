/** found/expected in the student's language: {en, ko} from the check, else the phrasebook, values kept. */
import { describe, expect, it } from 'vitest';
import { localize, toKorean } from '../../src/grade/localize.ts';
import { failureMessage } from '../../src/grade/messages.ts';
import type { CheckResult } from '../../src/grade/types.ts';
import { readResultsJson, toResultsJson } from '../../src/report/results-json.ts';

const base: CheckResult = { student: 's01', node: 'node1', host: 'h', checkId: 'd1.x', status: 'fail', weight: 1, score: 0 };

describe('localize', () => {
  it('English is what the check wrote', () => {
    expect(localize({ found: 'epel-release not installed', expected: 'epel-release installed' }, 'en')).toEqual({
      found: 'epel-release not installed',
      expected: 'epel-release installed',
    });
  });

  it('day 1-2 phrases read in Korean, values as they are', () => {
    expect(localize({ found: 'epel-release not installed', expected: 'epel-release installed' }, 'ko')).toEqual({
      found: 'epel-release 미설치',
      expected: 'epel-release 설치됨',
    });
    expect(toKorean('no container named httpd-24-centos-7; containers: web (running, *:58081->8080/tcp)')).toBe(
      '이름이 httpd-24-centos-7 인 컨테이너 없음; 컨테이너: web (running, *:58081->8080/tcp)',
    );
    expect(toKorean('a running container named httpd-24-centos-7 from quay.io/centos7/httpd-24-centos7 publishing host port 58080 to container port 8080/tcp')).toBe(
      'quay.io/centos7/httpd-24-centos7 이미지로 만든 httpd-24-centos-7 컨테이너가 실행 중이고 호스트 포트 58080 을 컨테이너 포트 8080/tcp 로 공개',
    );
    expect(toKorean('/etc/containers/registries.conf sets ["docker.io"]')).toBe('/etc/containers/registries.conf 의 설정: ["docker.io"]');
    expect(toKorean('net.ipv4.ip_forward = 1 now, and set to 1 by a file under /etc/sysctl.d/ that wins at boot')).toContain('부팅 시');
  });

  it('a check may give both languages; plain strings of a new check still show', () => {
    const r = { ...base, found: 'the cluster has 2 nodes', foundText: { en: 'the cluster has 2 nodes', ko: '클러스터 노드 2개' }, expected: '3 nodes Ready' };
    expect(localize(r, 'ko')).toEqual({ found: '클러스터 노드 2개', expected: '3 nodes Ready' });
    expect(localize(r, 'en').found).toBe('the cluster has 2 nodes');
    expect(failureMessage({ ...r, hint: { en: 'kubeadm join', ko: 'kubeadm join 실행' } }, 'ko')).toBe('d1.x: 발견 클러스터 노드 2개; 기대 3 nodes Ready\n힌트: kubeadm join 실행');
  });

  it('results.json keeps both languages', () => {
    const r = { ...base, found: 'two nodes', foundText: { en: 'two nodes', ko: '노드 2개' }, expectedText: { en: 'three', ko: '3개' }, expected: 'three' };
    const run = {
      schema: 'labgrade/results@1' as const,
      day: 4,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:01:00.000Z',
      checks: [{ id: 'd1.x', day: 4, title: { en: 'x', ko: 'x' }, scope: 'all' as const, weight: 1, needs: [] }],
      students: [{ id: 's01', nodes: [{ name: 'node1', host: 'h' }] }],
      results: [r],
    };
    const back = readResultsJson(toResultsJson(run)).results[0]!;
    expect(localize(back, 'ko')).toEqual({ found: '노드 2개', expected: '3개' });
  });

  it('hostile node text: unchanged where no phrase matches; past 20 000 characters left as is', () => {
    const flood = `${'a '.repeat(12_000)}not installed`;
    expect(toKorean(flood)).toBe(flood);
    // no rule backtracks over unbounded node text (names are matched up to 200 characters): the value stays whole
    const out = toKorean(`${'x'.repeat(19_000)} not installed`);
    expect(out.startsWith('x'.repeat(19_000) + ' ')).toBe(true);
    expect(out.length).toBeLessThan(19_020);
    expect(toKorean('<script>alert(1)</script>')).toBe('<script>alert(1)</script>');
  });
});
