// Uploads a previous visit left unfinished (tus-js-client keeps their addresses in localStorage): listed with how much
// the server has, so the person can choose the same file again and continue from there, or discard them.
import { CSRF_HEADER } from './api.js';
import { $, h, icon, announce } from './dom.js';
import * as fmt from './format.js';

/** Lists uploads a previous visit left unfinished, with the server's offset, and offers to continue them. */
export async function find() {
  if (typeof tus === 'undefined' || !tus.defaultOptions.urlStorage) return;
  const storage = tus.defaultOptions.urlStorage;
  const list = $('resumable-list');
  list.replaceChildren();
  for (const entry of await storage.findAllUploads()) {
    let response;
    try {
      response = await fetch(entry.uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', ...CSRF_HEADER }, cache: 'no-store' });
    } catch {
      continue;
    }
    if (!response.ok) {
      // Expired, finished, or someone else's: nothing to continue.
      if (response.status !== 401) await storage.removeUpload(entry.urlStorageKey);
      continue;
    }
    const offset = Number(response.headers.get('Upload-Offset'));
    const length = Number(response.headers.get('Upload-Length')) || entry.size;
    const name = entry.metadata?.filename ?? 'a file';
    list.append(h('li', { class: 'card resumable-item', dataset: { key: entry.urlStorageKey, uploadUrl: entry.uploadUrl, offset: String(offset) } },
      h('div', { class: 'job-head' },
        h('div', { class: 'job-icon' }, icon('upload')),
        h('div', { class: 'job-title' },
          h('h3', { class: 'job-name', title: name }, name),
          h('p', { class: 'job-meta' }, `${fmt.percent(length ? offset / length : 0)} uploaded (${fmt.bytes(offset)} of ${fmt.bytes(length)})`)),
        h('div', { class: 'job-actions' },
          h('button', { type: 'button', class: 'button small primary', onclick: () => $('file-input').click() }, `Choose ${name} again`),
          h('button', {
            type: 'button', class: 'button small ghost', 'aria-label': `Discard the unfinished upload of ${name}`,
            onclick: async (event) => {
              await tus.Upload.terminate(entry.uploadUrl, { headers: CSRF_HEADER }).catch(() => {});
              await storage.removeUpload(entry.urlStorageKey);
              event.target.closest('li').remove();
              $('resumable').hidden = list.children.length === 0;
            },
          }, 'Discard'))),
      h('div', { class: 'progress-row' },
        h('progress', { class: 'bar', max: 100, value: length ? Math.floor((offset / length) * 100) : 0, 'aria-label': `${name}, uploaded so far` }))));
  }
  $('resumable').hidden = list.children.length === 0;
  if (list.children.length > 0) announce(`${list.children.length} unfinished upload(s): choose the same file again to continue.`);
}
