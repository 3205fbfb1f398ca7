// The dashboard page: it only renders. The server computes every figure from the Observables and
// sends a snapshot, then patches, over Server-Sent Events (see src/model/patches.ts for their kinds).
// All text from the server goes in with textContent, never as HTML.
'use strict';

const token = new URLSearchParams(location.search).get('token') ?? '';
const $ = (selector, root = document) => root.querySelector(selector);
const number = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US'));

/** POSTs JSON with the access token; rejects with the server's own error message. */
async function post(path, body = {}) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-access-token': token },
    body: JSON.stringify(body),
  });
  const reply = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(reply.error?.message ?? `HTTP ${response.status}`);
  return reply;
}

function showProblem(error) {
  const problem = $('#problem');
  problem.textContent = error ? String(error.message ?? error) : '';
  problem.hidden = !error;
}

const act = (promise) => promise.then(() => showProblem(null), showProblem);
const sessionPath = (id) => `/api/sessions/${encodeURIComponent(id)}`;

// ---- the sessions table and the cards ----

function rowOf(id) {
  return $(`#sessions tbody tr[data-session-id="${CSS.escape(id)}"]`);
}
function cardOf(id) {
  return $(`#cards .card[data-session-id="${CSS.escape(id)}"]`);
}

const ROW_FIELDS = ['host', 'label', 'activity', 'model', 'turns', 'inputTokens', 'outputTokens', 'cachedTokens', 'cost', 'ttftMs', 'tokensPerSecond'];
const TEXT_FIELDS = ['host', 'label', 'activity', 'model'];

/** The latest row and fleet state of each session: the badge shows both together. */
const rows = new Map();
const remoteStates = new Map();

function addSession(session) {
  if (rowOf(session.id)) removeSession(session.id);
  const tr = document.createElement('tr');
  tr.dataset.sessionId = session.id;
  for (const field of ROW_FIELDS) {
    const td = document.createElement('td');
    td.dataset.field = field;
    if (!TEXT_FIELDS.includes(field)) td.className = 'num';
    if (field === 'host') td.classList.add('fleet-only');
    tr.append(td);
  }
  tr.querySelector('[data-field="label"]').textContent = session.label;
  tr.querySelector('[data-field="host"]').textContent = session.host ?? '';
  $('#sessions tbody').append(tr);

  const card = $('#card-template').content.firstElementChild.cloneNode(true);
  card.dataset.sessionId = session.id;
  $('h2', card).textContent = session.label;
  $('.host', card).textContent = session.host ? `on ${session.host}` : '';
  $('form.prompt', card).addEventListener('submit', (event) => {
    event.preventDefault();
    const field = $('textarea', card);
    const prompt = field.value;
    act(post(`${sessionPath(session.id)}/turns`, { prompt }).then(() => (field.value = '')));
  });
  $('textarea', card).addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      $('form.prompt', card).requestSubmit();
    }
  });
  $('.abort', card).addEventListener('click', () => act(post(`${sessionPath(session.id)}/abort`)));
  $('#cards').append(card);

  if (session.remoteState) remoteStates.set(session.id, session.remoteState);
  setRow(session.id, session.row);
  for (const entry of session.transcript) addEntry(session.id, entry);
  setTools(session.id, session.tools);
  setPermissions(session.id, session.permissions);
}

function removeSession(id) {
  rowOf(id)?.remove();
  cardOf(id)?.remove();
  rows.delete(id);
  remoteStates.delete(id);
}

/**
 * What the badge says: the host's word when the session cannot run any more (its host is down, or
 * it was destroyed), else what its events say (`starting` only until the host said idle or busy).
 */
function shownActivity(id, row) {
  const remote = remoteStates.get(id);
  if (remote === 'lost' || remote === 'destroyed') return remote;
  if (row.activity === 'starting' && remote) return remote === 'busy' ? 'working' : 'idle';
  return row.activity;
}

function setRemoteState(id, state) {
  remoteStates.set(id, state);
  const row = rows.get(id);
  if (row) setRow(id, row);
}

function stateBadge(element, activity) {
  element.textContent = activity;
  element.dataset.activity = activity;
}

function setRow(id, row) {
  const tr = rowOf(id);
  const card = cardOf(id);
  if (!tr || !card) return;
  rows.set(id, row);
  const activity = shownActivity(id, row);
  const cell = (field) => tr.querySelector(`[data-field="${field}"]`);
  cell('activity').replaceChildren(Object.assign(document.createElement('span'), { className: 'state' }));
  stateBadge(cell('activity').firstChild, activity);
  if (row.error) cell('activity').title = row.error;
  else cell('activity').removeAttribute('title');
  cell('model').textContent = row.model;
  cell('turns').textContent = number(row.turns);
  cell('inputTokens').textContent = number(row.inputTokens);
  cell('outputTokens').textContent = number(row.outputTokens);
  cell('cachedTokens').textContent = number(row.cachedTokens);
  cell('cost').textContent = row.cost.toFixed(2);
  cell('ttftMs').textContent = row.ttftMs === null ? '—' : `${number(row.ttftMs)} ms`;
  cell('tokensPerSecond').textContent = row.tokensPerSecond === null ? '—' : row.tokensPerSecond.toFixed(1);
  stateBadge($('header .state', card), activity);
  $('.tools-now', card).textContent = row.toolsInProgress.length ? `running ${row.toolsInProgress.join(', ')}` : '';
}

// ---- the transcript ----

/** Keeps a transcript scrolled to the end while the reader is at the end. */
function follow(transcript, change) {
  const atEnd = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 24;
  change();
  if (atEnd) transcript.scrollTop = transcript.scrollHeight;
}

function addEntry(id, entry) {
  const transcript = $('.transcript', cardOf(id) ?? document.createElement('div'));
  follow(transcript, () => {
    if (entry.kind === 'answer') return void (answerElement(id, entry.messageId).textContent = entry.text);
    if (entry.kind === 'reasoning') return void (reasoningElement(id, entry.reasoningId).textContent = entry.text);
    const element = document.createElement('div');
    element.className = entry.kind === 'prompt' ? 'prompt' : `notice ${entry.level}`;
    element.textContent = entry.text;
    transcript.append(element);
  });
}

function answerElement(id, messageId) {
  const card = cardOf(id);
  let element = $(`.answer[data-message-id="${CSS.escape(messageId)}"]`, card);
  if (!element) {
    element = document.createElement('div');
    element.className = 'answer';
    element.dataset.messageId = messageId;
    $('.transcript', card).append(element);
  }
  return element;
}

function reasoningElement(id, reasoningId) {
  const card = cardOf(id);
  let details = $(`.reasoning[data-reasoning-id="${CSS.escape(reasoningId)}"]`, card);
  if (!details) {
    details = document.createElement('details');
    details.className = 'reasoning';
    details.dataset.reasoningId = reasoningId;
    details.open = true;
    details.append(Object.assign(document.createElement('summary'), { textContent: 'Reasoning' }), document.createElement('pre'));
    $('.transcript', card).append(details);
  }
  return $('pre', details);
}

// ---- tools and permission prompts ----

function setTools(id, tools) {
  const list = $('.tools', cardOf(id));
  list.replaceChildren(
    ...tools.map((tool) => {
      const item = document.createElement('li');
      item.dataset.toolCallId = tool.toolCallId;
      const status = Object.assign(document.createElement('span'), { className: 'status', textContent: tool.status });
      status.dataset.status = tool.status;
      const duration = tool.durationMs === null ? '' : ` · ${number(tool.durationMs)} ms`;
      item.append(
        Object.assign(document.createElement('code'), { textContent: `${tool.name} ${tool.arguments}` }),
        ' ',
        status,
        duration,
      );
      if (tool.result !== null) item.append(Object.assign(document.createElement('div'), { className: 'result', textContent: `→ ${tool.result}` }));
      return item;
    }),
  );
}

function setPermissions(id, permissions) {
  const box = $('.permissions', cardOf(id));
  box.replaceChildren(
    ...permissions.map((permission) => {
      const prompt = document.createElement('div');
      prompt.className = 'permission';
      prompt.dataset.requestId = permission.requestId;
      const decide = (decision) => () =>
        act(post(`${sessionPath(id)}/permissions/${encodeURIComponent(permission.requestId)}`, { decision }));
      const approve = Object.assign(document.createElement('button'), { type: 'button', className: 'approve', textContent: 'Approve' });
      const deny = Object.assign(document.createElement('button'), { type: 'button', className: 'deny', textContent: 'Deny' });
      approve.addEventListener('click', decide('approve'));
      deny.addEventListener('click', decide('deny'));
      prompt.append(
        Object.assign(document.createElement('strong'), { textContent: `Permission requested (${permission.kind})` }),
        approve,
        deny,
        Object.assign(document.createElement('code'), { textContent: permission.summary }),
      );
      return prompt;
    }),
  );
}

// ---- the fleet's hosts ----

const MODES = { offline: 'offline demo (scripted model, canned answers)', live: 'live (Copilot service)' };
let hostsUp = [];
let hostsKnown = 0;
let mode = 'offline';

function renderMode() {
  $('[data-health="mode"]').textContent = mode === 'fleet' ? `fleet (${hostsUp.length} of ${hostsKnown} hosts up)` : (MODES[mode] ?? mode);
}

function setHosts(hosts) {
  hostsUp = hosts.filter((host) => host.up).map((host) => host.host);
  hostsKnown = hosts.length;
  $('#hosts tbody').replaceChildren(
    ...hosts.map((host) => {
      const tr = document.createElement('tr');
      tr.dataset.host = host.host;
      const cells = [
        host.host,
        null,
        new Date(host.lastSeen).toLocaleTimeString(),
        host.cliVersions.join(', ') || '—',
        number(host.sessions),
        number(host.outboxPending),
        number(host.outboxDropped),
      ];
      cells.forEach((text, i) => {
        const td = document.createElement('td');
        if (i >= 4) td.className = 'num';
        if (i === 1) {
          const badge = Object.assign(document.createElement('span'), { className: 'state' });
          stateBadge(badge, host.up ? 'up' : 'down');
          if (!host.up) badge.title = host.downReason === 'stopped' ? 'stopped cleanly' : 'no heartbeat within its TTL';
          td.append(badge);
        } else td.textContent = text;
        tr.append(td);
      });
      return tr;
    }),
  );
  const picker = $('#new-session-host');
  const chosen = picker.value;
  picker.replaceChildren(...hostsUp.map((name) => Object.assign(document.createElement('option'), { value: name, textContent: name })));
  if (hostsUp.includes(chosen)) picker.value = chosen;
  $('#new-session').disabled = mode === 'fleet' && hostsUp.length === 0;
  renderMode();
}

// ---- connection health ----

function setHealth(health) {
  const field = (name) => $(`[data-health="${name}"]`);
  mode = health.mode;
  const fleet = mode === 'fleet';
  document.body.classList.toggle('fleet', fleet);
  renderMode();
  $('[data-health-label="cli"]').textContent = fleet ? 'broker' : 'CLI';
  const cli = [health.cli, health.broker, health.cliVersion, health.cliPid === null ? null : `pid ${health.cliPid}`].filter(Boolean).join(' · ');
  field('cli').textContent = cli;
  field('cli').title = health.cliError ?? '';
  field('cli').classList.toggle('bad', health.cli === 'closed');
  for (const name of ['decodeFailures', 'duplicatesDropped', 'answerFailures']) {
    field(name).textContent = number(health[name]);
    field(name).classList.toggle('bad', name !== 'duplicatesDropped' && health[name] > 0);
  }
}

// ---- the stream ----

function apply(patch) {
  switch (patch.kind) {
    case 'snapshot':
      // A reconnect starts over from the server's state.
      $('#sessions tbody').replaceChildren();
      $('#cards').replaceChildren();
      rows.clear();
      remoteStates.clear();
      setHealth(patch.state.health);
      for (const session of patch.state.sessions) addSession(session);
      return setHosts(patch.state.hosts);
    case 'session-added':
      return addSession(patch.session);
    case 'session-removed':
      return removeSession(patch.id);
    case 'row':
      return setRow(patch.sessionId, patch.row);
    case 'entry':
      return addEntry(patch.sessionId, patch.entry);
    case 'text': {
      const card = cardOf(patch.sessionId);
      if (card) follow($('.transcript', card), () => answerElement(patch.sessionId, patch.messageId).append(patch.text));
      return;
    }
    case 'text-final':
      return addEntry(patch.sessionId, { kind: 'answer', messageId: patch.messageId, text: patch.text });
    case 'reasoning':
      return addEntry(patch.sessionId, { kind: 'reasoning', reasoningId: patch.reasoningId, text: patch.text });
    case 'tools':
      return cardOf(patch.sessionId) && setTools(patch.sessionId, patch.tools);
    case 'permissions':
      return cardOf(patch.sessionId) && setPermissions(patch.sessionId, patch.permissions);
    case 'health':
      return setHealth(patch.health);
    case 'hosts':
      return setHosts(patch.hosts);
    case 'remote-state':
      return setRemoteState(patch.sessionId, patch.state);
  }
}

function connect() {
  const stream = $('[data-health="stream"]');
  const events = new EventSource(`/events?token=${encodeURIComponent(token)}`);
  events.onopen = () => {
    stream.textContent = 'live';
    stream.classList.remove('bad');
  };
  events.onmessage = (message) => apply(JSON.parse(message.data));
  // The server says it is stopping: do not try to reconnect.
  events.addEventListener('end', () => {
    events.close();
    stream.textContent = 'ended (the app stopped)';
    stream.classList.add('bad');
  });
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) return;
    stream.textContent = 'reconnecting…';
    stream.classList.add('bad');
  };
}

$('#new-session').addEventListener('click', () => {
  act(post('/api/sessions', mode === 'fleet' ? { host: $('#new-session-host').value } : {}));
});
connect();
