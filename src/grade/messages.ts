import { localize } from './localize.ts';
import type { CheckResult, Lang } from './types.ts';

const WORDS = {
  en: { found: 'found', expected: 'expected', hint: 'hint', blocked: 'BLOCKED: needs', first: 'to pass first', error: 'ERROR' },
  ko: { found: '발견', expected: '기대', hint: '힌트', blocked: '차단됨: 먼저 통과해야 함', first: '', error: '오류' },
} as const;

/** The one-paragraph explanation a student reads for a check that did not pass. */
export function failureMessage(r: CheckResult, lang: Lang): string {
  const w = WORDS[lang];
  switch (r.status) {
    case 'pass':
      return `${r.checkId}: ok`;
    case 'blocked':
      return `${r.checkId} ${w.blocked} ${r.blockedBy ?? '?'}${w.first ? ` ${w.first}` : ''}`;
    case 'error':
      return `${r.checkId} ${w.error} (${r.error?.kind ?? 'unknown'}): ${r.error?.message ?? ''}`;
    case 'fail': {
      const hint = r.hint ? `\n${w.hint}: ${r.hint[lang]}` : '';
      const { found, expected } = localize(r, lang);
      return `${r.checkId}: ${w.found} ${found ?? '?'}; ${w.expected} ${expected ?? '?'}${hint}`;
    }
  }
}

/** LANG=ko_KR.UTF-8 -> ko; anything else -> en. An explicit --lang wins. */
export function pickLang(explicit?: string): Lang {
  const v = (explicit ?? process.env.LABGRADE_LANG ?? process.env.LC_ALL ?? process.env.LC_MESSAGES ?? process.env.LANG ?? '').toLowerCase();
  return v.startsWith('ko') ? 'ko' : 'en';
}
