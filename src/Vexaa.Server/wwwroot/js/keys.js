// A table of API keys — the caller's own (/api/v1/me/keys) or, for administrators, a person's — with naming, revoking
// and making new ones. The secret of a key is shown once, when it is made; the list only ever has its first characters.
import { api } from './api.js';
import { h, icon, announce, confirmButton } from './dom.js';
import { showSecret } from './secrets.js';
import * as fmt from './format.js';

/**
 * Fills `root` with the keys at `path` and a form for a new one. `who` names the owner in labels ("your", "bea's"),
 * `secrets` is where a new key is shown, `onChange` runs after anything changed.
 */
export async function renderKeys(root, { path, who, owner, secrets, onError, onChange = async () => {} }) {
  const keys = await api('GET', path);
  const active = keys.filter((k) => !k.revokedAt);
  const revoked = keys.length - active.length;
  const label = h('input', { id: `${root.id}-label`, name: 'label', maxlength: 100, autocomplete: 'off', placeholder: 'e.g. laptop, backup script' });
  const form = h('form', { class: 'inline-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: label.id }, 'Name of the new key'), label),
    h('button', { type: 'submit', class: 'button primary' }, icon('key'), h('span', {}, 'New API key')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const key = await api('POST', path, { label: label.value.trim() || 'web' });
      showSecret(secrets, `A new API key “${key.label}” for ${owner}. Send it as “Authorization: Bearer <key>”:`, key.key);
      await onChange();
      await renderKeys(root, { path, who, owner, secrets, onError, onChange });
      secrets.querySelector('button')?.focus();
    } catch (error) {
      onError(error.message);
    }
  });

  const rows = active.map((key) => row(key, () => renderKeys(root, { path, who, owner, secrets, onError, onChange }).then(onChange), path, onError));
  root.replaceChildren(
    active.length
      ? h('table', { class: 'users keys' },
        h('caption', { class: 'visually-hidden' }, `${who} API keys`),
        h('thead', {}, h('tr', {}, ...['Name', 'Starts with', 'Made', 'Last used'].map((t) => h('th', { scope: 'col' }, t)),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        h('tbody', {}, rows))
      : h('p', { class: 'muted empty-keys' }, `No API keys${revoked ? ` (${revoked} revoked)` : ''}.`),
    form);
}

function row(key, refresh, path, onError) {
  const url = `${path}/${encodeURIComponent(key.id)}`;
  const rename = h('button', { type: 'button', class: 'button small ghost rename' }, h('span', {}, 'Rename'), h('span', { class: 'visually-hidden' }, ` ${key.label}`));
  const revoke = h('button', { type: 'button', class: 'button small ghost danger revoke' },
    h('span', { class: 'label' }, 'Revoke'), h('span', { class: 'visually-hidden' }, ` ${key.label}`));
  confirmButton(revoke, 'Revoke', 'Press again: it stops at once', async () => {
    try {
      await api('DELETE', url);
      announce(`Revoked ${key.label}.`);
      await refresh();
    } catch (error) {
      onError(error.message);
    }
  });
  const name = h('th', { scope: 'row', 'data-label': 'Name' }, key.label);
  rename.addEventListener('click', () => {
    const input = h('input', { value: key.label, maxlength: 100, 'aria-label': `New name for ${key.label}` });
    const save = h('button', { type: 'submit', class: 'button small primary' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'button small ghost' }, 'Cancel');
    const form = h('form', { class: 'rename-form' }, input, save, cancel);
    cancel.addEventListener('click', () => { name.replaceChildren(key.label); rename.focus(); });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api('PATCH', url, { label: input.value.trim() });
        announce(`Renamed to ${input.value.trim()}.`);
        await refresh();
      } catch (error) {
        onError(error.message);
      }
    });
    name.replaceChildren(form);
    input.select();
  });
  return h('tr', { dataset: { key: key.id } },
    name,
    h('td', { 'data-label': 'Starts with' }, h('code', {}, `${key.prefix}…`)),
    h('td', { 'data-label': 'Made' }, fmt.date(key.createdAt)),
    h('td', { 'data-label': 'Last used' }, key.lastUsedAt ? fmt.date(key.lastUsedAt) : 'never'),
    h('td', { class: 'actions' }, rename, revoke));
}
