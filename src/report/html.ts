/**
 * summary.html: one self-contained page (inline CSS and JS, nothing fetched) that opens from disk offline.
 * Everything that came from a node is escaped, and a CSP allows only this file's own script (by hash),
 * so even an escaping slip could not run a student's `<script>`.
 */
import { createHash } from 'node:crypto';
import { perNode, type Lang, type RunResults } from '../grade/types.ts';
import type { HistoryInsight } from './history.ts';
import { outcomeKey } from './history.ts';
import { formatDate, LABELS } from './i18n.ts';
import { buildGrid, formatPoints, percent, type Cell, type CellStatus, type Row } from './model.ts';
import { clip, escapeHtml as e } from './text.ts';

/** Shapes differ as well as colours, so the grid reads in greyscale and for colour-blind readers. */
export const HTML_SYMBOL: Record<CellStatus, string> = { pass: '✓', fail: '✗', blocked: '⊘', error: '!', missing: '?' };

export interface HtmlOptions {
  lang: Lang;
  history?: HistoryInsight;
  /** IANA zone for dates shown (default: this machine's) */
  timeZone?: string;
  /** "generated" time shown in the header (default: now) */
  now?: Date;
}

// Okabe–Ito palette (blue / vermillion / yellow), distinguishable with the common colour-vision deficiencies.
const CSS = `
:root{--pass:#0072B2;--fail:#D55E00;--error:#F0E442;--ink:#1b1b1b;--line:#9a9a9a;
font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Noto Sans CJK KR","Malgun Gothic","Apple SD Gothic Neo","NanumGothic",sans-serif}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:1.2rem;color:var(--ink);background:#fff;line-height:1.45}
h1{font-size:1.5rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin:1.6rem 0 .5rem}
.meta{color:#444;margin:0 0 .8rem}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;margin:.6rem 0 1rem;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:.4rem}
.sw{display:inline-flex;justify-content:center;align-items:center;width:1.6em;height:1.6em;font-weight:700;border:1px solid var(--line)}
.wrap{overflow-x:auto}
table.grid{border-collapse:collapse;font-size:13px}
.grid th,.grid td{border:1px solid var(--line);padding:2px 5px}
.grid thead th{background:#f3f3f3;font-weight:600}
.grid th.v{vertical-align:bottom;padding:6px 2px}
.grid th.v span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
.grid th.sid,.grid td.name{text-align:left;white-space:nowrap}
.grid th.sid a{color:inherit}
.grid td.c{width:1.7em;min-width:1.7em;height:1.7em;text-align:center;font-weight:700;font-size:15px;padding:0;position:relative}
.grid td.c a{display:block;color:inherit;text-decoration:none;line-height:1.7em}
.grid td.na{background:#fff}
.grid td.score,.grid td.bynode,.grid td.byday{text-align:right;white-space:nowrap}
.grid td.bynode,.grid td.byday{font-size:12px;color:#333;text-align:left}
.grid tfoot td,.grid tfoot th{background:#f7f7f7;font-size:11px;text-align:center}
.grid th[data-sort]{cursor:pointer}
.st-pass{background:var(--pass);color:#fff}
.st-fail{background:var(--fail);color:#fff}
.st-blocked{background:repeating-linear-gradient(135deg,#d9d9d9 0 3px,#f5f5f5 3px 7px);color:#222}
.st-error{background:var(--error);color:#000}
.st-missing{background:#fff;color:#444;outline:1px dashed #444;outline-offset:-3px}
td.regressed{box-shadow:inset 0 0 0 3px #000}
td.regressed .reg{position:absolute;top:0;right:1px;font-size:9px;line-height:1;color:#fff;background:#000;padding:0 1px}
.badge{display:inline-block;padding:0 .45em;border-radius:3px;font-weight:700;font-size:.9em}
.badge.reg{background:#000;color:#fff}
ul.infra li{margin:.2rem 0}
details.checks{margin:0 0 .8rem}details.checks>summary{cursor:pointer}
table.key{border-collapse:collapse;font-size:13px;margin:.4rem 0}table.key td,table.key th{border:1px solid #ccc;padding:1px 6px;text-align:left}
details.student{border:1px solid #ccc;border-radius:4px;margin:.4rem 0;padding:.2rem .7rem}
details.student>summary{cursor:pointer;font-weight:600}
details.student .sum{font-weight:400;color:#444}
.item{border-left:6px solid #888;padding:.1rem .7rem;margin:.6rem 0}
.item.st-b-fail{border-color:var(--fail)}.item.st-b-blocked{border-color:#999}.item.st-b-error{border-color:#b8ab00}.item.st-b-missing{border-color:#444}
.item h4{margin:.2rem 0;font-size:1rem}
.item dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.3rem 0}
.item dt{font-weight:600;color:#333}.item dd{margin:0}
pre{margin:0;white-space:pre-wrap;word-break:break-word;background:#f6f6f6;padding:.25rem .4rem;border-radius:3px;font-family:ui-monospace,"DejaVu Sans Mono",Consolas,monospace;font-size:12.5px}
.passed{color:#333;font-size:.92em}
#toolbar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}
#toolbar input[type=search]{padding:.2rem .4rem;min-width:14rem}
[hidden]{display:none!important}
@media print{#toolbar{display:none}details.student{break-inside:avoid}}
`;

// Progressive: the page is complete without it; it adds a filter, sorting, and opens details on a cell click.
const JS = `(function(){
var d=document,b=d.body,grid=d.getElementById('grid');if(!grid)return;
d.documentElement.setAttribute('data-js','on');
var tb=grid.tBodies[0],rows=[].slice.call(tb.rows),total=rows.length;
var bar=d.createElement('div');bar.id='toolbar';
var q=d.createElement('input');q.type='search';q.placeholder=b.getAttribute('data-l-filter');q.setAttribute('aria-label',q.placeholder);
var lab=d.createElement('label'),only=d.createElement('input');only.type='checkbox';lab.appendChild(only);lab.appendChild(d.createTextNode(' '+b.getAttribute('data-l-only')));
var exp=d.createElement('button');exp.type='button';exp.textContent=b.getAttribute('data-l-expand');
var count=d.createElement('span');count.id='shown';
bar.appendChild(q);bar.appendChild(lab);bar.appendChild(exp);bar.appendChild(count);
grid.parentNode.parentNode.insertBefore(bar,grid.parentNode);
function apply(){var t=q.value.trim().toLowerCase(),n=0;rows.forEach(function(r){
var hit=(!t||(r.getAttribute('data-search')||'').indexOf(t)>=0)&&(!only.checked||r.getAttribute('data-problems')!=='0');
r.hidden=!hit;var det=d.getElementById(r.getAttribute('data-details'));if(det)det.hidden=!hit;if(hit)n++;});
count.textContent=n+' / '+total;count.setAttribute('data-shown',String(n));}
q.addEventListener('input',apply);only.addEventListener('change',apply);
exp.addEventListener('click',function(){var ds=d.querySelectorAll('details.student'),open=!ds[0]||!ds[0].open;
for(var i=0;i<ds.length;i++)ds[i].open=open;});
[].forEach.call(grid.querySelectorAll('th[data-sort]'),function(th){th.addEventListener('click',function(){
var key=th.getAttribute('data-sort'),dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
[].forEach.call(grid.querySelectorAll('th[aria-sort]'),function(o){o.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir>0?'ascending':'descending');
rows.sort(function(a,c){var x=a.getAttribute('data-'+key),y=c.getAttribute('data-'+key);
var nx=parseFloat(x),ny=parseFloat(y);var r=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,undefined,{numeric:true});return r*dir;});
rows.forEach(function(r){tb.appendChild(r);});});});
function reveal(){var id=decodeURIComponent(location.hash.slice(1));var t=id&&d.getElementById(id);if(!t)return;
var det=t.closest('details');if(det)det.open=true;t.scrollIntoView();}
window.addEventListener('hashchange',reveal);reveal();apply();
})();`;

export const SCRIPT_HASH = `sha256-${createHash('sha256').update(JS, 'utf8').digest('base64')}`;

export function toSummaryHtml(r: RunResults, opts: HtmlOptions): string {
  const { lang, history } = opts;
  const L = LABELS[lang];
  const grid = buildGrid(r);
  const date = (iso: string): string => formatDate(iso, opts.timeZone);
  const hist = (row: Row, cell: Cell) =>
    cell.result && history?.outcomes.get(outcomeKey(row.student.id, cell.result.node, cell.result.checkId));
  const showDays = history !== undefined && [...history.days.values()].some((ds) => ds.some((x) => !x.current));
  const cellId = (ri: number, ci: number): string => `st-${ri}-c-${ci}`;

  // Header: a check on every node spans one sub-column per node.
  const head1: string[] = [
    `<th rowspan="2" scope="col" data-sort="student">${e(L.student)}</th>`,
    `<th rowspan="2" scope="col" data-sort="name">${e(L.name)}</th>`,
  ];
  const head2: string[] = [];
  for (const check of r.checks) {
    const title = e(`${check.id}: ${check.title[lang]}`);
    const cols = grid.columns.filter((c) => c.check === check);
    if (perNode(check.scope)) {
      head1.push(`<th class="v check" colspan="${cols.length}" scope="colgroup" title="${title}"><span>${e(check.id)}</span></th>`);
      for (const c of cols) head2.push(`<th class="v node" scope="col" title="${e(c.key)}"><span>${e(c.node ?? '')}</span></th>`);
    } else {
      head1.push(`<th class="v check" rowspan="2" scope="col" title="${title}"><span>${e(check.id)}</span></th>`);
    }
  }
  head1.push(`<th rowspan="2" scope="col" data-sort="score">${e(L.score)}</th>`, `<th rowspan="2" scope="col">${e(L.byNode)}</th>`);
  if (showDays) head1.push(`<th rowspan="2" scope="col">${e(L.byDay)}</th>`);

  const body = grid.rows.map((row, ri) => {
    const problems = [...row.cells.values()].filter((c) => c.status !== 'pass').length;
    const pct = percent(row.total, row.max);
    const tds = grid.columns.map((col, ci) => {
      const cell = row.cells.get(col.key);
      if (!cell) return `<td class="na" title="${e(`${col.key}: ${L.notApplicable}`)}"></td>`;
      const node = cell.result?.node ?? col.node ?? '';
      const h = hist(row, cell);
      const tip = [`${col.key}${col.node ? '' : ` @${node}`}: ${L.status[cell.status]}`];
      if (h?.regressed) tip.push(L.regressedLong(date(h.lastPassed ?? '')));
      if (h?.firstPassed && cell.status === 'pass') tip.push(L.firstPassed(date(h.firstPassed)));
      const reg = h?.regressed ? ' regressed' : '';
      return (
        `<td class="c st-${cell.status}${reg}" data-student="${e(row.student.id)}" data-node="${e(node)}" ` +
        `data-check="${e(col.check.id)}" data-status="${cell.status}"${h?.regressed ? ' data-regressed="1"' : ''} title="${e(tip.join('\n'))}">` +
        `<a href="#${cell.status === 'pass' ? `st-${ri}` : cellId(ri, ci)}">${HTML_SYMBOL[cell.status]}</a>` +
        `${h?.regressed ? '<span class="reg" aria-hidden="true">R</span>' : ''}</td>`
      );
    });
    const byNode = [...row.byNode]
      .map(([n, s]) => `${e(n)} ${formatPoints(s.score)}/${formatPoints(s.max)}${row.infra.some((x) => x.name === n) ? ' !' : ''}`)
      .join('<br>');
    const days = history?.days.get(row.student.id) ?? [];
    const byDay = days
      .map((x) => `D${x.day} ${formatPoints(x.score)}/${formatPoints(x.max)}${x.current ? '' : ` <small>(${e(date(x.at))})</small>`}`)
      .join('<br>');
    const search = `${row.student.id} ${row.student.name ?? ''}`.toLowerCase();
    return (
      `<tr data-student="${e(row.student.id)}" data-name="${e(row.student.name ?? '')}" data-score="${pct ?? 0}" ` +
      `data-problems="${problems}" data-search="${e(search)}" data-details="st-${ri}">` +
      `<th scope="row" class="sid"><a href="#st-${ri}">${e(row.student.id)}</a></th><td class="name">${e(row.student.name ?? '')}</td>` +
      tds.join('') +
      `<td class="score"><b>${formatPoints(row.total)}/${formatPoints(row.max)}</b>${pct === undefined ? '' : `<br><small>${pct}%</small>`}</td>` +
      `<td class="bynode">${byNode}</td>${showDays ? `<td class="byday">${byDay}</td>` : ''}</tr>`
    );
  });

  const rates = grid.columns.map((col) => {
    let pass = 0;
    let n = 0;
    for (const row of grid.rows) {
      const cell = row.cells.get(col.key);
      if (!cell) continue;
      n++;
      if (cell.status === 'pass') pass++;
    }
    return `<td title="${e(col.key)}">${pass}/${n}</td>`;
  });
  const foot = `<tr><th colspan="2" scope="row">${e(L.passRate)}</th>${rates.join('')}<td colspan="${showDays ? 3 : 2}"></td></tr>`;

  const legendItems = (['pass', 'fail', 'blocked', 'error'] as const).map(
    (s) => `<li><span class="sw st-${s}">${HTML_SYMBOL[s]}</span>${e(L.statusLong[s])}</li>`,
  );
  if (grid.rows.some((row) => [...row.cells.values()].some((c) => c.status === 'missing'))) {
    legendItems.push(`<li><span class="sw st-missing">${HTML_SYMBOL.missing}</span>${e(L.statusLong.missing)}</li>`);
  }
  if (history) legendItems.push(`<li><span class="sw" style="box-shadow:inset 0 0 0 3px #000">R</span>${e(L.regressed)}</li>`);

  const checkKey =
    `<details class="checks"><summary>${e(L.checkKey)} (${r.checks.length})</summary><table class="key"><thead><tr>` +
    `<th>id</th><th>${e(L.name)}</th><th>${e(L.points)}</th><th>${e(L.nodes)}</th><th>${e(L.needs)}</th></tr></thead><tbody>` +
    r.checks
      .map((c) => `<tr><td><code>${e(c.id)}</code></td><td>${e(c.title[lang])}</td><td>${formatPoints(c.weight)}</td><td>${e(L.scope[c.scope])}</td><td>${e(c.needs.join(', '))}</td></tr>`)
      .join('') +
    `</tbody></table></details>`;

  const infra = grid.rows.flatMap((row) =>
    row.infra.map((n) => {
      const count = [...row.cells.values()].filter((c) => c.result?.node === n.name && c.status === 'error').length;
      return `<li class="infra-node" data-student="${e(row.student.id)}" data-node="${e(n.name)}"><span class="sw st-error">!</span> ${e(
        L.infraLine(row.student.id, n.name, n.host, n.infra?.kind ?? '', n.infra?.message ?? '', count),
      )}</li>`;
    }),
  );

  const details = grid.rows.map((row, ri) => studentDetails(r, row, ri, opts, grid.columns.map((c) => c.key)));

  const meta = [
    `${L.run}: ${date(r.startedAt)} – ${date(r.finishedAt)}`,
    L.students(grid.rows.length),
    L.checks(r.checks.length),
    `${L.generated}: ${date((opts.now ?? new Date()).toISOString())}`,
  ];

  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="labgrade">
<title>${e(L.title(r.day))}</title>
<style>${CSS}</style>
</head>
<body data-day="${r.day}" data-l-filter="${e(L.filter)}" data-l-only="${e(L.onlyProblems)}" data-l-expand="${e(L.expandAll)}">
<header><h1>${e(L.title(r.day))}</h1><p class="meta">${meta.map(e).join(' · ')}</p></header>
<ul class="legend" aria-label="${e(L.legend)}">${legendItems.join('')}</ul>
${checkKey}
<div class="wrap"><table class="grid" id="grid">
<thead><tr>${head1.join('')}</tr><tr>${head2.join('')}</tr></thead>
<tbody>
${body.join('\n')}
</tbody>
<tfoot>${foot}</tfoot>
</table></div>
<section id="infra"><h2>${e(L.infraHeading)}</h2>${infra.length ? `<ul class="infra">${infra.join('')}</ul>` : `<p>${e(L.noInfra)}</p>`}</section>
<section id="students"><h2>${e(L.failuresHeading)}</h2>
${details.join('\n')}
</section>
<script>${JS}</script>
</body>
</html>
`;
}

function studentDetails(r: RunResults, row: Row, ri: number, opts: HtmlOptions, keys: string[]): string {
  const { lang, history } = opts;
  const L = LABELS[lang];
  const date = (iso: string): string => formatDate(iso, opts.timeZone);
  const pct = percent(row.total, row.max);
  const cells = [...row.cells.values()];
  const counts = (['fail', 'blocked', 'error', 'missing'] as const)
    .map((s) => [s, cells.filter((c) => c.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${HTML_SYMBOL[s]} ${n} ${L.status[s]}`);
  const who = `${row.student.id}${row.student.name ? ` ${row.student.name}` : ''}`;
  const parts: string[] = [];
  parts.push(
    `<p>${e(L.score)}: <b>${formatPoints(row.total)}/${formatPoints(row.max)}</b>${pct === undefined ? '' : ` (${pct}%)`} · ${e(L.byNode)}: ${[
      ...row.byNode,
    ]
      .map(([n, s]) => `${e(n)} ${formatPoints(s.score)}/${formatPoints(s.max)}`)
      .join(', ')}</p>`,
  );
  const infraNodes = new Set(row.infra.map((n) => n.name));
  for (const n of row.infra) {
    const count = cells.filter((c) => c.result?.node === n.name && c.status === 'error').length;
    parts.push(
      `<div class="item st-b-error"><h4><span class="badge st-error">! ${e(L.status.error)}</span> ${e(n.name)} (${e(n.host)})</h4>` +
        `<pre>${e(`${n.infra?.kind ?? ''}: ${n.infra?.message ?? ''}`)}</pre><p>${e(L.infraCovered(count))}</p></div>`,
    );
  }
  const problems = cells.filter((c) => c.status !== 'pass');
  if (problems.length === 0) parts.push(`<p>${e(L.allPassed)}</p>`);
  for (const cell of problems) {
    const node = cell.result?.node ?? cell.column.node;
    if (cell.status === 'error' && node !== undefined && infraNodes.has(node)) continue;
    const ci = keys.indexOf(cell.column.key);
    const h = cell.result && history?.outcomes.get(outcomeKey(row.student.id, cell.result.node, cell.result.checkId));
    const res = cell.result;
    const dl: string[] = [];
    if (cell.status === 'blocked' && res?.blockedBy) {
      const pre = r.checks.find((c) => c.id === res.blockedBy);
      dl.push(`<dt>${e(L.statusLong.blocked)}</dt><dd class="blocked-by" data-blocked-by="${e(res.blockedBy)}">${e(L.blockedBy(res.blockedBy, pre?.title[lang] ?? res.blockedBy))}</dd>`);
    }
    if (cell.status === 'error' && res?.error) dl.push(`<dt>${e(L.status.error)}</dt><dd><pre>${e(`${res.error.kind}: ${res.error.message}`)}</pre></dd>`);
    if (res?.found !== undefined) dl.push(`<dt>${e(L.found)}</dt><dd><pre class="found">${e(clip(res.found))}</pre></dd>`);
    if (res?.expected !== undefined) dl.push(`<dt>${e(L.expected)}</dt><dd><pre class="expected">${e(clip(res.expected))}</pre></dd>`);
    if (res?.hint && cell.status !== 'blocked') dl.push(`<dt>${e(L.hint)}</dt><dd class="hint">${e(res.hint[lang])}</dd>`);
    if (h?.firstPassed) dl.push(`<dt>${e(L.passedChecks)}</dt><dd>${e(L.firstPassed(date(h.firstPassed)))}</dd>`);
    parts.push(
      `<div class="item st-b-${cell.status}" id="st-${ri}-c-${ci}" data-check="${e(cell.column.check.id)}" data-node="${e(node ?? '')}" data-status="${cell.status}">` +
        `<h4><span class="badge st-${cell.status}">${HTML_SYMBOL[cell.status]} ${e(L.status[cell.status])}</span> ` +
        `${e(cell.column.check.id)}${node !== undefined ? ` @${e(node)}` : ''}: ${e(cell.column.check.title[lang])}` +
        `${h?.regressed ? ` <span class="badge reg">${e(L.regressedLong(date(h.lastPassed ?? '')))}</span>` : ''}</h4>` +
        (dl.length ? `<dl>${dl.join('')}</dl>` : '') +
        `</div>`,
    );
  }
  const passed = cells.filter((c) => c.status === 'pass');
  if (passed.length) {
    const items = passed.map((c) => {
      const h = c.result && history?.outcomes.get(outcomeKey(row.student.id, c.result.node, c.result.checkId));
      return `${e(c.column.key)}${h?.firstPassed ? ` <small>(${e(L.firstPassed(date(h.firstPassed)))})</small>` : ''}`;
    });
    parts.push(`<p class="passed">${HTML_SYMBOL.pass} ${e(L.passedChecks)}: ${items.join(', ')}</p>`);
  }
  return (
    `<details class="student" id="st-${ri}" data-student="${e(row.student.id)}"><summary>${e(who)} ` +
    `<span class="sum">${formatPoints(row.total)}/${formatPoints(row.max)}${counts.length ? ` · ${e(counts.join(' · '))}` : ''}</span></summary>` +
    parts.join('') +
    `</details>`
  );
}

