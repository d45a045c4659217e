/**
 * The live pages' HTML. The board's grid, infrastructure list and per-student details are cut out of
 * summary.html itself (toSummaryHtml), so the live grid is the day-end grid, look and escaping included;
 * what is new here (stuck view, counts over time, the student page) escapes every node string with the
 * reports' escapeHtml. Pages carry no inline script or style: the CSP allows only /assets.
 */
import { localize } from '../grade/localize.ts';
import type { CheckResult, Lang, RunResults } from '../grade/types.ts';
import { LABELS } from '../report/i18n.ts';
import { HTML_SYMBOL, toSummaryHtml } from '../report/html.ts';
import { buildGrid, formatPoints, percent } from '../report/model.ts';
import { clip, escapeHtml as e } from '../report/text.ts';
import type { Snapshot } from './grader.ts';

export const WORDS = {
  en: {
    board: (day: number) => `Day ${day}: live class board`,
    student: (day: number, id: string) => `Day ${day}: ${id}`,
    gradeClass: 'Grade the class now',
    gradeStudent: 'Grade student',
    gradeNode: 'Grade node',
    allNodes: 'all nodes',
    checkNow: 'Check now',
    checking: 'Checking…',
    wait: 'Next check possible in {s} s',
    notYet: 'Not graded yet: the first grading is under way.',
    live: 'live',
    offline: 'connection lost, reconnecting…',
    stuck: 'Stuck now',
    stuckChecks: 'Checks most students fail',
    stuckStudents: (m: number) => `No progress for ${m} min or more`,
    none: 'None.',
    overTime: 'Students passing each check, over time',
    graded: 'Last graded',
    running: 'grading…',
    node: 'Node',
    hidden: 'Hints are hidden (exam mode).',
    unreachable: 'could not be graded',
  },
  ko: {
    board: (day: number) => `${day}일차: 실시간 채점 현황`,
    student: (day: number, id: string) => `${day}일차: ${id}`,
    gradeClass: '지금 전체 채점',
    gradeStudent: '학생 채점',
    gradeNode: '노드 채점',
    allNodes: '모든 노드',
    checkNow: '지금 확인',
    checking: '확인 중…',
    wait: '{s}초 후에 다시 확인할 수 있습니다',
    notYet: '아직 채점 전입니다: 첫 채점이 진행 중입니다.',
    live: '실시간',
    offline: '연결 끊김, 다시 연결 중…',
    stuck: '막힌 곳',
    stuckChecks: '대부분의 학생이 실패하는 검사',
    stuckStudents: (m: number) => `${m}분 이상 진전이 없는 학생`,
    none: '없음.',
    overTime: '검사별 통과 학생 수 추이',
    graded: '마지막 채점',
    running: '채점 중…',
    node: '노드',
    hidden: '힌트가 숨겨져 있습니다 (시험 모드).',
    unreachable: '채점할 수 없음',
  },
} as const;

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** summary.html's own stylesheet, so the live grid looks exactly like the day-end one. */
export function summaryCss(sample: RunResults): string {
  const html = toSummaryHtml(sample, { lang: 'en' });
  return /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
}

function between(html: string, start: string, end: string): string {
  const i = html.indexOf(start);
  if (i < 0) return '';
  const j = html.indexOf(end, i);
  return j < 0 ? '' : html.slice(i, j + end.length);
}

export interface BoardFragments {
  grid: string;
  infra: string;
  students: string;
}

/** The grid, infra list and student details of summary.html for what is graded now. */
export function boardFragments(r: RunResults, lang: Lang, timeZone?: string): BoardFragments {
  if (!r.students.length) return { grid: `<p class="notyet">${e(WORDS[lang].notYet)}</p>`, infra: '', students: '' };
  const html = toSummaryHtml(r, { lang, timeZone });
  return {
    grid: between(html, '<div class="wrap">', '</table></div>'),
    infra: between(html, '<section id="infra">', '</section>'),
    students: between(html, '<section id="students">', '</section>'),
  };
}

/** Checks most students fail now, and students without progress for `stuckMinutes`. */
export function stuckHtml(r: RunResults, lang: Lang, lastProgress: Map<string, { at: number; score: number }>, stuckMinutes: number, now = Date.now()): string {
  const W = WORDS[lang];
  const grid = buildGrid(r);
  const rows: { failing: number; html: string }[] = [];
  for (const c of r.checks) {
    let failing = 0;
    let total = 0;
    for (const row of grid.rows) {
      const cells = [...row.cells.values()].filter((x) => x.column.check.id === c.id);
      if (!cells.length) continue;
      total++;
      if (cells.some((x) => x.status === 'fail' || x.status === 'blocked')) failing++;
    }
    if (total && failing * 2 > total) rows.push({ failing, html: `<li data-check="${e(c.id)}"><code>${e(c.id)}</code> ${e(c.title[lang])}: <b>${failing}/${total}</b></li>` });
  }
  // the worst first; a fresh class fails everything, and the first few say where the class is
  rows.sort((a, b) => b.failing - a.failing);
  const slow: string[] = [];
  for (const row of grid.rows) {
    const p = lastProgress.get(row.student.id);
    if (!p || row.total >= row.max) continue;
    const mins = Math.floor((now - p.at) / 60_000);
    if (mins >= stuckMinutes) {
      slow.push(`<li data-student="${e(row.student.id)}">${e(row.student.id)} ${e(row.student.name ?? '')}: ${formatPoints(row.total)}/${formatPoints(row.max)}, ${mins} min</li>`);
    }
  }
  return (
    `<h3>${e(W.stuckChecks)}</h3>${rows.length ? `<ul class="stuck-checks">${rows.slice(0, 8).map((x) => x.html).join('')}</ul>${rows.length > 8 ? `<p>+${rows.length - 8}</p>` : ''}` : `<p>${e(W.none)}</p>`}` +
    `<h3>${e(W.stuckStudents(stuckMinutes))}</h3>${slow.length ? `<ul class="stuck-students">${slow.join('')}</ul>` : `<p>${e(W.none)}</p>`}`
  );
}

/** One row per check: students passing it at each of the last runs, as numbers and a bar. */
export function seriesHtml(r: RunResults, series: Snapshot[], lang: Lang, timeZone?: string): string {
  const last = series.slice(-12);
  if (!last.length) return `<p>${e(WORDS[lang].none)}</p>`;
  // runs minutes apart or seconds apart (check now): the time to the second tells them apart
  const clock = new Intl.DateTimeFormat('sv-SE', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const head = last.map((s) => `<th scope="col">${e(clock.format(new Date(s.at)))}</th>`).join('');
  const body = r.checks.map((c) => {
    const tds = last.map((s) => {
      const v = s.counts[c.id];
      if (!v || !v.total) return '<td></td>';
      const pct = Math.round((v.pass / v.total) * 10) * 10;
      return `<td class="bar p${pct}" title="${v.pass}/${v.total}">${v.pass}</td>`;
    });
    return `<tr><th scope="row"><code>${e(c.id)}</code></th>${tds.join('')}</tr>`;
  });
  return `<div class="wrap"><table class="series"><thead><tr><th></th>${head}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

/** A student's own page body: their nodes, each check, found / expected / hint in their language. */
export function studentHtml(r: RunResults, student: string, lang: Lang, opts: { hints: boolean; timeZone?: string }): string {
  const L = LABELS[lang];
  const W = WORDS[lang];
  const s = r.students.find((x) => x.id === student);
  if (!s) return `<p class="notyet">${e(W.notYet)}</p>`;
  const titles = new Map(r.checks.map((c) => [c.id, c.title[lang]]));
  const grid = buildGrid({ ...r, students: [s], results: r.results.filter((x) => x.student === student) });
  const row = grid.rows[0];
  const pct = row ? percent(row.total, row.max) : undefined;
  const parts: string[] = [];
  if (row) parts.push(`<p class="total">${e(L.score)}: <b>${formatPoints(row.total)}/${formatPoints(row.max)}</b>${pct === undefined ? '' : ` (${pct}%)`}</p>`);
  if (!opts.hints) parts.push(`<p class="exam">${e(W.hidden)}</p>`);
  for (const n of s.nodes) {
    const results = r.results.filter((x) => x.student === student && x.node === n.name);
    parts.push(`<section class="node" data-node="${e(n.name)}"><h2>${e(W.node)} ${e(n.name)}</h2>`);
    if (n.infra) {
      parts.push(
        `<div class="item st-b-error infra" data-node="${e(n.name)}"><h4><span class="badge st-error">! ${e(L.status.error)}</span> ${e(n.name)} ${e(W.unreachable)}</h4>` +
          `<pre>${e(`${n.infra.kind}: ${n.infra.message}`)}</pre></div>`,
      );
    }
    for (const res of results) {
      if (n.infra && res.status === 'error') continue;
      parts.push(item(res, titles, lang, opts.hints));
    }
    parts.push('</section>');
  }
  return parts.join('');
}

function item(res: CheckResult, titles: Map<string, string>, lang: Lang, hints: boolean): string {
  const title = titles.get(res.checkId) ?? res.checkId;
  const L = LABELS[lang];
  const { found, expected } = localize(res, lang);
  const dl: string[] = [];
  if (res.status === 'blocked' && res.blockedBy) dl.push(`<dt>${e(L.statusLong.blocked)}</dt><dd class="blocked-by">${e(L.blockedBy(res.blockedBy, titles.get(res.blockedBy) ?? res.blockedBy))}</dd>`);
  if (res.status === 'error' && res.error) dl.push(`<dt>${e(L.status.error)}</dt><dd><pre>${e(`${res.error.kind}: ${res.error.message}`)}</pre></dd>`);
  if (res.status !== 'blocked') {
    if (found !== undefined) dl.push(`<dt>${e(L.found)}</dt><dd><pre class="found">${e(clip(found))}</pre></dd>`);
    if (expected !== undefined && res.status !== 'pass') dl.push(`<dt>${e(L.expected)}</dt><dd><pre class="expected">${e(clip(expected))}</pre></dd>`);
  }
  if (hints && res.hint && res.status === 'fail') dl.push(`<dt>${e(L.hint)}</dt><dd class="hint">${e(res.hint[lang])}</dd>`);
  const cls = res.status === 'pass' ? 'st-b-pass' : `st-b-${res.status}`;
  return (
    `<div class="item ${cls}" data-check="${e(res.checkId)}" data-node="${e(res.node)}" data-status="${res.status}">` +
    `<h4><span class="badge st-${res.status}">${HTML_SYMBOL[res.status]} ${e(L.status[res.status])}</span> ${e(res.checkId)}: ${e(title)}</h4>` +
    (dl.length ? `<dl>${dl.join('')}</dl>` : '') +
    `</div>`
  );
}

export interface PageOptions {
  kind: 'board' | 'student';
  lang: Lang;
  day: number;
  title: string;
  /** student ids and their nodes, for the board's "grade now" pickers */
  roster?: { id: string; nodes: string[] }[];
}

/** The page shell; the content arrives from /…/state, refreshed on every server-sent event. */
export function pageHtml(o: PageOptions): string {
  const W = WORDS[o.lang];
  const other: Lang = o.lang === 'en' ? 'ko' : 'en';
  const langSwitch = `<nav class="lang"><a href="?lang=en"${o.lang === 'en' ? ' aria-current="true"' : ''}>English</a> · <a href="?lang=ko"${o.lang === 'ko' ? ' aria-current="true"' : ''}>한국어</a></nav>`;
  const status = `<p class="live-status" id="live" data-l-live="${e(W.live)}" data-l-offline="${e(W.offline)}" data-l-running="${e(W.running)}" data-l-graded="${e(W.graded)}"></p>`;
  let main: string;
  if (o.kind === 'board') {
    const students = (o.roster ?? []).map((s) => `<option value="${e(s.id)}">${e(s.id)}</option>`).join('');
    const nodes = [...new Set((o.roster ?? []).flatMap((s) => s.nodes))].map((n) => `<option value="${e(n)}">${e(n)}</option>`).join('');
    main =
      `<div id="toolbar" class="live-tools"><button type="button" id="grade-class">${e(W.gradeClass)}</button>` +
      `<label>${e(W.gradeStudent)} <select id="pick-student">${students}</select></label>` +
      `<select id="pick-node" aria-label="${e(W.node)}"><option value="">${e(W.allNodes)}</option>${nodes}</select>` +
      `<button type="button" id="grade-one">${e(W.gradeNode)}</button><span id="ack" role="status"></span></div>` +
      `<div id="grid-box"></div><div id="infra-box"></div>` +
      `<div class="panels"><section id="stuck"><h2>${e(W.stuck)}</h2><div id="stuck-box"></div></section>` +
      `<section id="over-time"><h2>${e(W.overTime)}</h2><div id="series-box"></div></section></div>` +
      `<div id="students-box"></div>`;
  } else {
    main =
      `<div id="toolbar" class="live-tools"><button type="button" id="check-now" data-l-check="${e(W.checkNow)}" data-l-checking="${e(W.checking)}">${e(W.checkNow)}</button>` +
      `<span id="wait" role="status" data-tpl="${e(W.wait)}"></span></div><div id="me-box"></div>`;
  }
  return `<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(o.title)}</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body data-kind="${o.kind}" data-lang="${o.lang}" data-other-lang="${other}" data-day="${o.day}">
<header><h1>${e(o.title)}</h1>${langSwitch}${status}</header>
<main>${main}</main>
</body>
</html>
`;
}

export const EXTRA_CSS = `
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.4rem 1.2rem}
nav.lang a[aria-current]{font-weight:700;text-decoration:none;color:inherit}
.live-status{margin:0;color:#444}.live-status.off{color:#b00}
.live-tools button{padding:.25rem .7rem}
.item.st-b-pass{border-color:var(--pass)}
table.series{border-collapse:collapse;font-size:12px}table.series td,table.series th{border:1px solid #ccc;padding:1px 6px;text-align:right}
table.series td.bar{color:#000}
${Array.from({ length: 11 }, (_, i) => `table.series td.p${i * 10}{background:rgba(0,114,178,${(i / 10) * 0.8})}`).join('')}
div.panels{display:flex;flex-wrap:wrap;gap:0 3rem;align-items:flex-start}div.panels section{min-width:22rem}
#stuck h3{font-size:1rem;margin:.6rem 0 .3rem}#stuck ul{margin:.2rem 0;padding-left:1.2rem}
section.node{border:1px solid #ccc;border-radius:4px;margin:.6rem 0;padding:.2rem .8rem}
section.node h2{margin:.4rem 0}
p.notyet,p.exam{color:#444;font-style:italic}
.grid tr.running th.sid::after{content:" \\21bb";color:#0072B2}
`;

// The pages' one script: reads state as JSON, puts the server's (escaped) HTML in place, follows the event stream.
export const APP_JS = `(function(){
var d=document,b=d.body,kind=b.getAttribute('data-kind'),lang=b.getAttribute('data-lang');
var base=kind==='board'?'/board':'/me',live=d.getElementById('live');
function $(id){return d.getElementById(id);}
function set(id,html){var el=$(id);if(el&&typeof html==='string'&&el.innerHTML!==html)el.innerHTML=html;}
function post(url,body){return fetch(url,{method:'POST',credentials:'same-origin',headers:{'content-type':'application/json','x-labgrade':'1'},body:JSON.stringify(body||{})}).then(function(r){return r.json().then(function(j){j.status=r.status;return j;});});}
var waitUntil=0,timer=null;
function showWait(){var w=$('wait');if(!w)return;var s=Math.ceil((waitUntil-Date.now())/1000);
if(s>0){w.textContent=w.getAttribute('data-tpl').replace('{s}',String(s));}else{w.textContent='';}}
function load(){return fetch(base+'/state?lang='+lang,{credentials:'same-origin'}).then(function(r){if(!r.ok)throw new Error('HTTP '+r.status);return r.json();}).then(function(s){
b.setAttribute('data-version',String(s.version));
var when=s.graded?(live.getAttribute('data-l-graded')+': '+s.graded):'';
live.textContent=live.getAttribute('data-l-live')+(when?' · '+when:'')+(s.running&&s.running.length?' · '+live.getAttribute('data-l-running'):'');
live.className='live-status';
if(kind==='board'){set('grid-box',s.grid);set('stuck-box',s.stuck);set('series-box',s.series);set('infra-box',s.infra);set('students-box',s.students);
var run=s.running||[];[].forEach.call(d.querySelectorAll('#grid tbody tr'),function(tr){tr.classList.toggle('running',run.indexOf(tr.getAttribute('data-student'))>=0);});}
else{set('me-box',s.html);var btn=$('check-now');btn.disabled=!!s.running;btn.textContent=s.running?btn.getAttribute('data-l-checking'):btn.getAttribute('data-l-check');
if(typeof s.waitS==='number'&&s.waitS>0){waitUntil=Date.now()+s.waitS*1000;}showWait();}
b.setAttribute('data-loaded',String(s.version));
}).catch(function(){live.textContent=live.getAttribute('data-l-offline');live.className='live-status off';});}
var es=new EventSource(base+'/events');
es.addEventListener('update',function(){load();});
es.addEventListener('open',function(){load();});
es.addEventListener('error',function(){live.textContent=live.getAttribute('data-l-offline');live.className='live-status off';});
if(kind==='board'){
$('grade-class').addEventListener('click',function(){post('/board/grade',{}).then(function(j){$('ack').textContent=j.message||'';});});
$('grade-one').addEventListener('click',function(){var st=$('pick-student').value,n=$('pick-node').value;var body={student:st};if(n)body.node=n;
post('/board/grade',body).then(function(j){$('ack').textContent=j.message||'';});});}
else{$('check-now').addEventListener('click',function(){post('/me/check',{}).then(function(j){if(j.waitS){waitUntil=Date.now()+j.waitS*1000;showWait();}load();});});
setInterval(showWait,1000);}
load();
})();`;
