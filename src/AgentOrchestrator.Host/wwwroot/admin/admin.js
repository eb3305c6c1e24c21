// The support page: plain DOM code over the admin API, no build step. Every value from the API is written with
// textContent, never as HTML. The admin key lives in this tab's sessionStorage only. Without a key, or with one the
// API refuses, the page shows only the key prompt: no list, no buttons that would act on nothing.
'use strict';

class KeyRefused extends Error {}

const state = { key: sessionStorage.getItem('ao-admin-key') || '', timer: null, next: null, shown: '' };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(text, kind) {
  const box = $('message');
  box.textContent = text || '';
  box.className = 'message ' + (kind || '');
  box.hidden = !text;
}

async function api(path, options) {
  const init = Object.assign({ headers: {} }, options || {});
  init.headers['X-Api-Key'] = state.key;
  if (init.body !== undefined) init.headers['Content-Type'] = 'application/json';
  const response = await fetch(path, init);
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : (body && body.title) || response.statusText;
    const Failure = response.status === 401 || response.status === 403 ? KeyRefused : Error;
    throw new Failure(response.status + ': ' + detail);
  }
  return body;
}

const money = (value) => (Number(value) || 0).toFixed(4);
const when = (value) => value ? new Date(value).toLocaleString() : '';
const time = (value) => value ? new Date(value).toLocaleTimeString() : '';
const json = (value) => typeof value === 'string' ? value : JSON.stringify(value, null, 2);

// ---- Sessions list --------------------------------------------------------------------------------------------

async function showSessions(append) {
  const query = new URLSearchParams();
  if ($('filter-status').value) query.set('status', $('filter-status').value);
  if ($('filter-attention').checked) query.set('needsAttention', 'true');
  if ($('filter-owner').value.trim()) query.set('owner', $('filter-owner').value.trim());
  if (append && state.next) query.set('page', state.next);
  const page = await api('/admin/sessions?' + query);
  const body = $('sessions-body');
  if (!append) body.replaceChildren();
  for (const s of page.sessions) {
    body.append(el('tr', { 'data-session': s.sessionId, class: s.needsAttention ? 'attention' : '' },
      el('td', {}, el('a', { href: '#/sessions/' + encodeURIComponent(s.sessionId) }, s.sessionId)),
      el('td', {}, s.owner),
      el('td', {}, el('span', { class: 'status ' + s.status }, s.status)),
      el('td', {}, s.phase),
      el('td', { class: 'num' }, s.turn),
      el('td', { class: 'num' }, s.inputTokens + ' / ' + s.outputTokens),
      el('td', { class: 'num' }, money(s.cost)),
      el('td', {}, s.needsAttention ? el('span', { class: 'badge alert' }, 'needs attention') : ''),
      el('td', {}, when(s.lastUpdatedAt))));
  }
  if (!body.children.length) body.append(el('tr', {}, el('td', { colspan: 9, class: 'empty' }, 'No sessions match.')));
  state.next = page.next;
  $('more').hidden = !page.next;
}

// ---- One session ----------------------------------------------------------------------------------------------

const categories = [
  ['turn.', 'turn'], ['model.', 'model'], ['tool.rejected', 'error'], ['tool.failed', 'error'], ['tool.', 'tool'],
  ['approval.', 'approval'], ['compensation.failed', 'error'], ['compensation.', 'compensation'],
  ['chain.parked', 'error'], ['chain.', 'compensation'], ['session.', 'turn'],
];
const category = (kind) => (categories.find(([prefix]) => kind.startsWith(prefix)) || ['', 'other'])[1];

function headline(e) {
  const d = e.data || {};
  switch (e.kind) {
    case 'turn.started': return 'User: ' + (d.text || '');
    case 'model.completed': {
      const calls = (d.toolCalls || []).map((c) => c.tool).join(', ');
      return `${d.deployment || 'model'} · ${d.inputTokens || 0} in / ${d.outputTokens || 0} out tokens · cost ${money(d.cost)} · ${d.latencyMs || 0} ms`
        + (d.attempts > 1 ? ` · ${d.attempts} attempts` : '') + (calls ? ' → ' + calls : (d.text ? ' → “' + d.text + '”' : ''));
    }
    case 'model.failed': return 'Model call failed: ' + (d.error || '');
    case 'tool.requested': return `${d.tool}@${d.version || '?'} requested (${d.callId})`;
    case 'tool.rejected': return `${d.tool} refused before running: ${(d.errors || []).join('; ')}`;
    case 'approval.needed': return `${d.tool} waits for approval: ${d.reason || ''}`;
    case 'approval.decided': return `${d.approved ? 'Approved' : 'Denied'} by ${d.by || '?'}${d.reason ? ': ' + d.reason : ''}`;
    case 'tool.started': return `${d.tool} started`;
    case 'tool.completed': return `${d.tool} succeeded · ${d.latencyMs || 0} ms` + (d.attempts > 1 ? ` · ${d.attempts} attempts` : '');
    case 'tool.failed': return `${d.tool} failed: ${d.code || ''} ${d.error || ''}` + (d.attempts ? ` · ${d.attempts} attempts` : '');
    case 'compensation.started': return `Rolling back ${d.tool} with ${d.compensationTool}` + (d.reason ? ` (${d.reason})` : '');
    case 'compensation.completed': return `Rolled back ${d.tool} with ${d.compensationTool}`;
    case 'compensation.failed': return `Rollback of ${d.tool} with ${d.compensationTool} failed: ${d.error || ''}`;
    case 'chain.sealed': return `${d.tool} sealed ${(d.sealedCalls || []).length} earlier step(s)`;
    case 'chain.parked': return `Rollback parked (${d.chainId}): ${(d.pending || []).map((p) => p.compensationTool).join(', ')} still owed`;
    case 'chain.resolved': return `Parked chain ${d.chainId}: ${d.action} by ${d.by || '?'} → ${d.outcome || ''}`;
    case 'turn.completed': return `Turn ${d.turn} ${d.outcome}` + (d.text ? ': “' + d.text + '”' : '');
    case 'session.ended': return 'Session ended' + (d.reason ? ': ' + d.reason : '');
    case 'model.delta': return d.text || '';
    case 'usage': return `Turn so far: ${d.turnInputTokens} in / ${d.turnOutputTokens} out tokens · cost ${d.turnCost}`;
    default: return '';
  }
}

function details(e) {
  const d = e.data || {};
  const rows = [];
  // Latency, attempts and codes are in the headline; a finished call's arguments were shown when it started.
  for (const name of ['callId', 'idempotencyKey']) {
    if (d[name] !== undefined && d[name] !== null) rows.push(el('dt', {}, name), el('dd', {}, String(d[name])));
  }
  const finished = /\.(completed|failed)$/.test(e.kind) && !e.kind.startsWith('model.');
  for (const name of finished ? ['result', 'error'] : ['arguments', 'result', 'error']) {
    if (d[name] !== undefined && d[name] !== null && d[name] !== '') {
      rows.push(el('dt', {}, name), el('dd', {}, el('pre', {}, json(d[name]))));
    }
  }
  return rows.length ? el('dl', { class: 'details' }, rows) : null;
}

function renderTimeline(events) {
  const list = $('timeline');
  list.replaceChildren();
  // Token deltas are many small pieces of one answer; the model.completed event carries the whole text.
  // Usage events repeat model.completed's tokens and cost as running totals for chat frontends.
  let deltas = 0;
  let usage = 0;
  for (const e of events) {
    if (e.kind === 'model.delta') { deltas++; continue; }
    if (e.kind === 'usage') { usage++; continue; }
    list.append(el('li', { class: 'event ' + category(e.kind), 'data-kind': e.kind, 'data-seq': e.sequence },
      el('span', { class: 'seq' }, '#' + e.sequence),
      el('time', {}, time(e.timestamp)),
      el('span', { class: 'kind' }, e.kind),
      el('span', { class: 'turn' }, 'turn ' + ((e.data && e.data.turn) ?? '')),
      el('div', { class: 'headline' }, headline(e)),
      details(e)));
  }
  if (deltas) list.append(el('li', { class: 'event note' }, `${deltas} streamed text pieces (model.delta) folded into their model.completed events.`));
  if (usage) list.append(el('li', { class: 'event note' }, `${usage} usage events (running token and cost totals) folded into their model.completed events.`));
  if (!events.length) list.append(el('li', { class: 'event note' }, 'No events yet.'));
}

function renderSummary(s) {
  $('session-title').textContent = s.sessionId;
  const items = [
    ['Status', s.status], ['Phase', s.phase], ['Owner', s.owner], ['Turn', s.turn],
    ['Tokens in / out', s.inputTokens + ' / ' + s.outputTokens], ['Cost', money(s.cost)],
    ['Needs attention', s.needsAttention ? 'yes' : 'no'], ['Open chain', (s.openChain || []).join(', ') || '—'],
    ['Created', when(s.createdAt)], ['Updated', when(s.lastUpdatedAt)],
  ];
  $('summary').replaceChildren(...items.flatMap(([name, value]) => [el('dt', {}, name), el('dd', { 'data-field': name }, String(value))]));
  $('termination').hidden = !s.terminationNote;
  $('termination').textContent = s.terminationNote || '';

  const parked = $('parked');
  parked.replaceChildren();
  for (const chain of s.parkedChains || []) {
    parked.append(el('div', { class: 'chain', 'data-chain': chain.chainId },
      el('h3', {}, `Parked rollback ${chain.chainId} (turn ${chain.turn})`),
      el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Call'), el('th', {}, 'Tool'), el('th', {}, 'Undo with'), el('th', {}, 'Key'), el('th', {}, 'Arguments'), el('th', {}, 'Last error'))),
        el('tbody', {}, chain.pending.map((p) => el('tr', {},
          el('td', {}, p.callId), el('td', {}, p.tool), el('td', {}, p.compensationTool), el('td', {}, p.idempotencyKey),
          el('td', {}, el('pre', {}, p.arguments)), el('td', {}, p.error))))),
      el('div', { class: 'actions' },
        el('button', { 'data-testid': 'chain-retry', onclick: () => chainAction(s.sessionId, chain.chainId, 'retry') }, 'Retry compensation'),
        el('button', { 'data-testid': 'chain-resolve', onclick: () => chainAction(s.sessionId, chain.chainId, 'resolve') }, 'Mark resolved by hand'))));
  }

  const approvals = $('approvals');
  approvals.replaceChildren();
  if ((s.pendingApprovals || []).length) {
    approvals.append(el('h3', {}, 'Waiting for approval (the client decides)'),
      el('ul', {}, s.pendingApprovals.map((a) => el('li', {}, `${a.tool} (${a.callId}) until ${when(a.expiresAt)}: ${a.reason || ''}`))));
  }
  for (const button of document.querySelectorAll('[data-op]')) {
    const op = button.dataset.op;
    const open = ['running', 'pending', 'suspended'].includes(s.status);
    button.disabled = op === 'purge' ? open : !open || (op === 'suspend' && s.status === 'suspended') || (op === 'resume' && s.status !== 'suspended');
  }
}

async function refreshSession(id) {
  const [s, events] = await Promise.all([
    api('/admin/sessions/' + encodeURIComponent(id)),
    api('/admin/sessions/' + encodeURIComponent(id) + '/events'),
  ]);
  const fingerprint = JSON.stringify([s, events.length]);
  if (fingerprint === state.shown) return;
  state.shown = fingerprint;
  renderSummary(s);
  renderTimeline(events);
}

async function showSession(id) {
  state.shown = '';
  $('history').hidden = true;
  $('load-history').onclick = async () => {
    const history = await api('/admin/sessions/' + encodeURIComponent(id) + '/history');
    $('history').textContent = JSON.stringify(history, null, 2);
    $('history').hidden = false;
  };
  for (const button of document.querySelectorAll('[data-op]')) button.onclick = () => control(id, button.dataset.op);
  await refreshSession(id);
  state.timer = setInterval(() => refreshSession(id).catch(fail), 2000);
}

async function chainAction(id, chainId, action) {
  const note = action === 'resolve' ? prompt('Note for the record (what was done by hand):', '') : '';
  if (note === null) return;
  await run(() => api(`/admin/sessions/${encodeURIComponent(id)}/chains/${encodeURIComponent(chainId)}/${action}`,
    { method: 'POST', body: JSON.stringify({ reason: note || null }) }), `${action} sent for ${chainId}.`);
  await refreshSession(id);
}

async function control(id, op) {
  if ((op === 'terminate' || op === 'purge') && !confirm(op === 'terminate'
    ? 'Terminate by force? No compensation runs.' : 'Purge this session, its history and events?')) return;
  const path = '/admin/sessions/' + encodeURIComponent(id) + (op === 'purge' ? '' : '/' + op);
  await run(() => api(path, { method: op === 'purge' ? 'DELETE' : 'POST', body: op === 'purge' ? undefined : '{}' }), `${op} sent.`);
  if (op === 'purge') location.hash = '#/sessions'; else await refreshSession(id);
}

// ---- Dead letters and tools -----------------------------------------------------------------------------------

async function showDeadLetters() {
  const page = await api('/admin/dead-letters');
  const letters = page.deadLetters;
  $('dead-letters-note').textContent = page.available ? '' : page.note;
  $('dead-letters-body').replaceChildren(...letters.map((d) => el('tr', {},
    el('td', {}, when(d.setAsideAt)),
    el('td', {}, el('a', { href: '#/sessions/' + encodeURIComponent(d.sessionId) }, d.sessionId)),
    el('td', {}, d.kind), el('td', {}, d.eventType + (d.name ? ' ' + d.name : '')), el('td', { class: 'num' }, d.deliveryCount), el('td', {}, d.reason),
    el('td', {}, d.kind === 'OrchestrationMessage'
      ? el('button', { onclick: () => run(() => api('/admin/dead-letters/' + d.id + '/resubmit', { method: 'POST', body: '{}' }), 'Put back into the session\'s inbox.').then(showDeadLetters) }, 'Put back')
      : '—'))));
  if (!letters.length) $('dead-letters-body').append(el('tr', {}, el('td', { colspan: 7, class: 'empty' }, page.available ? 'No dead letters.' : 'Not available on this storage provider.')));
}

async function showTools() {
  const catalog = await api('/v1/tools');
  $('catalog').textContent = `Catalog version ${catalog.catalogVersion}` + (catalog.problems.length ? ` · ${catalog.problems.length} rejected change(s): ${catalog.problems.join(' | ')}` : '');
  $('tools-body').replaceChildren(...catalog.tools.map((t) => el('tr', {},
    el('td', {}, t.name), el('td', {}, t.version), el('td', {}, t.manifest), el('td', {}, t.sagaRole || '—'),
    el('td', {}, t.compensationTool || '—'), el('td', {}, t.approval), el('td', {}, t.description))));
}

// ---- Routing --------------------------------------------------------------------------------------------------

async function run(action, done) {
  try {
    await action();
    if (done) say(done, 'ok');
  } catch (error) {
    fail(error);
  }
}

function fail(error) {
  if (!(error instanceof KeyRefused)) {
    say(error.message, 'error');
    return;
  }
  state.key = '';
  sessionStorage.removeItem('ao-admin-key');
  $('key').value = '';
  askForKey('The key was refused: ' + error.message);
}

// Only the prompt shows: the views and their buttons stay hidden until a key works.
function askForKey(refused) {
  clearInterval(state.timer);
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== 'key-needed';
  $('key-refused').textContent = refused || '';
  $('key-refused').hidden = !refused;
  say('');
  $('key').focus();
}

async function route() {
  clearInterval(state.timer);
  const hash = location.hash || '#/sessions';
  const [, view, id] = hash.match(/^#\/([^/]+)\/?(.*)$/) || [, 'sessions', ''];
  const name = view === 'sessions' && id ? 'session' : view;
  for (const link of document.querySelectorAll('[data-nav]')) link.classList.toggle('active', link.dataset.nav === view);
  if (!state.key) {
    askForKey('');
    return;
  }
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== 'view-' + name;
  say('');
  await run(() => name === 'session' ? showSession(decodeURIComponent(id))
    : name === 'dead-letters' ? showDeadLetters()
      : name === 'tools' ? showTools() : showSessions(false));
}

document.addEventListener('DOMContentLoaded', () => {
  $('key').value = state.key;
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.key = $('key').value.trim();
    sessionStorage.setItem('ao-admin-key', state.key);
    route();
  });
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    run(() => showSessions(false));
  });
  $('filter-status').addEventListener('change', () => run(() => showSessions(false)));
  $('filter-attention').addEventListener('change', () => run(() => showSessions(false)));
  $('more').addEventListener('click', () => run(() => showSessions(true)));
  window.addEventListener('hashchange', route);
  route();
});
