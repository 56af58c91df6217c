// Passwords and API keys the server shows once. Each gets its own box that stays until the person says they saved it,
// so making a second one never replaces a first that was not yet passed on.
import { h, announce } from './dom.js';

/** Shows a secret in `list` (a container element) and moves focus to its Copy button. */
export function showSecret(list, label, value) {
  const copy = h('button', { type: 'button', class: 'button small' }, 'Copy');
  const done = h('button', { type: 'button', class: 'button small ghost' }, 'I have saved it');
  const box = h('div', { class: 'secret', role: 'group', 'aria-label': label },
    h('p', { class: 'secret-label' }, label),
    h('div', { class: 'secret-row' }, h('code', { class: 'secret-value' }, value), copy),
    h('p', { class: 'secret-foot' }, h('span', { class: 'muted' }, 'Shown only now. Pass it on safely.'), done));
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
      copy.textContent = 'Copied';
      announce('Copied.');
    } catch {
      announce('Could not copy; select the text instead.');
    }
  });
  done.addEventListener('click', () => {
    const next = box.nextElementSibling ?? box.previousElementSibling;
    box.remove();
    (next?.querySelector('button') ?? list.closest('section')?.querySelector('h2, h3'))?.focus();
  });
  list.prepend(box);
  copy.focus();
  announce(label);
  return box;
}
