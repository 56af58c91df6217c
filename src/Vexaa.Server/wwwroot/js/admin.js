// For administrators: the people who may use this server. Add a person (with a generated password), and for each
// person: their role, disabling and enabling, a new password, their API keys, and deleting them with all their jobs.
import { api } from './api.js';
import { $, h, icon, announce, confirmButton } from './dom.js';
import { showSecret } from './secrets.js';
import { renderKeys } from './keys.js';
import * as fmt from './format.js';

let me = null;
let open = null;

export function mount(currentUser) {
  me = currentUser;
  $('new-user-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = $('new-user-name').value.trim();
    hideError();
    try {
      const user = await api('POST', '/api/v1/admin/users', { name, admin: $('new-user-admin').checked });
      showSecret($('admin-secrets'), `${user.name} can now sign in with the user name “${user.name}” and this password:`, user.password);
      $('new-user-form').reset();
      await load();
    } catch (error) {
      showError(error.message, $('new-user-name'));
    }
  });
}

export function signedIn(currentUser) {
  me = currentUser;
}

export async function load() {
  const users = await api('GET', '/api/v1/admin/users');
  $('user-rows').replaceChildren(...users.map(personRow));
  const still = users.find((u) => u.name === open);
  if (still) await showPerson(still, false);
  else closePerson();
}

function personRow(user) {
  const manage = h('button', { type: 'button', class: 'button small manage', 'aria-controls': 'person-panel', 'aria-expanded': String(open === user.name) },
    h('span', {}, 'Manage'), h('span', { class: 'visually-hidden' }, ` ${user.name}`));
  manage.addEventListener('click', () => showPerson(user, true));
  return h('tr', { dataset: { name: user.name }, class: user.disabled ? 'disabled' : '' },
    h('th', { scope: 'row', 'data-label': 'Name' }, h('span', { class: 'avatar small', 'aria-hidden': 'true' }, user.name.slice(0, 1).toUpperCase()), user.name,
      user.name === me?.name ? h('span', { class: 'muted' }, ' (you)') : null),
    h('td', { 'data-label': 'Role' }, h('span', { class: `badge ${user.isAdmin ? 'badge-admin' : 'badge-member'}` }, user.isAdmin ? 'Administrator' : 'Member'),
      user.disabled ? h('span', { class: 'badge badge-failed' }, 'Disabled') : null),
    h('td', { 'data-label': 'API keys' }, String(user.activeKeys)),
    h('td', { 'data-label': 'Since' }, fmt.date(user.createdAt)),
    h('td', { class: 'actions' }, manage));
}

async function showPerson(user, focus) {
  hideError();
  open = user.name;
  for (const button of document.querySelectorAll('#user-rows .manage')) {
    button.setAttribute('aria-expanded', String(button.closest('tr').dataset.name === user.name));
  }
  const panel = $('person-panel');
  const base = `/api/v1/admin/users/${encodeURIComponent(user.name)}`;
  const self = user.name === me?.name;
  const heading = h('h2', { class: 'section-title', id: 'person-heading', tabindex: '-1' }, user.name,
    h('span', { class: 'muted' }, ` · ${user.isAdmin ? 'Administrator' : 'Member'}${user.disabled ? ' · disabled' : ''}`));
  const close = h('button', { type: 'button', class: 'button small ghost icon-only', 'aria-label': `Close ${user.name}` }, icon('x'));
  close.addEventListener('click', () => {
    closePerson();
    document.querySelector(`#user-rows tr[data-name="${CSS.escape(user.name)}"] .manage`)?.focus();
  });

  const role = action(user.isAdmin ? 'Make member' : 'Make administrator', async () => {
    await api('PATCH', base, { isAdmin: !user.isAdmin });
    announce(`${user.name} is now ${user.isAdmin ? 'a member' : 'an administrator'}.`);
  });
  const disable = action(user.disabled ? 'Enable' : 'Disable', async () => {
    await api('PATCH', base, { disabled: !user.disabled });
    announce(user.disabled ? `${user.name} can sign in again.` : `${user.name} is disabled: signed out everywhere, keys stopped.`);
  });
  const password = h('button', { type: 'button', class: 'button small reset-password' }, h('span', { class: 'label' }, 'New password'));
  confirmButton(password, 'New password', `Press again: ${user.name} is signed out`, () => run(async () => {
    const fresh = await api('POST', `${base}/password`);
    showSecret($('admin-secrets'), `${fresh.name}'s new password (their sessions have ended):`, fresh.password);
  }, false));
  const remove = h('button', { type: 'button', class: 'button small danger delete-person' }, icon('trash'), h('span', { class: 'label' }, `Delete ${user.name}`));
  confirmButton(remove, `Delete ${user.name}`, 'Press again: jobs and files go too', () => run(async () => {
    await api('DELETE', base);
    announce(`Deleted ${user.name} with their jobs and files.`);
    open = null;
  }, false).then(() => $('admin-heading').focus()));
  if (self) {
    // The server refuses these anyway (nobody locks themselves out); the page does not offer them.
    for (const b of [role, disable, remove]) b.disabled = true;
  }

  const keys = h('div', { id: 'person-keys', class: 'keys-block' });
  panel.replaceChildren(
    h('div', { class: 'panel-head' }, heading, close),
    ...(self ? [h('p', { class: 'muted' }, 'This is you: another administrator can change your role, disable or delete you.')] : []),
    h('div', { class: 'person-actions' }, role, disable, password, remove),
    h('h3', { class: 'subsection-title' }, `${user.name}'s API keys`),
    keys);
  panel.hidden = false;
  await renderKeys(keys, { path: `${base}/keys`, who: `${user.name}'s`, owner: user.name, secrets: $('admin-secrets'), onError: showError, onChange: refreshCounts });
  if (focus) heading.focus();
}

async function refreshCounts() {
  const users = await api('GET', '/api/v1/admin/users');
  $('user-rows').replaceChildren(...users.map(personRow));
}

function action(label, work) {
  const button = h('button', { type: 'button', class: 'button small' }, label);
  button.addEventListener('click', () => run(work, true));
  return button;
}

async function run(work, keepFocus) {
  hideError();
  try {
    await work();
    await load();
    if (keepFocus) $('person-heading')?.focus();
  } catch (error) {
    showError(error.message);
  }
}

function closePerson() {
  open = null;
  $('person-panel').hidden = true;
  $('person-panel').replaceChildren();
  for (const button of document.querySelectorAll('#user-rows .manage')) button.setAttribute('aria-expanded', 'false');
}

function showError(message, field) {
  $('admin-error').textContent = message;
  $('admin-error').hidden = false;
  (field ?? $('admin-error')).focus?.();
}

function hideError() {
  $('admin-error').hidden = true;
}
