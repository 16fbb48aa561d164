// phidesk desktop UI: sign-in, patient search, patient summary, lock.
// Nothing is stored in the browser; locking removes every piece of record data
// from the page.

import { ipc } from './ipc.js';
import { el, str, arr, obj, formatGender, formatDate } from './dom.js';
import { renderSummary } from './summary.js';

const POLL_MS = 30_000;
const SEARCH_LIMIT = 50;
const IDLE_CHECK_MS = 5_000;
const IDLE_WARNING_MS = 60_000;
const DEFAULT_IDLE_SECONDS = 300;
const RESTRICTED_NAME = '(restricted record)';
const HIDDEN_NAME = '(name hidden for this role)';

const $ = (id) => document.getElementById(id);

const state = {
  signedIn: false,
  idleTimeoutSeconds: DEFAULT_IDLE_SECONDS,
  lastActivity: Date.now(),
  // Bumped whenever record data is dropped; replies started before are ignored.
  epoch: 0,
  pending: false,
  openedPatientID: null,
  summaryRequest: 0,
  focusBeforeWarning: null,
};

const MESSAGES = {
  'signin-failed': 'Sign-in failed: check your user name, password and code.',
  'locked-out': 'Sign-in is blocked for now after too many failed attempts. Try again later or ask an administrator.',
  denied: 'You do not have access to this record.',
  rejected: 'The request was rejected. Check what you entered and try again.',
  locked: 'Your session is locked. Sign in again to continue.',
  unavailable: 'phidesk could not complete the request. Try again.',
  'not-found': 'This patient record was not found. Search again.',
  invalid: 'The search could not be run. Check the name, birth date or identifier.',
  busy: 'A question is already open in another window. Answer it first.',
};

function messageFor(error) {
  return MESSAGES[error] || `The request could not be completed (${str(error) || 'unknown error'}).`;
}

// ---------- status region ----------

/**
 * Shows a message in the polite live region. `quiet` messages are announced but
 * not shown, for news the page already shows elsewhere (e.g. a result count).
 */
function setStatus(text, kind = 'info') {
  // Errors go to an assertive alert region: focus often moves to the field at the same
  // moment, and a polite announcement would be dropped for the field's name.
  const [shown, other] = kind === 'error' ? ['alert', 'status'] : ['status', 'alert'];
  $(other).textContent = '';
  $(shown).textContent = text;
  $(shown).dataset.kind = kind;
}

/** Marks a field invalid and ties the message to it (read with the field's name). */
function markInvalid(input, message) {
  const id = `${input.id}-error`;
  let note = $(id);
  if (!note) {
    note = el('p', { id, className: 'field-error' });
    input.closest('.field').append(note);
  }
  note.textContent = message;
  const described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  if (!described.includes(id)) input.setAttribute('aria-describedby', [...described, id].join(' '));
  input.setAttribute('aria-invalid', 'true');
}

function clearInvalid(input) {
  const id = `${input.id}-error`;
  const note = $(id);
  if (note) note.remove();
  const described = (input.getAttribute('aria-describedby') || '').split(' ')
    .filter((part) => part && part !== id);
  if (described.length) input.setAttribute('aria-describedby', described.join(' '));
  else input.removeAttribute('aria-describedby');
  input.removeAttribute('aria-invalid');
}

function clearStatus() {
  setStatus('');
}

// ---------- views ----------

const VIEWS = ['view-loading', 'view-auth', 'view-search', 'view-summary'];
const TITLES = {
  'view-loading': 'phidesk',
  'view-auth': 'Sign in — phidesk',
  'view-search': 'Find a patient — phidesk',
  'view-summary': 'Patient summary — phidesk',
};

function showView(id) {
  for (const view of VIEWS) $(view).hidden = view !== id;
  document.body.dataset.view = id;
  document.title = TITLES[id];
  window.scrollTo(0, 0);
}

function currentView() {
  return VIEWS.find((view) => !$(view).hidden);
}

// ---------- broker calls ----------

/**
 * Calls the broker. A "locked" reply to anything but the session commands shows
 * the lock screen; replies that arrive after a lock are dropped (`stale`).
 */
async function request(command, payload) {
  const epoch = state.epoch;
  const reply = await ipc(command, payload);
  if (epoch !== state.epoch) return { ok: false, error: 'stale' };
  if (!reply.ok && reply.error === 'locked' && !command.startsWith('session.')) {
    showLocked('Your session was locked.');
    return { ok: false, error: 'stale' };
  }
  return reply;
}

// ---------- session ----------

function applySession(data) {
  const session = obj(data);
  const seconds = Number(session.idleTimeoutSeconds);
  if (Number.isFinite(seconds) && seconds > 0) state.idleTimeoutSeconds = seconds;
  const user = obj(session.user);
  const name = str(user.displayName);
  const role = str(user.role);
  const who = name && role ? `${name} (${role})` : name || role || 'signed-in user';
  $('session-user').textContent = `Signed in as ${who}`;
  $('session-bar').hidden = false;
  state.signedIn = true;
}

/** Removes every piece of record data from the page. */
function forgetRecordData() {
  state.epoch += 1;
  $('idle-warning').hidden = true;
  state.focusBeforeWarning = null;
  state.openedPatientID = null;
  $('results-list').replaceChildren();
  $('results-count').textContent = '';
  $('results').hidden = true;
  $('summary-content').replaceChildren();
  $('search-form').reset();
  clearInvalid($('search-birthdate'));
  $('session-user').textContent = '';
  $('session-bar').hidden = true;
}

function showAuth(mode) {
  const locked = mode === 'locked';
  $('auth-title').textContent = locked ? 'Session locked' : 'Sign in to phidesk';
  $('auth-intro').textContent = locked
    ? 'Patient information has been cleared from the screen. Sign in again to continue.'
    : 'Sign in with your user name, password and the 6-digit code from your authenticator app.';
  $('auth-submit').textContent = locked ? 'Sign in again' : 'Sign in';
  $('auth-form').reset();
  for (const input of $('auth-form').querySelectorAll('input')) clearInvalid(input);
  state.pending = false;
  showView('view-auth');
  document.title = locked ? 'Session locked — phidesk' : TITLES['view-auth'];
  $('auth-login').focus();
}

function showLocked(message, kind = 'info') {
  state.signedIn = false;
  forgetRecordData();
  showAuth('locked');
  setStatus(message, kind);
}

async function lockNow(message, kind = 'info') {
  showLocked(message, kind);
  // The page is already cleared; the broker's answer changes nothing here.
  await ipc('session.lock', {});
}

async function pollStatus() {
  if (!state.signedIn) return;
  const reply = await request('session.status', {});
  if (!state.signedIn) return;
  if (reply.ok) {
    if (obj(reply.data).signedIn === true) applySession(reply.data);
    else showLocked('Your session timed out and was locked.');
  } else if (reply.error === 'locked') {
    showLocked('Your session timed out and was locked.');
  }
}

function checkIdle() {
  if (!state.signedIn) return hideIdleWarning();
  const idleMs = Date.now() - state.lastActivity;
  const timeoutMs = state.idleTimeoutSeconds * 1000;
  if (idleMs > timeoutMs) {
    hideIdleWarning();
    lockNow('Session locked after a period of inactivity.');
  } else if (idleMs > timeoutMs - Math.min(IDLE_WARNING_MS, timeoutMs / 2)) {
    showIdleWarning(Math.ceil((timeoutMs - idleMs) / 1000));
  }
}

/**
 * A minute before the idle lock (half the timeout when that is shorter), says so and
 * offers to stay signed in: a click or key is activity for the page and, natively, for
 * the broker.
 */
function showIdleWarning(seconds) {
  const warning = $('idle-warning');
  $('idle-warning-text').textContent =
    `For privacy, phidesk locks in ${seconds} seconds unless you continue.`;
  if (!warning.hidden) return;
  state.focusBeforeWarning = document.activeElement;
  warning.hidden = false;
  $('idle-stay').focus();
}

function hideIdleWarning() {
  const warning = $('idle-warning');
  if (warning.hidden) return;
  warning.hidden = true;
  const previous = state.focusBeforeWarning;
  state.focusBeforeWarning = null;
  if (previous && previous.isConnected && previous !== document.body) previous.focus();
}

function noteActivity() {
  state.lastActivity = Date.now();
  // Close the warning only after this key or click has done its work: closing it now
  // moves focus back before the key's default action, so Enter on "Stay signed in"
  // would press whatever had focus before (a result, Lock now, the search form).
  if (!$('idle-warning').hidden) setTimeout(hideIdleWarning, 0);
}

// ---------- sign-in ----------

async function onSignIn(event) {
  event.preventDefault();
  if (state.pending) return;
  const login = $('auth-login');
  const password = $('auth-password');
  const code = $('auth-code');
  const codeValue = code.value.replace(/\s+/g, '');

  for (const input of [login, password, code]) clearInvalid(input);
  let missing = null;
  if (!login.value.trim()) missing = [login, 'Enter your user name.'];
  else if (!password.value) missing = [password, 'Enter your password.'];
  else if (!/^\d{6}$/.test(codeValue)) missing = [code, 'Enter the 6-digit code from your authenticator app.'];
  if (missing) {
    markInvalid(missing[0], missing[1]);
    setStatus(missing[1], 'error');
    missing[0].focus();
    return;
  }

  state.pending = true;
  $('auth-form').setAttribute('aria-busy', 'true');
  setStatus('Signing in…', 'info');
  const reply = await ipc('session.signIn', {
    login: login.value.trim(),
    password: password.value,
    code: codeValue,
  });
  state.pending = false;
  $('auth-form').removeAttribute('aria-busy');
  password.value = '';
  code.value = '';

  if (reply.ok && obj(reply.data).signedIn === true) {
    login.value = '';
    forgetRecordData();
    applySession(reply.data);
    noteActivity();
    clearStatus();
    showView('view-search');
    $('search-name').focus();
    return;
  }
  const error = reply.ok ? 'signin-failed' : reply.error;
  setStatus(messageFor(error === 'rejected' ? 'signin-failed' : error), 'error');
  password.focus();
}

// ---------- search ----------

function resultButton(match) {
  const item = obj(match);
  const patientID = str(item.patientID);
  const name = str(item.displayName);
  const restricted = name === RESTRICTED_NAME;
  const hidden = name === HIDDEN_NAME;

  const button = el('button', { className: 'result', attrs: { type: 'button' } });
  button.dataset.patientId = patientID;
  if (restricted) {
    button.classList.add('result-restricted');
    button.append(
      el('span', { className: 'badge badge-restricted', text: 'Restricted' }),
      el('span', { className: 'result-name', text: 'Restricted record' }),
      el('span', { className: 'result-meta', text: 'Name and details are hidden.' }));
  } else {
    button.append(el('span', {
      className: hidden ? 'result-name result-name-hidden' : 'result-name',
      text: hidden ? 'Name hidden for your role' : name || '(no name)',
    }));
    const meta = [];
    const born = formatDate(item.birthDate);
    if (born) meta.push(`Born ${born}`);
    const gender = formatGender(item.gender);
    if (gender) meta.push(gender);
    if (meta.length) button.append(el('span', { className: 'result-meta', text: meta.join(' · ') }));
    const deceased = str(item.deceased);
    if (deceased) {
      const day = formatDate(deceased, { day: true });
      button.append(el('span', { className: 'badge badge-deceased',
        text: /^\d{4}-\d{2}-\d{2}$/.test(day) ? `Deceased ${day}` : 'Deceased' }));
    }
  }
  if (patientID) button.append(el('span', { className: 'result-id' }, 'ID ', el('code', { text: patientID })));
  button.addEventListener('click', () => openSummary(patientID, button));
  return el('li', {}, button);
}

async function onSearch(event) {
  event.preventDefault();
  if (state.pending) return;
  const fields = {
    name: $('search-name').value.trim(),
    birthDate: $('search-birthdate').value.trim(),
    identifier: $('search-identifier').value.trim(),
  };
  const birth = $('search-birthdate');
  clearInvalid(birth);
  if (!fields.name && !fields.birthDate && !fields.identifier) {
    setStatus('Enter a name, birth date or identifier to search.', 'error');
    $('search-name').focus();
    return;
  }
  if (fields.birthDate && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(fields.birthDate)) {
    markInvalid(birth, 'Use YYYY-MM-DD, for example 1980-04-23.');
    setStatus('Enter the birth date as YYYY-MM-DD, for example 1980-04-23.', 'error');
    birth.focus();
    return;
  }
  const payload = {};
  for (const [key, value] of Object.entries(fields)) if (value) payload[key] = value;

  await runSearch(payload);
}

async function runSearch(payload) {
  state.pending = true;
  $('results').setAttribute('aria-busy', 'true');
  setStatus('Searching…', 'info');
  const reply = await request('patients.search', payload);
  state.pending = false;
  $('results').removeAttribute('aria-busy');
  if (reply.error === 'stale') return;
  if (!reply.ok) {
    setStatus(messageFor(reply.error), 'error');
    return;
  }
  const matches = arr(reply.data);
  const list = $('results-list');
  list.replaceChildren(...matches.map(resultButton));
  // The broker returns at most SEARCH_LIMIT matches; a full list may not be all of them.
  const countText = matches.length === 0
    ? 'No patients match this search.'
    : matches.length === 1 ? '1 patient found.'
      : matches.length >= SEARCH_LIMIT
        ? `Showing the first ${matches.length} matches. `
          + 'Add a birth date or identifier to narrow the search.'
        : `${matches.length} patients found.`;
  $('results-count').textContent = countText;
  $('results').hidden = false;
  setStatus(countText, 'quiet');
}

function clearSearch() {
  state.openedPatientID = null;
  $('search-form').reset();
  clearInvalid($('search-birthdate'));
  $('results-list').replaceChildren();
  $('results-count').textContent = '';
  $('results').hidden = true;
  clearStatus();
  $('search-name').focus();
}

// ---------- summary ----------

async function openSummary(patientID, button) {
  if (!patientID) return;
  const ticket = ++state.summaryRequest;
  setStatus('Opening record…', 'info');
  const reply = await request('patient.summary', { patientID });
  if (reply.error === 'stale' || ticket !== state.summaryRequest) return;
  if (!reply.ok) {
    setStatus(messageFor(reply.error), 'error');
    if (button && button.isConnected) button.focus();
    return;
  }
  state.openedPatientID = patientID;
  $('summary-content').replaceChildren(renderSummary(reply.data, patientID));
  clearStatus();
  showView('view-summary');
  $('summary-title').focus();
}

function backToResults() {
  state.summaryRequest += 1;
  $('summary-content').replaceChildren();
  clearStatus();
  showView('view-search');
  const opened = state.openedPatientID;
  state.openedPatientID = null;
  const target = [...$('results-list').querySelectorAll('button.result')]
    .find((b) => b.dataset.patientId === opened);
  (target || $('search-name')).focus();
}

// ---------- deep links ----------

/**
 * Called by the broker (not by other pages: it runs only after the broker validated a
 * phidesk:// link, found a session and the user confirmed). It only starts the normal
 * search or summary request, which the broker checks and audits like any other.
 */
window.phideskDeepLink = (kind, value) => {
  if (!state.signedIn || state.pending) return;
  if (kind === 'patient' && /^[0-9a-f]{32}$/.test(value)) {
    openSummary(value, null);
  } else if (kind === 'search' && /^[A-Za-z]{1,64}$/.test(value)) {
    $('search-form').reset();
    clearInvalid($('search-birthdate'));
    showView('view-search');
    runSearch({ family: value });
  }
};

/** Called by the broker when a link arrived without a session: show sign-in if needed. */
window.phideskSessionCheck = () => pollStatus();

// ---------- keyboard ----------

/**
 * The page is the whole window, so Tab cycles through its controls: past the last one
 * it wraps to the first (and Shift+Tab the other way) instead of leaving the web view,
 * from where a keyboard user could not come back.
 */
function keepFocusInPage(event) {
  const focusable = [...document.querySelectorAll(
    'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
    .filter((node) => !node.disabled && node.getClientRects().length > 0);
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = document.activeElement;
  // Focus on something outside the tab order (a heading focused with tabindex=-1, or
  // <body>): wrap only when no control lies before it (Shift+Tab) or after it (Tab).
  const outside = !focusable.includes(active);
  const noneBefore = active === document.body
    || !focusable.some((n) => n.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
  const noneAfter = active !== document.body
    && !focusable.some((n) => n.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_PRECEDING);
  if (event.shiftKey && (active === first || (outside && noneBefore))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || (outside && noneAfter))) {
    event.preventDefault();
    first.focus();
  }
}

// ---------- start ----------

async function start() {
  $('auth-form').addEventListener('submit', onSignIn);
  $('search-form').addEventListener('submit', onSearch);
  $('search-clear').addEventListener('click', clearSearch);
  $('summary-back').addEventListener('click', backToResults);
  $('lock-now').addEventListener('click', () => lockNow('Session locked.', 'quiet'));
  $('idle-stay').addEventListener('click', noteActivity);
  $('help-link').addEventListener('click', (event) => {
    const url = event.currentTarget.dataset.url;
    if (!url) return;
    ipc('link.open', { url }).then((reply) => {
      if (!reply.ok) setStatus('The help page could not be opened.', 'error');
    });
  });

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !$('idle-warning').hidden) {
      event.preventDefault();
      return;
    }
    if (event.key === 'Escape' && !event.isComposing && currentView() === 'view-summary') {
      event.preventDefault();
      backToResults();
    }
    // WebKitGTK reports Shift+Tab (GDK ISO_Left_Tab) as key "Unidentified", code "Tab".
    if (event.key === 'Tab' || event.code === 'Tab') keepFocusInPage(event);
  });
  for (const type of ['keydown', 'pointerdown', 'wheel', 'touchstart']) {
    document.addEventListener(type, noteActivity, { passive: true, capture: true });
  }
  window.addEventListener('focus', pollStatus);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') pollStatus();
  });
  setInterval(pollStatus, POLL_MS);
  setInterval(checkIdle, IDLE_CHECK_MS);

  clearStatus();
  const reply = await ipc('session.status', {});
  if (reply.ok && obj(reply.data).signedIn === true) {
    applySession(reply.data);
    noteActivity();
    showView('view-search');
    $('search-name').focus();
  } else {
    showAuth('signin');
    if (!reply.ok && reply.error !== 'locked') setStatus(messageFor(reply.error), 'error');
  }
  // The first screen is interactive (phidesk-bench measures start-up up to here).
  window.phideskReady = true;
}

start();
