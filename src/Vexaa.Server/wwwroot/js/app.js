// The VExAA web page: sign in, drop videos, watch them convert, listen and download. Plain ES modules, no framework.
import { api, onSignedOut } from './api.js';
import { $, announce } from './dom.js';
import * as options from './options.js';
import * as uploads from './uploads.js';
import * as review from './review.js';
import * as unfinished from './unfinished.js';
import * as jobs from './jobs.js';
import * as admin from './admin.js';

let me = null;

async function boot() {
  options.mount();
  uploads.mount(review.add);
  review.mount();
  jobs.mount();
  admin.mount();
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOut);
  window.addEventListener('hashchange', route);
  onSignedOut(() => { if (me) showSignIn('Your session has ended. Please sign in again.'); });
  try {
    me = await api('GET', '/api/v1/me');
  } catch {
    me = null;
  }
  if (me) await showApp();
  else showSignIn();
}

function show(view) {
  for (const id of ['loading-view', 'signin-view', 'app-view']) $(id).hidden = id !== view;
}

function showSignIn(message) {
  me = null;
  jobs.stop();
  uploads.stopAll();
  show('signin-view');
  document.title = 'Sign in — VExAA';
  const error = $('signin-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  $('signin-user').focus();
}

async function signIn(event) {
  event.preventDefault();
  const username = $('signin-user').value.trim();
  const password = $('signin-password').value;
  const error = $('signin-error');
  if (!username || !password) {
    error.textContent = 'Enter your user name and password.';
    error.hidden = false;
    return;
  }
  $('signin-submit').disabled = true;
  try {
    await api('POST', '/api/v1/session', { username, password });
    me = await api('GET', '/api/v1/me');
    $('signin-password').value = '';
    await showApp();
    announce(`Signed in as ${me.name}.`);
  } catch (e) {
    error.textContent = e.status === 401 ? 'That user name and password do not match. Check them and try again.' : e.message;
    error.hidden = false;
    $('signin-password').select();
  } finally {
    $('signin-submit').disabled = false;
  }
}

async function signOut() {
  try {
    await api('DELETE', '/api/v1/session');
  } finally {
    showSignIn();
    announce('Signed out.');
  }
}

async function showApp() {
  show('app-view');
  $('user-name').textContent = me.name;
  $('user-initial').textContent = me.name.slice(0, 1).toUpperCase();
  $('nav-admin').hidden = !me.isAdmin;
  await route();
  await jobs.start();
  await unfinished.find();
}

async function route() {
  if (!me) return;
  const adminPage = location.hash === '#/admin' && me.isAdmin;
  $('convert-view').hidden = adminPage;
  $('admin-view').hidden = !adminPage;
  const [current, other] = adminPage ? ['nav-admin', 'nav-convert'] : ['nav-convert', 'nav-admin'];
  $(current).setAttribute('aria-current', 'page');
  $(other).removeAttribute('aria-current');
  document.title = adminPage ? 'People & keys — VExAA' : 'Convert — VExAA';
  if (adminPage) await admin.load();
}

boot();
