// Builds elements from data. Text always goes in as text nodes, never as HTML, so names people give their files are shown, not run.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An icon from the sprite in index.html. */
export function icon(name, className = 'icon') {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
  use.setAttribute('href', `#i-${name}`);
  svg.append(use);
  return svg;
}

export const $ = (id) => document.getElementById(id);

let announceTimer;
/** Says something to screen readers through the page's polite live region. */
export function announce(message) {
  const region = $('announcer');
  clearTimeout(announceTimer);
  region.textContent = '';
  // A fresh text node after a short pause makes screen readers read repeated messages again.
  announceTimer = setTimeout(() => { region.textContent = message; }, 50);
}

/** A button that asks for a second press before doing something that cannot be undone. */
export function confirmButton(button, label, confirmLabel, action) {
  let armed = false;
  let timer;
  const text = button.querySelector('span.label') ?? button.querySelector('span') ?? button;
  button.addEventListener('click', async () => {
    if (!armed) {
      armed = true;
      text.textContent = confirmLabel;
      button.classList.add('armed');
      timer = setTimeout(() => { armed = false; text.textContent = label; button.classList.remove('armed'); }, 4000);
      return;
    }
    clearTimeout(timer);
    armed = false;
    text.textContent = label;
    button.classList.remove('armed');
    await action();
  });
  return button;
}
