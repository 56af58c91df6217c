// The VExAA web page: sign in, drop videos, watch them convert, listen and download. Plain ES modules, no framework.
import { api, onSignedOut } from './api.js';
import { $, announce } from './dom.js';
import * as options from './options.js';
import * as uploads from './uploads.js';
import * as review from './review.js';
import * as unfinished from './unfinished.js';
import * as jobs from './jobs.js';
import * as admin from './admin.js';
import * as account from './account.js';
import { setBaseTitle } from './progress.js';

let me = null;

async function boot() {
  options.mount();
  uploads.mount(review.add);
  review.mount();
  jobs.mount();
  admin.mount(null);
  account.mount();
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
  setBaseTitle('Sign in — VExAA');
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
    // Focus goes where the work starts, not back to the page's top.
    (location.hash === '#/admin' || location.hash === '#/account' ? document.querySelector('#main h2') : $('choose-files')).focus();
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
  admin.signedIn(me);
  await route();
  await jobs.start();
  await unfinished.find();
}

const pages = {
  convert: { view: 'convert-view', nav: 'nav-convert', title: 'Convert — VExAA' },
  admin: { view: 'admin-view', nav: 'nav-admin', title: 'People & keys — VExAA', load: () => admin.load() },
  account: { view: 'account-view', nav: 'nav-account', title: 'Your account — VExAA', load: () => account.load() },
};

async function route(event) {
  if (!me) return;
  const wanted = location.hash === '#/admin' && me.isAdmin ? 'admin' : location.hash === '#/account' ? 'account' : 'convert';
  for (const [name, page] of Object.entries(pages)) {
    $(page.view).hidden = name !== wanted;
    if (name === wanted) $(page.nav).setAttribute('aria-current', 'page');
    else $(page.nav).removeAttribute('aria-current');
  }
  setBaseTitle(pages[wanted].title);
  $('account-username').value = me.name;
  if (pages[wanted].load) await pages[wanted].load();
  // Moving between pages with a link puts focus at the new page's first heading, as a new page would.
  if (event) $(pages[wanted].view).querySelector('h2')?.focus();
}

boot();
