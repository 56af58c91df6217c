// Every member's own account: a new password (every other session ends) and their own API keys.
import { api } from './api.js';
import { $, announce } from './dom.js';
import { renderKeys } from './keys.js';

export function mount() {
  $('password-form').addEventListener('submit', changePassword);
}

export async function load() {
  hide('account-error');
  await renderKeys($('my-keys'), {
    path: '/api/v1/me/keys', who: 'Your', owner: 'you', secrets: $('account-secrets'), onError: (m) => show('account-error', m),
  });
}

async function changePassword(event) {
  event.preventDefault();
  hide('password-error');
  $('password-done').hidden = true;
  const current = $('current-password');
  const fresh = $('new-password');
  const again = $('repeat-password');
  // Checked here first so a typo costs nothing; the server checks the same rules again.
  const problem = !current.value ? [current, 'Enter your current password.']
    : fresh.value.length < 12 ? [fresh, 'The new password needs at least 12 characters.']
      : fresh.value.length > 1024 ? [fresh, 'The new password may have at most 1024 characters.']
        : fresh.value !== again.value ? [again, 'The two new passwords are not the same.'] : null;
  for (const field of [current, fresh, again]) field.removeAttribute('aria-invalid');
  if (problem) {
    problem[0].setAttribute('aria-invalid', 'true');
    show('password-error', problem[1]);
    problem[0].focus();
    return;
  }
  try {
    await api('POST', '/api/v1/me/password', { currentPassword: current.value, newPassword: fresh.value });
    $('password-form').reset();
    $('password-done').hidden = false;
    $('password-done').focus();
    announce('Password changed. Your other sessions have ended.');
  } catch (error) {
    const field = error.code === 'invalid-credentials' ? current : fresh;
    field.setAttribute('aria-invalid', 'true');
    show('password-error', error.code === 'invalid-credentials' ? 'Your current password is not right.' : error.message);
    field.select();
  }
}

function show(id, message) {
  $(id).textContent = message;
  $(id).hidden = false;
}

function hide(id) {
  $(id).hidden = true;
}
