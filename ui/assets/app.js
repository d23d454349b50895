// exp ui: a single-page app over the JSON API of `exp ui`. No framework, no
// build step; the charts are uPlot (vendor/). Every text from the server
// goes into the DOM as text (textContent or text nodes), never as HTML.
'use strict';
(() => {
  const CSRF = (document.querySelector('meta[name="csrf"]') || {}).content || '';
  const app = document.getElementById('app');
  const STATUSES = ['running', 'completed', 'aborted', 'failed', 'incomplete', 'imported'];
  const COLORS = ['#1f6fb4', '#d62728', '#2a9d3a', '#ef7f0e', '#8a5bbd', '#8c564b', '#d8589f', '#17a2b8', '#6c6c6c', '#a5a514'];
  const FIELD_GROUPS = ['plan', 'target', 'load', 'open', 'requests', 'other'];
  const GROUP_TITLES = { plan: 'Plan: variants × load levels', target: 'Target', load: 'Load (closed model)', open: 'Open model', requests: 'Requests', other: 'Other' };
  // The form's fields come in this order within their fieldset; others follow.
  const FIELD_ORDER = ['variant', 'url', 'pool-size', 'queue', 'users', 'spawn-rate', 'duration', 'stages', 'rate', 'rate-stages',
    'arrivals', 'max-inflight', 'tasks', 'wait', 'timeout', 'keepalive', 'scenario', 'locustfile', 'name', 'threshold'];

  // ---- DOM and formatting helpers ----

  // h builds an element: attrs are attributes (on* are listeners; checked,
  // disabled, hidden and value are properties); children are nodes or
  // strings, which become text nodes.
  function h(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else if (k === 'checked' || k === 'disabled' || k === 'hidden') e[k] = !!v;
      else if (k === 'value') e.value = v == null ? '' : String(v);
      else if (k === 'class') e.className = v;
      else if (v != null && v !== false) e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const k of kids.flat(Infinity)) {
      if (k != null && k !== false) e.append(k instanceof Node ? k : String(k));
    }
    return e;
  }
  const enc = encodeURIComponent;
  const isNum = v => typeof v === 'number' && Number.isFinite(v);
  const fmtInt = v => (isNum(v) ? String(Math.round(v)) : '–');
  const fmtFix = (v, d = 1) => (isNum(v) ? v.toFixed(d) : '–');
  function fmtMs(v) {
    if (!isNum(v)) return '–';
    const a = Math.abs(v);
    return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
  }
  const fmtSigned = (v, d = 1) => (isNum(v) ? (v > 0 ? '+' : '') + v.toFixed(d) : '–');
  function fmtTime(s) {
    const d = new Date(s);
    if (!s || Number.isNaN(d.getTime())) return s || '';
    const p = n => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }
  const table = (attrs, heads, rows) => h('table', Object.assign({ class: 'grid' }, attrs),
    h('thead', {}, h('tr', {}, heads.map(t => h('th', {}, t)))), h('tbody', {}, rows));
  const errorBox = (e) => h('p', { class: 'error', role: 'alert' }, e && e.message ? e.message : String(e));
  const statusBadge = (s, id) => h('span', { class: `badge status-${s}`, id }, s || '?');

  // ---- the API ----

  class ApiError extends Error {
    constructor(message, status, field) { super(message); this.status = status; this.field = field || ''; }
  }
  // request calls the API. A POST sends JSON with the CSRF token; an error
  // answer's {"error","field"} becomes an ApiError.
  async function request(method, path, body) {
    const opts = { method, headers: { Accept: 'application/json' } };
    if (method !== 'GET') {
      opts.headers['Content-Type'] = 'application/json';
      opts.headers['X-CSRF-Token'] = CSRF;
      opts.body = JSON.stringify(body || {});
    }
    let res;
    try { res = await fetch(path, opts); } catch (e) {
      throw new ApiError(`cannot reach the exp ui server (${e.message})`, 0);
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    if (!res.ok) {
      const msg = data && typeof data.error === 'string' ? data.error
        : `${res.status} ${res.statusText}${text ? ': ' + text.trim().split('\n')[0].slice(0, 200) : ''}`;
      throw new ApiError(msg, res.status, data && data.field);
    }
    return data;
  }
  const get = path => request('GET', path);
  const post = (path, body) => request('POST', path, body);

  // ---- pages and their clean-up ----

  let generation = 0;
  let cleanups = [];
  const onLeave = fn => cleanups.push(fn);
  // route renders the page of location.hash; a page's async work checks
  // alive() so that a page left meanwhile draws nothing.
  function route() {
    for (const fn of cleanups.splice(0)) { try { fn(); } catch (_) { /* ignore */ } }
    const gen = ++generation;
    const alive = () => gen === generation;
    const hash = location.hash.replace(/^#/, '') || '/';
    const q = hash.indexOf('?');
    const path = q < 0 ? hash : hash.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
    for (const a of document.querySelectorAll('nav a')) {
      a.classList.toggle('active', (a.dataset.nav === 'runs' && path === '/') || (a.dataset.nav === 'new' && path === '/new') || (a.dataset.nav === 'new-plan' && path === '/new-plan'));
    }
    app.replaceChildren();
    let m;
    if (path === '/' || path === '') return pageRuns(alive);
    if (path === '/new') return pageNew(alive, 'run', '');
    if (path === '/new-plan') return pageNew(alive, 'plan', params.get('from') || '');
    if ((m = path.match(/^\/run\/(.+)$/))) return pageRun(decodeURIComponent(m[1]), alive);
    if (path === '/compare') return pageCompare((params.get('names') || '').split(',').map(s => s.trim()).filter(Boolean), alive);
    if ((m = path.match(/^\/plan\/(.+)$/))) return pagePlan(decodeURIComponent(m[1]), alive);
    document.title = 'exp ui';
    app.append(h('h1', {}, 'Not found'), h('p', {}, 'No page at ', h('code', {}, location.hash), '. ', h('a', { href: '#/' }, 'Runs')));
  }

  // ---- Runs ----

  function pageRuns(alive) {
    document.title = 'Runs · exp ui';
    const selected = []; // run and group names, in the order they were ticked
    let data = null, timer = 0;
    const filter = h('input', { id: 'filter', type: 'search', placeholder: 'filter: name, target, load', oninput: render });
    const status = h('select', { id: 'status-filter', onchange: render },
      h('option', { value: '' }, 'any status'), STATUSES.map(s => h('option', { value: s }, s)));
    const compareBtn = h('button', { id: 'compare-selected', type: 'button', disabled: true, onclick: () => {
      location.hash = '#/compare?names=' + selected.map(enc).join(',');
    } }, 'Compare selected');
    const note = h('span', { class: 'muted', id: 'compare-note' });
    const err = h('div', { id: 'runs-error' });
    const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
    app.append(h('h1', {}, 'Runs'), h('div', { class: 'toolbar' }, filter, status, compareBtn, note), err, body);
    onLeave(() => clearTimeout(timer));

    function tick(name, on) {
      const i = selected.indexOf(name);
      if (on && i < 0) selected.push(name);
      if (!on && i >= 0) selected.splice(i, 1);
      compareBtn.disabled = selected.length < 2;
      note.textContent = selected.length === 0 ? 'tick two or more runs or groups to compare; the first ticked is the baseline'
        : `baseline ${selected[0]}` + (selected.length > 1 ? `, against ${selected.slice(1).join(', ')}` : '');
    }
    const box = (attr, name) => h('input', { type: 'checkbox', [attr]: name, checked: selected.includes(name),
      'aria-label': 'select ' + name, onchange: e => tick(name, e.target.checked) });

    function runRow(r) {
      const fails = `${fmtInt(r.failures)}` + (isNum(r.fail_pct) && r.failures ? ` (${fmtFix(r.fail_pct, 2)}%)` : '');
      const none = r.status === 'running' && !r.requests; // figures come when it ends
      const fig = (f, v) => h('td', { class: 'num' }, none ? '–' : f(v));
      return h('tr', { 'data-run': r.name, class: r.failures ? 'has-failures' : '' },
        h('td', {}, box('data-name', r.name)),
        h('td', {}, h('a', { href: '#/run/' + enc(r.name) }, r.name), h('div', { class: 'muted small' }, fmtTime(r.started_at))),
        h('td', { class: 'status' }, statusBadge(r.status)),
        h('td', {}, r.target || ''), h('td', { class: 'load' }, r.load || ''),
        fig(fmtInt, r.requests), fig(v => fmtFix(v, 1), r.rps), fig(fmtMs, r.p95_ms), fig(() => fails),
        h('td', {}, r.verdict || ''), h('td', {}, r.group || ''));
    }
    function render() {
      if (!data) return;
      const text = filter.value.trim().toLowerCase(), st = status.value;
      const runs = (data.runs || []).filter(r => (!st || r.status === st) &&
        (!text || [r.name, r.target, r.load].some(s => String(s || '').toLowerCase().includes(text))));
      const heads = ['', 'Name', 'Status', 'Target', 'Load', 'Requests', 'RPS', 'p95 ms', 'Failures', 'Verdict', 'Group'];
      const parts = [table({ id: 'runs' }, heads, runs.map(runRow))];
      if (!(data.runs || []).length) parts.push(h('p', { class: 'muted' }, 'No runs yet: ', h('a', { href: '#/new' }, 'start one'), '.'));
      else if (!runs.length) parts.push(h('p', { class: 'muted' }, 'No run matches the filter.'));
      const groups = data.groups || [];
      if (groups.length) {
        parts.push(h('h2', {}, 'Groups'), table({ id: 'groups' }, ['', 'Group', 'Kind', 'Runs'], groups.map(g =>
          h('tr', {}, h('td', {}, box('data-group', g.name)), h('td', {}, g.name), h('td', {}, g.kind || ''),
            h('td', {}, (g.runs || []).map((n, i) => [i ? ', ' : '', h('a', { href: '#/run/' + enc(n) }, n)]))))));
      }
      const plans = data.plans || [];
      if (plans.length) {
        parts.push(h('h2', {}, 'Plans'), h('ul', { id: 'plans' }, plans.map(p =>
          h('li', {}, h('a', { href: '#/plan/' + enc(p.name) }, p.name), ' ', statusBadge(p.status)))));
      }
      body.replaceChildren(...parts);
    }
    async function load() {
      try {
        const d = await get('/api/runs');
        if (!alive()) return;
        data = d;
        err.replaceChildren();
        render();
      } catch (e) {
        if (!alive()) return;
        err.replaceChildren(errorBox(e));
      }
      if (data && (data.runs || []).some(r => r.status === 'running')) timer = setTimeout(load, 2000);
    }
    tick('', false);
    load();
  }

  // ---- charts (uPlot) ----

  const charts = new Set();
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => charts.forEach(c => c.fit()), 100);
  });

  // makeChart draws a uPlot chart into el: series [{label, scale, color,
  // fmt, dash, points}] after x, on the y axis (yLabel) or, for those
  // whose scale is y2Scale, on a second one at the right (y2Label); data()
  // gives [xs, ys...] at each refresh. The element's data-points says how
  // many x points are drawn. A zoom (drag) stays while points come in.
  function makeChart(el, { title, xLabel, series, yLabel, y2Label, y2Scale, xAxis, data, empty }) {
    const yScale = series[0].scale || 'y';
    const axes = [Object.assign({ label: xLabel || 'seconds', grid: { stroke: '#eee' } }, xAxis || {}),
      { scale: yScale, label: yLabel, grid: { stroke: '#eee' }, size: axisSize }];
    if (y2Scale) axes.push({ scale: y2Scale, label: y2Label, side: 1, grid: { show: false }, size: axisSize });
    const opts = {
      title, width: 600, height: 260,
      scales: { x: { time: false } },
      cursor: { drag: { x: true, y: false } },
      series: [{ label: xLabel || 's', value: (u, v) => (v == null ? '–' : (xAxis && xAxis.fmt ? xAxis.fmt(v) : String(+v.toFixed(3)))) }]
        .concat(series.map((s, i) => ({
          label: s.label, scale: s.scale || 'y', stroke: s.color || COLORS[i % COLORS.length], width: s.width || 1.5,
          dash: s.dash, spanGaps: true, points: { show: s.points || false, size: 5 },
          value: (u, v) => (v == null ? '–' : (s.fmt || (x => String(+x.toFixed(2))))(v)),
        }))),
      axes,
    };
    const wrap = h('div', { class: 'uplot-wrap' });
    const msg = h('p', { class: 'muted small chart-note' });
    el.replaceChildren(wrap, msg);
    let u = null;
    const c = {
      refresh() {
        const d = data().map(col => col.slice()); // uPlot keeps what it is given
        if (!u) u = new uPlot(opts, d, wrap);
        else {
          const xs = u.data[0], sx = u.scales.x; // as drawn so far
          const zoomed = xs.length > 1 && sx.min != null && (sx.min > xs[0] || sx.max < xs[xs.length - 1]);
          u.setData(d, !zoomed);
        }
        el.setAttribute('data-points', String(d[0].length));
        msg.textContent = d[0].length ? 'drag to zoom, double-click to reset' : (empty || 'no data');
      },
      fit() { if (u) u.setSize({ width: Math.max(300, el.clientWidth - 4), height: 260 }); },
      destroy() { if (u) u.destroy(); u = null; charts.delete(c); },
    };
    opts.width = Math.max(300, el.clientWidth - 4);
    c.refresh();
    charts.add(c);
    return c;
  }

  // axisSize makes a y axis as wide as its longest tick label.
  function axisSize(u, values, i, cycle) {
    const ax = u.axes[i];
    if (cycle > 1) return ax._size;
    let w = 0;
    if (values) {
      u.ctx.font = ax.font[0];
      for (const v of values) w = Math.max(w, u.ctx.measureText(String(v)).width);
    }
    return Math.ceil(ax.ticks.size + ax.gap + w / (window.devicePixelRatio || 1)) + 4;
  }

  // overlay joins per-run [xs, ys] tables onto one x (uPlot.join) for a
  // chart with one line per run.
  function overlay(tables) {
    const idx = tables.map((t, i) => (t[0].length ? i : -1)).filter(i => i >= 0);
    if (!idx.length) return [[]].concat(tables.map(() => []));
    const joined = uPlot.join(idx.map(i => tables[i]));
    const out = [joined[0]];
    tables.forEach((t, i) => { const j = idx.indexOf(i); out.push(j >= 0 ? joined[j + 1] : joined[0].map(() => null)); });
    return out;
  }

  // ---- a run ----

  function pageRun(name, alive) {
    document.title = `${name} · exp ui`;
    let es = null, retry = 0;
    let view = { charts: [] };
    const drop = () => { view.charts.forEach(c => c.destroy()); view.charts = []; };
    onLeave(() => { if (es) es.close(); clearTimeout(retry); drop(); });

    async function load() {
      let d;
      try { d = await get('/api/runs/' + enc(name)); } catch (e) {
        if (alive()) app.replaceChildren(h('h1', {}, name), errorBox(e));
        return;
      }
      if (!alive()) return;
      drop();
      view = renderRun(name, d);
      // After the load event: a stream opened before it would hold the
      // page "loading" for as long as the run goes on.
      if (d.run && d.run.status === 'running') {
        if (document.readyState === 'complete') connect();
        else window.addEventListener('load', () => alive() && connect(), { once: true });
      }
    }
    // connect follows the run's /live stream until its end event, then
    // loads the finished run once.
    function connect() {
      if (es) es.close();
      es = new EventSource('/api/runs/' + enc(name) + '/live');
      es.onmessage = ev => {
        let d;
        try { d = JSON.parse(ev.data); } catch (_) { return; }
        if (alive()) view.live(d);
      };
      es.addEventListener('end', () => { es.close(); es = null; if (alive()) load(); });
      es.onerror = () => {
        if (es && es.readyState === EventSource.CLOSED) { es = null; retry = setTimeout(() => alive() && load(), 2000); }
      };
    }
    load();
  }

  // seriesOf copies the API's series into arrays that live points extend.
  function seriesOf(s) {
    s = s || {};
    const a = k => (Array.isArray(s[k]) ? s[k].slice() : []);
    const t = a('t'), rps = a('rps'), fail = a('failures_per_s');
    let ok = a('successes_per_s');
    if (!ok.length && rps.length) ok = rps.map((v, i) => (isNum(v) ? v - (fail[i] || 0) : null));
    return { t, ok, rps, fail, load: a('load'), p50: a('p50_ms'), p95: a('p95_ms'), p99: a('p99_ms'), loadLabel: s.load_label || 'load' };
  }

  function renderRun(name, d) {
    const run = d.run || {}, agg = d.aggregated || null;
    const S = seriesOf(d.series);
    const running = run.status === 'running';
    const requests = h('span', { id: 'run-requests' }, fmtInt(agg ? agg.requests : run.requests));
    const rps = h('span', { id: 'run-rps' }, fmtFix(agg ? agg.rps : run.rps, 1));
    const p95 = h('span', { id: 'run-p95' }, fmtMs(agg ? agg.p95_ms : run.p95_ms));
    const progress = h('span', { id: 'run-progress', class: 'muted' });
    const status = statusBadge(run.status, 'run-status');
    const facts = h('div', { class: 'facts' },
      h('span', {}, 'requests ', requests), h('span', {}, 'req/s ', rps), h('span', {}, 'p95 ', p95, ' ms'), progress);
    const parts = [h('h1', {}, 'Run ', h('span', { class: 'run-name' }, name), ' ', status), facts,
      h('p', { class: 'muted' }, [run.target, run.load, run.started_at ? 'started ' + fmtTime(run.started_at) : ''].filter(Boolean).join(' · '))];
    const controls = running ? runControls(name, run, S, d.started_here) : null;
    if (controls) parts.push(controls.el);

    const chartBox = id => h('div', { id, class: 'chart', 'data-points': '0' });
    const boxes = { rps: chartBox('chart-rps'), lat: chartBox('chart-latency'), fail: chartBox('chart-failures'), res: chartBox('chart-resources') };
    parts.push(h('h2', {}, 'Charts'), h('div', { class: 'charts' }, Object.values(boxes)));
    if (running) {
      parts.push(h('p', { class: 'muted small', id: 'stale-note' }, `The run is going on: the tables and the summary below are as of ${fmtTime(new Date().toISOString())}, `
        + 'when this page loaded; they are filled in when it ends. The charts and the figures at the top are live.'));
    }
    parts.push(h('h2', {}, 'Endpoints'), endpointTable(d.endpoints || [], agg));
    parts.push(h('h2', {}, 'Failures by class'), failureTable(d.failures || []));
    parts.push(verdictBlock(d.verdict));
    parts.push(h('h2', {}, 'Summary'), h('pre', { id: 'summary' }, d.summary_text || '(no summary)'));
    parts.push(h('h2', {}, 'Configuration'), h('pre', { id: 'config' }, JSON.stringify(run.config == null ? {} : run.config, null, 2)));
    if (run.scenario) parts.push(h('h3', {}, 'Scenario'), h('pre', { id: 'scenario' }, run.scenario));
    parts.push(h('h2', {}, 'Downloads'), downloads(name));
    app.replaceChildren(...parts);

    const R = d.resources || {};
    const rt = Array.isArray(R.t) ? R.t : [];
    const col = k => (Array.isArray(R[k]) ? R[k] : []);
    const ms = v => fmtMs(v) + ' ms';
    const list = [
      makeChart(boxes.rps, { title: 'Throughput', yLabel: 'successful req/s', y2Scale: 'load', y2Label: S.loadLabel,
        series: [{ label: 'successful req/s', fmt: v => v.toFixed(1) }, { label: S.loadLabel, scale: 'load', color: '#888', dash: [6, 4], fmt: v => String(+v.toFixed(1)) }],
        data: () => [S.t, S.ok, S.load], empty: running ? 'waiting for the first whole second' : 'no samples' }),
      makeChart(boxes.lat, { title: 'Latency', yLabel: 'ms', data: () => [S.t, S.p50, S.p95, S.p99],
        series: [{ label: 'p50', fmt: ms }, { label: 'p95', fmt: ms }, { label: 'p99', fmt: ms }], empty: 'no samples' }),
      makeChart(boxes.fail, { title: 'Failures', yLabel: 'failures/s', data: () => [S.t, S.fail],
        series: [{ label: 'failures/s', color: COLORS[1], fmt: v => v.toFixed(1) }], empty: 'no samples' }),
      makeChart(boxes.res, { title: 'Resources', yLabel: 'CPU %', y2Scale: 'mb', y2Label: 'RSS MB',
        data: () => [rt, col('target_cpu'), col('generator_cpu'), col('target_rss_mb'), col('generator_rss_mb')],
        series: [{ label: 'target CPU %', scale: 'cpu', color: COLORS[0], fmt: v => v.toFixed(1) + ' %' },
          { label: 'generator CPU %', scale: 'cpu', color: COLORS[3], fmt: v => v.toFixed(1) + ' %' },
          { label: 'target RSS MB', scale: 'mb', color: COLORS[0], dash: [5, 3], fmt: v => v.toFixed(1) + ' MB' },
          { label: 'generator RSS MB', scale: 'mb', color: COLORS[3], dash: [5, 3], fmt: v => v.toFixed(1) + ' MB' }],
        empty: running ? 'resource readings appear when the run ends' : 'no resource readings' }),
    ];
    const timeCharts = list.slice(0, 3);

    // live applies one /live event: the figures, and the point if new.
    function live(ev) {
      if (ev.status) { status.textContent = ev.status; status.className = `badge status-${ev.status}`; }
      if (isNum(ev.requests)) requests.textContent = fmtInt(ev.requests);
      // rps and p95 are the latest whole second's: 0 in an event without one.
      if (ev.point && isNum(ev.rps)) rps.textContent = fmtFix(ev.rps, 1);
      if (ev.point && isNum(ev.p95_ms)) p95.textContent = fmtMs(ev.p95_ms);
      const bits = [];
      if (isNum(ev.elapsed_s)) bits.push(`${ev.elapsed_s.toFixed(0)} s` + (isNum(ev.total_s) && ev.total_s > 0 ? ` of ${ev.total_s.toFixed(0)} s` : ''));
      if (isNum(ev.active) && (ev.active || ev.point)) bits.push(`${ev.active} active`);
      if (isNum(ev.failures) && ev.failures) bits.push(`${ev.failures} failures`);
      progress.textContent = bits.join(' · ');
      // Every whole second since the last event (points), else the newest.
      const pts = Array.isArray(ev.points) && ev.points.length ? ev.points : (ev.point ? [ev.point] : []);
      let grew = false;
      for (const p of pts) {
        if (!isNum(p.t) || (S.t.length && p.t <= S.t[S.t.length - 1])) continue;
        const v = k => (p[k] == null ? null : p[k]);
        S.t.push(p.t); S.rps.push(v('rps')); S.fail.push(v('failures_per_s')); S.load.push(v('load'));
        S.ok.push(isNum(p.rps) ? p.rps - (p.failures_per_s || 0) : null);
        S.p50.push(v('p50_ms')); S.p95.push(v('p95_ms')); S.p99.push(v('p99_ms'));
        grew = true;
      }
      if (grew) timeCharts.forEach(c => c.refresh());
      if (controls && ev.status && ev.status !== 'running') controls.el.remove();
    }
    return { charts: list, live };
  }

  // runControls: Stop, and a new number of users (closed) or rate (open).
  function runControls(name, run, S, startedHere) {
    const cfg = run.config || {};
    const open = cfg.model === 'open' || /^open/i.test(run.load || '') || /rate/i.test(S.loadLabel);
    const message = id => {
      const el = h('span', { id, class: 'muted', role: 'status' });
      return { el, say: (text, bad) => { el.textContent = text; el.className = bad ? 'error' : 'muted'; } };
    };
    const stopMsg = message('stop-msg'), loadMsg = message('change-load-msg');
    const stop = h('button', { id: 'stop', type: 'button', class: 'danger', onclick: async () => {
      stop.disabled = true;
      try { await post('/api/runs/' + enc(name) + '/stop'); stopMsg.say('stopping…'); } catch (e) {
        stopMsg.say(e.message, true);
        if (e.status !== 409) stop.disabled = false;
      }
    } }, 'Stop');
    const last = S.load.length ? S.load[S.load.length - 1] : (open ? cfg.rate : cfg.users);
    const input = h('input', { id: 'change-load', type: 'number', min: '0', step: open ? 'any' : '1',
      placeholder: isNum(last) ? String(last) : '', 'aria-label': open ? 'new rate (req/s)' : 'new number of users' });
    const apply = h('button', { id: 'change-load-apply', type: 'button', onclick: async () => {
      const n = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(n)) { loadMsg.say('give a number', true); return; }
      apply.disabled = true;
      try {
        await post('/api/runs/' + enc(name) + '/load', open ? { rate: n } : { users: n });
        loadMsg.say(open ? `rate set to ${n} req/s` : `users set to ${n}`);
      } catch (e) { loadMsg.say(e.message, true); }
      apply.disabled = false;
    } }, 'Apply');
    const el = h('div', { class: 'controls', id: 'run-controls' }, stop, stopMsg.el,
      h('label', { for: 'change-load' }, open ? 'rate (req/s)' : 'users'), input, apply, loadMsg.el,
      startedHere === false ? h('span', { class: 'muted small' }, 'started outside this exp ui: stop or change it where it runs') : null);
    return { el };
  }

  function endpointTable(rows, agg) {
    const heads = ['Type', 'Name', '# Requests', '# Fails', 'Median (ms)', '95%ile (ms)', '99%ile (ms)', 'Average (ms)',
      'Min (ms)', 'Max (ms)', 'RPS', 'Failures/s'];
    const tr = (r, cls) => h('tr', { class: cls || '' }, h('td', {}, r.method || ''), h('td', {}, r.name || ''),
      h('td', { class: 'num' }, fmtInt(r.requests)), h('td', { class: 'num' }, fmtInt(r.failures)),
      ['p50_ms', 'p95_ms', 'p99_ms', 'avg_ms', 'min_ms', 'max_ms'].map(k => h('td', { class: 'num' }, fmtMs(r[k]))),
      h('td', { class: 'num' }, fmtFix(r.rps, 1)), h('td', { class: 'num' }, fmtFix(r.fail_per_s, 1)));
    const t = table({ id: 'endpoints' }, heads, rows.map(r => tr(r)));
    if (agg) t.append(h('tfoot', {}, tr(Object.assign({}, agg, { name: agg.name || 'Aggregated' }), 'aggregated')));
    return t;
  }

  function failureTable(rows) {
    if (!rows.length) return h('p', { id: 'failures', class: 'muted' }, 'No failures.');
    return table({ id: 'failures' }, ['Type', 'Name', 'Class', 'Count'], rows.map(f =>
      h('tr', {}, h('td', {}, f.method || ''), h('td', {}, f.name || ''), h('td', {}, h('code', {}, f.class || '')), h('td', { class: 'num' }, fmtInt(f.count)))));
  }

  function verdictBlock(v) {
    const box = h('section', { id: 'verdict' }, h('h2', {}, 'Verdict'));
    if (!v || !v.kind) { box.append(h('p', { class: 'muted' }, 'No verdict.')); return box; }
    box.append(h('p', {}, h('strong', { class: 'verdict-kind' }, v.kind), v.plateau ? ' — ' + v.plateau : ''));
    if ((v.evidence || []).length) box.append(h('ul', { class: 'evidence' }, v.evidence.map(e => h('li', {}, e))));
    return box;
  }

  function downloads(name) {
    const base = '/api/runs/' + enc(name);
    const a = (file, text) => h('a', { href: `${base}/${file}`, download: '' }, text);
    return h('ul', { id: 'downloads', class: 'links' },
      h('li', {}, a('export.csv', 'Locust stats CSV')), h('li', {}, a('export.json', 'JSON')),
      ['throughput.png', 'latency.png', 'percentiles.png', 'resources.png'].map(f =>
        h('li', {}, h('a', { href: `${base}/plots/${enc(f)}`, target: '_blank', rel: 'noopener' }, f))));
  }

  // ---- New run ----

  // pageNew is the form that starts a run, or a plan (kind 'plan'); from
  // names a stored plan whose flags fill the form, to start it again.
  async function pageNew(alive, kind, from) {
    const plan = kind === 'plan';
    document.title = (plan ? 'New plan' : 'New run') + ' · exp ui';
    app.append(h('h1', {}, plan ? (from ? `New plan, as ${from} was` : 'New plan') : 'New run'));
    if (plan) app.append(h('p', { class: 'muted' }, 'A plan runs one run per (variant, load level), level by level, then writes its report, as `exp plan` does.'));
    let form, given = {};
    try {
      form = await get('/api/form' + (plan ? '?kind=plan' : ''));
      if (from) given = (await get('/api/plans/' + enc(from) + '/info')).flags || {};
    } catch (e) { if (alive()) app.append(errorBox(e)); return; }
    if (!alive()) return;
    const fields = (form.fields || []).slice();
    if (!fields.some(f => f.name === 'variant')) fields.unshift({ name: 'variant', default: '', usage: 'built-in target variant', group: 'target' });
    const groups = FIELD_GROUPS.concat([...new Set(fields.map(f => f.group || 'other'))].filter(g => !FIELD_GROUPS.includes(g)));
    const formEl = h('form', { id: plan ? 'plan-form' : 'run-form', novalidate: true, autocomplete: 'off' });
    for (const g of groups) {
      const rank = f => { const i = FIELD_ORDER.indexOf(f.name); return i < 0 ? FIELD_ORDER.length : i; };
      const mine = fields.filter(f => (f.group || 'other') === g).sort((a, b) => rank(a) - rank(b));
      if (!mine.length) continue;
      const fs = h('fieldset', { 'data-group': g }, h('legend', {}, GROUP_TITLES[g] || g));
      for (const f of mine) fs.append(formField(f, form));
      if (g === 'target' && !form.allow_remote_targets) {
        fs.append(h('p', { class: 'muted small' }, 'This server runs load against loopback addresses only (127.0.0.1, localhost, [::1]).'));
      }
      formEl.append(fs);
    }
    for (const [k, v] of Object.entries(given)) {
      const input = formEl.elements.namedItem(k);
      if (input) input.value = v;
    }
    const start = h('button', { id: 'start', type: 'submit', class: 'primary' }, plan ? 'Start plan' : 'Start run');
    const formError = h('div', { id: 'form-error', class: 'error', role: 'alert', hidden: true });
    formEl.append(h('p', { class: 'muted small' }, plan ? 'Empty fields are not given: the plan takes the default shown in grey, as `exp plan` would.' :
      'Empty fields are not given: the run takes the default shown in grey, as `exp run` would.'),
      formError, h('div', { class: 'actions' }, start));
    formEl.addEventListener('submit', async ev => {
      ev.preventDefault();
      for (const e of formEl.querySelectorAll('.field-error')) { e.textContent = ''; e.hidden = true; }
      for (const e of formEl.querySelectorAll('.invalid')) e.classList.remove('invalid');
      formError.hidden = true;
      const body = {};
      for (const f of fields) {
        const input = formEl.elements.namedItem(f.name);
        const v = input ? String(input.value).trim() : '';
        if (v !== '') body[f.name] = v;
      }
      start.disabled = true;
      try {
        const res = await post(plan ? '/api/plans' : '/api/runs', body);
        if (alive()) location.hash = (plan ? '#/plan/' : '#/run/') + enc(res.name);
      } catch (e) {
        if (!alive()) return;
        start.disabled = false;
        const slot = e.field ? formEl.querySelector(`.field-error[data-field="${CSS.escape(e.field)}"]`) : null;
        const box = slot || formError;
        box.textContent = e.message;
        box.hidden = false;
        const input = e.field && document.getElementById('f-' + e.field);
        if (slot && input) { input.classList.add('invalid'); input.focus(); }
      }
    });
    app.append(formEl);
  }

  function formField(f, form) {
    const id = 'f-' + f.name, def = f.default == null ? '' : String(f.default);
    let input;
    if (f.name === 'variant') {
      const vs = (form.variants || []).slice();
      input = h('select', { id, name: f.name, title: f.usage || '' },
        h('option', { value: '' }, def ? `(default: ${def})` : '(default)'), vs.map(v => h('option', { value: v }, v)));
    } else if (def === 'true' || def === 'false') {
      input = h('select', { id, name: f.name, title: f.usage || '' },
        h('option', { value: '' }, `(default: ${def})`), h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'));
    } else {
      input = h('input', { id, name: f.name, type: 'text', placeholder: def, title: f.usage || '', spellcheck: 'false' });
    }
    const where = f.name === 'scenario' || f.name === 'locustfile' ? ' (a path on the machine exp ui runs on)' : '';
    return h('div', { class: 'field' }, h('label', { for: id }, f.name), input,
      h('div', { class: 'field-error', 'data-field': f.name, role: 'alert', hidden: true }),
      f.usage ? h('small', { class: 'usage muted' }, f.usage + where) : null);
  }

  // ---- Compare ----

  async function pageCompare(names, alive) {
    document.title = 'Compare · exp ui';
    app.append(h('h1', {}, 'Compare'));
    if (names.length < 2) {
      app.append(h('p', {}, 'Give two or more runs or groups: tick them on the ', h('a', { href: '#/' }, 'runs page'), '.'));
      return;
    }
    app.append(h('p', {}, 'Baseline ', link(names[0]), ' against ', names.slice(1).map((n, i) => [i ? ', ' : '', link(n)])));
    const qs = 'names=' + names.map(enc).join(',');
    let d;
    try { d = await get('/api/compare?' + qs); } catch (e) { if (alive()) app.append(errorBox(e)); return; }
    if (!alive()) return;
    const cmp = d.comparison || {};
    const rows = [];
    for (const c of cmp.candidates || []) {
      for (const ch of c.changes || []) {
        const u = ch.unit ? ' ' + ch.unit : '';
        const ci = isNum(ch.ci_low_pct) && isNum(ch.ci_high_pct) ? `${fmtSigned(ch.ci_low_pct)} … ${fmtSigned(ch.ci_high_pct)} %` : '–';
        rows.push(h('tr', { class: ch.worse ? 'worse' : '', 'data-candidate': c.name },
          h('td', {}, c.name), h('td', {}, ch.figure || ''), h('td', { class: 'num' }, fmtFig(ch.base) + u),
          h('td', { class: 'num' }, fmtFig(ch.value) + u), h('td', { class: 'num' }, isNum(ch.change_pct) ? fmtSigned(ch.change_pct) + ' %' : '–'),
          h('td', { class: 'num' }, ci), h('td', {}, ch.noise || ''),
          h('td', { class: `judgement j-${String(ch.judgement || '').trim().replace(/[^a-z0-9]+/gi, '-').toLowerCase()}` }, ch.judgement || '')));
      }
    }
    const base = cmp.baseline || {};
    app.append(h('h2', {}, 'Changes against ', base.name || names[0]),
      rows.length ? table({ id: 'changes' }, ['Candidate', 'Figure', 'Base', 'Value', 'Change', '95% CI', 'Noise', 'Judgement'], rows)
        : h('p', { class: 'muted' }, 'No figure to compare.'));
    const runs = d.runs || [];
    const boxes = ['cmp-throughput', 'cmp-plateau', 'cmp-latency', 'cmp-spectrum'].map(id => h('div', { id, class: 'chart', 'data-points': '0' }));
    app.append(h('h2', {}, 'Charts'), h('div', { class: 'charts' }, boxes));
    const per = (xs, ys) => runs.map(r => [xs(r), ys(r)]);
    const lines = runs.map((r, i) => ({ label: r.name, color: COLORS[i % COLORS.length], points: true }));
    const pick = (arr, k) => (arr || []).map(p => p[k]);
    const made = [
      makeChart(boxes[0], { title: 'Throughput over time', yLabel: 'req/s', series: lines.map(l => Object.assign({}, l, { points: false })),
        data: () => overlay(per(r => ((r.series || {}).t || []), r => ((r.series || {}).rps || [])).map(t => [t[0].slice(), t[1].slice()])) }),
      makeChart(boxes[1], { title: 'Plateau: throughput by load', xLabel: 'load', yLabel: 'req/s', series: lines,
        data: () => overlay(per(r => pick(r.plateau, 'load'), r => pick(r.plateau, 'rps'))) }),
      makeChart(boxes[2], { title: 'p95 latency by load', xLabel: 'load', yLabel: 'ms', series: lines.map(l => Object.assign({ fmt: v => fmtMs(v) + ' ms' }, l)),
        data: () => overlay(per(r => pick(r.latency_by_load, 'load'), r => pick(r.latency_by_load, 'p95_ms'))) }),
      spectrumChart(boxes[3], runs, lines),
    ];
    onLeave(() => made.forEach(c => c.destroy()));
    if ((d.plots || []).length) {
      app.append(h('h2', {}, 'Plots'), h('ul', { id: 'compare-plots', class: 'links' }, d.plots.map(f =>
        h('li', {}, h('a', { href: `/api/compare/plots/${enc(f)}?${qs}`, target: '_blank', rel: 'noopener' }, f)))));
    }
    app.append(h('h2', {}, 'Report'), h('pre', { id: 'compare-text' }, d.text || ''));
  }
  const link = n => h('a', { href: '#/run/' + enc(n) }, n);
  const fmtFig = v => (isNum(v) ? String(+v.toPrecision(4)) : '–');

  // spectrumChart: latency by percentile, x = -log10(1 - p/100), so that
  // 90, 99, 99.9 are equally spaced.
  function spectrumChart(el, runs, lines) {
    const X = p => -Math.log10(1 - p / 100);
    const pLabel = x => { const p = 100 * (1 - Math.pow(10, -x)); return String(+p.toFixed(Math.max(0, Math.round(x) - 1))); };
    const ticks = [0, X(50), 1, 2, 3, 4, 5, 6, 7];
    const xAxis = {
      splits: u => ticks.filter(t => t >= u.scales.x.min - 1e-9 && t <= u.scales.x.max + 1e-9),
      values: (u, splits) => splits.map(pLabel), fmt: x => 'p' + pLabel(x),
    };
    const tables = runs.map(r => {
      const pts = (r.spectrum || []).filter(s => isNum(s.p) && s.p >= 0 && s.p < 100);
      return [pts.map(s => X(s.p)), pts.map(s => s.ms)];
    });
    return makeChart(el, { title: 'Percentile spectrum', xLabel: 'percentile', yLabel: 'ms', xAxis,
      series: lines.map(l => Object.assign({ fmt: v => fmtMs(v) + ' ms' }, l, { points: false })), data: () => overlay(tables) });
  }

  // ---- Plan ----

  function pagePlan(name, alive) {
    document.title = `Plan ${name} · exp ui`;
    const src = '/api/plans/' + enc(name);
    let timer = 0;
    onLeave(() => clearTimeout(timer));
    const status = h('span', { id: 'plan-status' });
    const msg = h('span', { class: 'muted small', role: 'status' });
    const stop = h('button', { id: 'stop-plan', type: 'button', hidden: true, onclick: async () => {
      stop.disabled = true;
      try { await post(src + '/stop', {}); msg.textContent = 'stopping: the running cell is kept as aborted'; } catch (e) { msg.textContent = e.message; stop.disabled = false; }
    } }, 'Stop plan');
    const frame = h('iframe', { id: 'plan-frame', src, title: `report of plan ${name}` });
    app.append(h('h1', {}, 'Plan ', name, ' ', status),
      h('p', {}, h('a', { href: src, target: '_blank', rel: 'noopener' }, 'open the report on its own'), ' · ',
        h('a', { id: 'plan-again', href: '#/new-plan?from=' + enc(name) }, 'start this plan again'), ' ', stop, ' ', msg),
      frame);
    async function poll() {
      let info;
      try { info = await get(src + '/info'); } catch (e) { if (alive()) msg.textContent = e.message; return; }
      if (!alive()) return;
      status.replaceChildren(statusBadge(info.status));
      stop.hidden = !(info.active && info.status === 'running');
      if (info.status === 'running') {
        // The report grows cell by cell: show the cells done so far.
        timer = setTimeout(() => { if (alive()) { frame.src = src + '?t=' + Date.now(); poll(); } }, 5000);
      } else if (frame.dataset.final !== '1') {
        frame.dataset.final = '1';
        frame.src = src + '?t=' + Date.now();
      }
    }
    poll();
  }

  window.addEventListener('hashchange', route);
  route();
})();
