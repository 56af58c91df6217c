// The person's jobs, kept live by one Server-Sent Events stream (GET /api/v1/jobs/events): no refresh button.
import * as again from './again.js';
import { story, fileLine, pauseMap, describeInput, describeOutput } from './story.js';
import { api } from './api.js';
import { $, h, icon, announce, confirmButton } from './dom.js';
import { explain } from './errors.js';
import * as fmt from './format.js';
import * as progressLine from './progress.js';

const jobs = new Map(); // id → { job, element }
let feed = null;
let nextCursor = null;

const stateLabels = { queued: 'Waiting', running: 'Converting', succeeded: 'Ready', failed: 'Failed', canceled: 'Canceled' };

export async function start() {
  jobs.clear();
  $('job-list').replaceChildren();
  await loadPage(null);
  connect();
}

export function stop() {
  feed?.close();
  feed = null;
  jobs.clear();
  $('job-list').replaceChildren();
}

async function loadPage(cursor) {
  const page = await api('GET', `/api/v1/jobs?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  for (const job of page.jobs) upsert(job, { append: true });
  nextCursor = page.nextCursor;
  $('jobs-more').hidden = !nextCursor;
  refreshChrome();
}

export function mount() {
  $('jobs-more').addEventListener('click', () => loadPage(nextCursor));
  progressLine.mountNotifications();
  // Other people's jobs ahead in the queue start and end without an event for this person: look again while any waits.
  setInterval(refreshWaiting, 5000);
  $('select-all').addEventListener('change', (event) => {
    for (const box of document.querySelectorAll('.job-select')) box.checked = event.target.checked;
    refreshChrome();
  });
  $('job-list').addEventListener('change', (event) => { if (event.target.classList.contains('job-select')) refreshChrome(); });
  confirmButton($('delete-selected'), 'Delete selected', 'Really delete?', async () => {
    for (const id of selectedIds()) await remove(id);
    refreshChrome();
  });
}

function connect() {
  feed?.close();
  feed = new EventSource('/api/v1/jobs/events');
  let dropped = false;
  feed.addEventListener('state', (event) => upsert(JSON.parse(event.data)));
  feed.addEventListener('progress', (event) => progress(JSON.parse(event.data)));
  feed.addEventListener('deleted', (event) => forget(JSON.parse(event.data).id));
  feed.addEventListener('error', () => {
    dropped = true;
    if (feed?.readyState !== EventSource.OPEN) progressLine.connection(false);
  });
  feed.addEventListener('open', async () => {
    progressLine.connection(true);
    // After a dropped connection, catch up on what happened meanwhile.
    if (dropped) {
      dropped = false;
      const page = await api('GET', '/api/v1/jobs?limit=50');
      for (const job of page.jobs) upsert(job);
    }
  });
}

/** Adds a job or updates it. The card is rebuilt only when the state changes, so a playing player keeps playing. */
export function upsert(job, { append = false } = {}) {
  const known = jobs.get(job.id);
  // Events carry the job without its place in the queue (that depends on everyone's jobs): keep the last one known
  // until the next look at the queue, which a change makes happen soon.
  if (job.status === 'queued' && job.queuePosition == null && known?.job.status === 'queued') job = { ...job, queuePosition: known.job.queuePosition };
  if (job.status !== known?.job.status) soonRefreshWaiting();
  if (known && known.job.status === job.status && job.status !== 'running' && job.status !== 'queued') {
    known.job = job;
    return known.element;
  }
  const element = render(job);
  if (known) {
    const wasSelected = known.element.querySelector('.job-select')?.checked;
    const hadFocus = document.activeElement === known.element;
    known.element.replaceWith(element);
    if (wasSelected) element.querySelector('.job-select').checked = true;
    // A card keeps the focus it had while it is rebuilt (after Convert again or Try again), instead of dropping it to <body>.
    if (hadFocus) element.focus();
    announceChange(known.job, job);
  } else if (append) {
    $('job-list').append(element);
  } else {
    insertByDate(element, job);
  }
  jobs.set(job.id, { job, element });
  refreshChrome();
  return element;
}

function insertByDate(element, job) {
  const list = $('job-list');
  const after = [...list.children].find((li) => (jobs.get(li.dataset.id)?.job.createdAt ?? '') < job.createdAt);
  list.insertBefore(element, after ?? null);
}

function announceChange(before, job) {
  if (before.status === job.status) return;
  if (job.status === 'succeeded') announce(`${job.input.name} is ready to play and download.`);
  else if (job.status === 'failed') announce(`${job.input.name} failed: ${explain(job.error?.code, job.error?.message).text}`);
  else if (job.status === 'running') announce(`Converting ${job.input.name}.`);
}

function progress(update) {
  const known = jobs.get(update.id);
  if (!known) return;
  if (update.status !== known.job.status) {
    // A state change announced only as progress (another process): fetch the whole job.
    api('GET', `/api/v1/jobs/${update.id}`).then(upsert, () => {});
    return;
  }
  const before = known.job.progress;
  known.job = { ...known.job, progress: update.progress, etaSeconds: update.etaSeconds, phase: update.phase ?? known.job.phase };
  setProgress(known.element, known.job);
  progressLine.summarize([...jobs.values()].map((j) => j.job));
  const step = (f) => Math.floor(f * 4);
  if (step(update.progress) > step(before) && update.progress < 1) announce(`${known.job.input.name}: ${fmt.percent(update.progress)} converted.`);
}

function forget(id) {
  const known = jobs.get(id);
  if (!known) return;
  known.element.remove();
  jobs.delete(id);
  refreshChrome();
}

async function remove(id) {
  try {
    await api('DELETE', `/api/v1/jobs/${id}`);
    const name = jobs.get(id)?.job.input.name;
    forget(id);
    if (name) announce(`${name} deleted.`);
  } catch (error) {
    if (error.status === 404) forget(id);
    else announce(`Could not delete: ${error.message}`);
  }
}

function selectedIds() {
  return [...document.querySelectorAll('.job-select:checked')].map((box) => box.closest('li').dataset.id);
}

function refreshChrome() {
  const ids = selectedIds();
  const download = $('download-selected');
  const downloadable = ids.filter((id) => jobs.get(id)?.job.status === 'succeeded');
  if (downloadable.length > 0) {
    download.href = `/api/v1/jobs/archive?ids=${downloadable.join(',')}`;
    download.removeAttribute('aria-disabled');
    download.tabIndex = 0;
  } else {
    download.removeAttribute('href');
    download.setAttribute('aria-disabled', 'true');
    download.tabIndex = -1;
  }
  download.querySelector('span').textContent = downloadable.length > 1 ? `Download ${downloadable.length} as .zip` : 'Download selected (.zip)';
  $('delete-selected').disabled = ids.length === 0;
  $('jobs-empty').hidden = jobs.size > 0;
  $('job-toolbar').hidden = jobs.size === 0;
  const boxes = document.querySelectorAll('.job-select');
  $('select-all').checked = boxes.length > 0 && [...boxes].every((b) => b.checked);
  progressLine.summarize([...jobs.values()].map((j) => j.job));
}

let soon = null;
function soonRefreshWaiting() {
  clearTimeout(soon);
  soon = setTimeout(refreshWaiting, 300);
}

async function refreshWaiting() {
  if (!feed || ![...jobs.values()].some((j) => j.job.status === 'queued')) return;
  try {
    const page = await api('GET', '/api/v1/jobs?status=queued&limit=50');
    for (const job of page.jobs) {
      const known = jobs.get(job.id);
      if (known?.job.status === 'queued') {
        known.job = job;
        setProgress(known.element, job);
      }
    }
  } catch {
    // The event stream's banner says when the server is away.
  }
}

function render(job) {
  const titleId = `job-${job.id}-title`;
  const li = h('li', { class: `card job is-${job.status}`, dataset: { id: job.id, status: job.status }, 'aria-labelledby': titleId, tabindex: '-1' },
    h('div', { class: 'job-head' },
      h('input', { type: 'checkbox', class: 'job-select', 'aria-label': `Select ${job.input.name}` }),
      h('div', { class: 'job-icon' }, icon(job.status === 'failed' ? 'alert' : job.status === 'succeeded' ? 'music' : job.status === 'queued' ? 'clock' : 'film')),
      h('div', { class: 'job-title' },
        h('h3', { id: titleId, class: 'job-name', title: job.input.name }, job.input.name),
        h('p', { class: 'job-meta' },
          h('span', { class: 'job-input' }, describeInput(job)),
          h('span', { class: 'arrow', 'aria-label': 'to' }, '→'),
          h('span', { class: 'job-output' }, describeOutput(job)))),
      h('span', { class: `badge badge-${job.status}` }, stateLabels[job.status] ?? job.status),
      deleteButton(job)),
    progressBlock(job),
    job.status === 'failed' ? failure(job) : null,
    job.status === 'succeeded' ? results(job) : null,
    job.status === 'succeeded' || job.status === 'failed' ? story(job) : null,
    job.status === 'succeeded' ? pauseMap(job) : null,
    again.block(job, upsert));
  setProgress(li, job);
  return li;
}

function progressBlock(job) {
  if (job.status === 'failed' || job.status === 'canceled') return null;
  return h('div', { class: 'progress-row' },
    h('progress', { class: 'bar', max: 100, value: 0, 'aria-label': `Conversion of ${job.input.name}` }),
    h('span', { class: 'progress-text' }));
}

function setProgress(element, job) {
  const bar = element.querySelector('progress');
  if (!bar) return;
  const value = job.status === 'succeeded' ? 100 : Math.floor((job.progress ?? 0) * 100);
  bar.value = value;
  const text = element.querySelector('.progress-text');
  text.textContent = progressLine.statusText(job);
}

function failure(job) {
  const { text, retry, detail } = explain(job.error?.code, job.error?.message);
  const box = h('div', { class: 'failure', role: 'note' },
    icon('alert'),
    h('div', {},
      h('p', { class: 'failure-text' }, text),
      detail ? h('details', { class: 'failure-detail' }, h('summary', {}, 'Technical details'), h('p', {}, `${job.error.code}: ${detail}`)) : null));
  if (retry && job.input.stored) {
    box.append(h('button', { type: 'button', class: 'button small retry', onclick: () => retryJob(job) }, icon('retry'), h('span', {}, 'Try again')));
  }
  return box;
}

async function retryJob(job) {
  try {
    upsert(await api('POST', `/api/v1/jobs/${job.id}/retry`))?.focus();
    announce(`Trying ${job.input.name} again.`);
  } catch (error) {
    announce(explain(error.code, error.message).text);
    const known = jobs.get(job.id);
    known?.element.querySelector('.failure-text')?.replaceChildren(explain(error.code, error.message).text);
  }
}

function results(job) {
  // A package (a zip) is downloaded, not played; several files get a line each, the player under the name.
  return h('ul', { class: job.results.length > 1 ? 'results many' : 'results' }, job.results.map((r) => h('li', { class: 'result' },
    r.contentType.startsWith('audio/') ? h('audio', { controls: true, preload: 'metadata', src: r.url, 'aria-label': `Listen to ${r.fileName}` }) : null,
    h('div', { class: 'result-actions' },
      job.results.length > 1 ? h('span', { class: 'result-name' }, r.fileName) : null,
      fileLine(r),
      h('a', { class: 'button primary small download', href: r.url, download: r.fileName },
        icon('download'), h('span', {}, 'Download'), h('span', { class: 'visually-hidden' }, ` ${r.fileName}`))))));
}

function deleteButton(job) {
  const running = job.status === 'queued' || job.status === 'running';
  const label = running ? 'Cancel' : 'Delete';
  const button = h('button', { type: 'button', class: 'button small ghost danger delete', title: `${label} ${job.input.name}` },
    icon(running ? 'x' : 'trash'), h('span', { class: 'label' }, label), h('span', { class: 'visually-hidden' }, ` ${job.input.name}`));
  return confirmButton(button, label, running ? 'Cancel?' : 'Delete?', () => remove(job.id));
}
