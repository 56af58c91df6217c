// For administrators: the people who may use this server, new people (with a generated password) and API keys.
import { api } from './api.js';
import { $, h, icon, announce } from './dom.js';
import * as fmt from './format.js';

export function mount() {
  $('new-user-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = $('new-user-name').value.trim();
    hideError();
    try {
      const user = await api('POST', '/api/v1/admin/users', { name, admin: $('new-user-admin').checked });
      showSecret(`${user.name} can now sign in with the user name “${user.name}” and this password:`, user.password);
      $('new-user-form').reset();
      await load();
    } catch (error) {
      showError(error.message);
    }
  });
  $('secret-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('secret-value').textContent);
      $('secret-copy').textContent = 'Copied';
      announce('Copied.');
    } catch {
      announce('Could not copy; select the text instead.');
    }
  });
}

export async function load() {
  const users = await api('GET', '/api/v1/admin/users');
  $('user-rows').replaceChildren(...users.map((user) => h('tr', { dataset: { name: user.name } },
    h('th', { scope: 'row' }, h('span', { class: 'avatar small', 'aria-hidden': 'true' }, user.name.slice(0, 1).toUpperCase()), user.name),
    h('td', {}, h('span', { class: `badge ${user.isAdmin ? 'badge-admin' : 'badge-member'}` }, user.isAdmin ? 'Administrator' : 'Member')),
    h('td', {}, String(user.activeKeys)),
    h('td', {}, fmt.date(user.createdAt)),
    h('td', { class: 'actions' }, h('button', { type: 'button', class: 'button small ghost new-key', onclick: () => createKey(user.name) },
      icon('key'), h('span', {}, 'New API key'), h('span', { class: 'visually-hidden' }, ` for ${user.name}`))))));
}

async function createKey(name) {
  hideError();
  try {
    const key = await api('POST', `/api/v1/admin/users/${encodeURIComponent(name)}/keys`, { label: 'web' });
    showSecret(`A new API key for ${key.user}. Send it as “Authorization: Bearer <key>”:`, key.key);
    await load();
  } catch (error) {
    showError(error.message);
  }
}

function showSecret(label, value) {
  $('secret-label').textContent = label;
  $('secret-value').textContent = value;
  $('secret-copy').textContent = 'Copy';
  $('secret-box').hidden = false;
  $('secret-copy').focus();
}

function showError(message) {
  $('admin-error').textContent = message;
  $('admin-error').hidden = false;
}

function hideError() {
  $('admin-error').hidden = true;
  $('secret-box').hidden = true;
}
