// Uploads by tus (tus-js-client): each file has its own card with progress, speed and time left. tus-js-client remembers
// each upload's address in localStorage, so after a dropped connection or a reload the same file continues from the
// server's offset instead of starting over. Browsers cannot reopen a file by themselves: after a reload unfinished.js lists
// the unfinished uploads and asks for the same file again.
import { api, CSRF_HEADER } from './api.js';
import { $, h, icon, announce } from './dom.js';
import { explain } from './errors.js';
import * as fmt from './format.js';
import * as jobs from './jobs.js';
import * as S from './settings.js';
import { plan, audioOnly } from './extract.js';
import { JoinGroup } from './join.js';
import { grab, fromImage } from './cover.js';

const endpoint = '/api/v1/uploads';
const maxParallel = 2;
// Chunks keep each request bounded (proxies limit bodies); ?chunkSize=N overrides it, e.g. to watch resuming closely.
const chunkSize = Number(new URLSearchParams(location.search).get('chunkSize')) || 32 * 1024 * 1024;

const waiting = [];
const items = new Set();
let active = 0;

/** onFiles receives the files chosen or dropped (they go to the review step first). */
export function mount(onFiles) {
  const input = $('file-input');
  $('choose-files').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    onFiles([...input.files]);
    input.value = '';
  });

  const zone = $('dropzone');
  let depth = 0;
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    depth++;
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) document.body.classList.remove('dragging');
  });
  document.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  // Dropping anywhere on the page works; the drop zone is where the page invites it.
  document.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    document.body.classList.remove('dragging');
    onFiles([...event.dataTransfer.files]);
  });
  zone.addEventListener('dragover', () => zone.classList.add('over'));
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', () => zone.classList.remove('over'));
}

/**
 * Starts sending reviewed files, each { file, probe, settings, fields } (or queues them, two at a time). With `join`
 * (the job fields of the join), they become one job once all have arrived.
 */
export function add(entries, join = null) {
  const group = join ? new JoinGroup(join, done) : null;
  for (const entry of entries) {
    const item = new UploadItem(entry, group);
    group?.add(item);
    items.add(item);
    $('upload-list').append(item.element);
    waiting.push(item);
  }
  $('uploads').hidden = items.size === 0;
  const files = entries.map((e) => e.file);
  if (files.length > 0) announce(files.length === 1 ? `Sending ${files[0].name}.` : `Sending ${files.length} files.`);
  $('upload-list').querySelector('.cancel')?.focus();
  // On a phone the list is below the settings: bring the new uploads into view.
  if (files.length > 0 && matchMedia('(max-width: 900px)').matches) $('uploads').scrollIntoView({ block: 'start' });
  pump();
}

function pump() {
  while (active < maxParallel && waiting.length > 0) {
    active++;
    waiting.shift().start().finally(() => { active--; pump(); });
  }
}

function done(item) {
  items.delete(item);
  item.element.remove();
  $('uploads').hidden = items.size === 0;
}

/** Stops every upload (signing out); they can be resumed later. */
export function stopAll() {
  for (const item of items) item.tus?.abort(false);
  items.clear();
  waiting.length = 0;
  $('upload-list').replaceChildren();
  $('uploads').hidden = true;
  $('resumable-list').replaceChildren();
  $('resumable').hidden = true;
}

class UploadItem {
  constructor(entry, group) {
    const file = entry.file;
    this.entry = entry;
    this.group = group;
    this.file = file;
    this.plan = plan(file, entry.probe, entry.settings);
    this.element = null;
    this.samples = [];
    this.announced = 0;
    this.finished = new Promise((resolve) => { this.resolve = resolve; });
    this.element = h('li', { class: 'card upload', dataset: { state: 'waiting' } },
      h('div', { class: 'job-head' },
        h('div', { class: 'job-icon' }, icon('upload')),
        h('div', { class: 'job-title' },
          h('h3', { class: 'job-name', title: file.name }, file.name),
          h('p', { class: 'job-meta' }, h('span', {}, fmt.bytes(file.size)), h('span', { class: 'arrow', 'aria-label': 'to' }, '→'),
            h('span', { class: 'upload-target' }, group ? `part ${group.items.length + 1} of one joined file` : S.describe(entry.settings, entry.probe)))),
        h('button', { type: 'button', class: 'button small ghost icon-only cancel', 'aria-label': `Stop uploading ${file.name}`, onclick: () => this.cancel() }, icon('x'))),
      h('div', { class: 'progress-row' },
        h('progress', { class: 'bar', max: 100, value: 0, 'aria-label': `Upload of ${file.name}` }),
        h('span', { class: 'progress-text' }, 'Waiting to upload…')),
      h('p', { class: 'upload-how muted', dataset: { how: this.plan.how } }, `${this.plan.how === 'audio' ? 'Sending the audio only' : 'Sending the whole file'}: ${this.plan.why}.`),
      h('div', { class: 'upload-extra' }));
  }

  set state(value) { this.element.dataset.state = value; }

  text(value) { this.element.querySelector('.progress-text').textContent = value; }

  async start() {
    this.state = 'uploading';
    let sending = this.file;
    if (this.entry.settings.cover === 'image') {
      // Made small and square here (the server checks and re-encodes it again), so it fits in the job's JSON.
      const picture = this.entry.coverFile ? await fromImage(this.entry.coverFile) : null;
      if (!picture) {
        this.showError('The cover picture cannot be read; choose a JPEG or PNG.', null);
        this.resolve();
        return this.finished;
      }
      this.entry.fields = { ...this.entry.fields, coverImage: picture };
    }
    if (this.plan.how === 'audio') {
      this.text('Copying the audio out of the video…');
      const began = performance.now();
      const audio = await audioOnly(this.file, this.entry.probe, (f) => this.text(`Copying the audio out of the video… ${fmt.percent(f)}`));
      // Kept on the card for bench/web.sh, which reports the copy apart from the upload.
      this.element.dataset.copyMs = String(Math.round(performance.now() - began));
      const how = this.element.querySelector('.upload-how');
      // The cover frame is taken here too, so the video need not go for it; if it cannot be, the whole video goes.
      const taken = this.entry.settings.cover === 'auto' || this.entry.settings.cover === 'time';
      const picture = audio && taken ? await grab(this.entry.probe, this.entry.settings) : undefined;
      if (audio && picture !== null) {
        sending = audio;
        if (picture) {
          this.entry.fields = { ...this.entry.fields, coverImage: picture };
          delete this.entry.fields.cover;
        }
        how.textContent = `Sending the audio only: ${fmt.bytes(audio.size)} of ${fmt.bytes(this.file.size)} (${this.plan.why}${picture ? '; the cover frame was taken here' : ''}).`;
      } else {
        how.dataset.how = 'whole';
        how.textContent = audio ? 'Sending the whole file: this browser cannot take the cover frame from the video.'
          : 'Sending the whole file: the audio could not be copied out in the browser.';
      }
    }
    this.sending = sending;
    this.element.dataset.sentBytes = String(sending.size);
    this.text('Starting…');
    this.tus = new tus.Upload(sending, {
      endpoint,
      chunkSize,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      // The job is named after the video the person chose (results are "talk.mp3" for "talk.mp4"), whatever was sent.
      metadata: { filename: this.file.name, filetype: sending.type || 'application/octet-stream' },
      headers: CSRF_HEADER,
      removeFingerprintOnSuccess: true,
      // Recorded on the card: how many uploads were created for the file, and the offset the first chunk was sent from.
      onBeforeRequest: (request) => {
        if (request.getMethod() === 'POST') this.element.dataset.posts = String(Number(this.element.dataset.posts ?? 0) + 1);
        if (request.getMethod() === 'PATCH' && this.element.dataset.firstPatchOffset === undefined) {
          this.element.dataset.firstPatchOffset = request.getHeader('Upload-Offset');
        }
      },
      onUploadUrlAvailable: () => { this.element.dataset.uploadUrl = this.tus.url; },
      onProgress: (sent, total) => this.progress(sent, total),
      onSuccess: () => this.uploaded(),
      onError: (error) => this.failed(error),
    });
    const previous = await this.tus.findPreviousUploads();
    if (previous.length > 0) {
      previous.sort((a, b) => String(b.creationTime).localeCompare(String(a.creationTime)));
      this.tus.resumeFromPreviousUpload(previous[0]);
      this.element.dataset.resumed = 'true';
      document.querySelector(`#resumable-list li[data-key="${CSS.escape(previous[0].urlStorageKey)}"]`)?.remove();
      $('resumable').hidden = $('resumable-list').children.length === 0;
    }
    this.tus.start();
    return this.finished;
  }

  progress(sent, total) {
    const now = performance.now();
    this.samples.push([now, sent]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 5000) this.samples.shift();
    const [t0, b0] = this.samples[0];
    const rate = now > t0 ? ((sent - b0) * 1000) / (now - t0) : 0;
    const fraction = total > 0 ? sent / total : 0;
    this.element.querySelector('progress').value = Math.floor(fraction * 100);
    const resumed = this.element.dataset.resumed && this.element.dataset.firstPatchOffset > 0
      ? `continued from ${fmt.bytes(Number(this.element.dataset.firstPatchOffset))}` : '';
    this.text([`${fmt.percent(fraction)} of ${fmt.bytes(total)}`, fmt.speed(rate), rate > 0 ? fmt.timeLeft((total - sent) / rate) : '', resumed]
      .filter(Boolean).join(' · '));
    const quarter = Math.floor(fraction * 4);
    if (quarter > this.announced && fraction < 1) {
      this.announced = quarter;
      announce(`${this.file.name}: ${fmt.percent(fraction)} uploaded.`);
    }
  }

  cancel() {
    // Abandoned on purpose: the server deletes what arrived, and the browser forgets it.
    this.tus?.abort(true).catch(() => {});
    const at = waiting.indexOf(this);
    if (at >= 0) waiting.splice(at, 1);
    announce(`Stopped uploading ${this.file.name}.`);
    done(this);
    this.resolve();
  }

  failed(error) {
    if (!navigator.onLine) {
      // tus-js-client stops retrying while the browser is offline; carry on by ourselves once the connection is back.
      this.state = 'offline';
      this.text(`${this.element.querySelector('progress').value}% · waiting for the connection to come back…`);
      announce(`${this.file.name}: the connection was lost. The upload continues when it is back.`);
      window.addEventListener('online', () => { this.state = 'uploading'; this.tus.start(); }, { once: true });
      return;
    }
    const status = error.originalResponse?.getStatus?.() ?? 0;
    let code = 'network';
    let detail = error.message;
    try {
      const problem = JSON.parse(error.originalResponse?.getBody?.() || 'null');
      if (problem?.code) { code = problem.code; detail = problem.detail; }
    } catch { /* not JSON */ }
    if (status === 401) code = 'signed-out';
    this.showError(code === 'signed-out' ? 'Your session has ended. Sign in again and choose the file again to continue.' : explain(code, detail).text,
      () => { this.clearExtra(); this.state = 'uploading'; this.tus.start(); });
    this.resolve();
  }

  showError(message, retry) {
    this.state = 'error';
    this.element.classList.add('is-failed');
    this.text('Stopped');
    const box = h('div', { class: 'failure', role: 'note' }, icon('alert'), h('p', { class: 'failure-text' }, message));
    if (retry) box.append(h('button', { type: 'button', class: 'button small retry', onclick: retry }, icon('retry'), h('span', {}, 'Try again')));
    this.element.querySelector('.upload-extra').replaceChildren(box);
    announce(`${this.file.name}: ${message}`);
  }

  clearExtra() {
    this.element.classList.remove('is-failed');
    this.element.querySelector('.upload-extra').replaceChildren();
  }

  async uploaded() {
    this.resolve();
    this.uploadId = this.tus.url.split('/').pop();
    this.element.querySelector('progress').value = 100;
    announce(`${this.file.name} uploaded.`);
    if (this.group) this.group.arrived(this);
    else await this.submit();
  }

  async submit() {
    this.clearExtra();
    this.state = 'submitting';
    this.text('100% · starting the conversion…');
    try {
      // The settings the card showed when Convert was pressed: changing the page's defaults later does not touch them.
      const job = await api('POST', '/api/v1/jobs', { uploadId: this.uploadId, ...this.entry.fields });
      jobs.upsert(job);
      done(this);
    } catch (error) {
      // The options were refused before the upload was used, so it can be submitted again with other settings.
      this.showError(explain(error.code, error.message).text, () => this.submit());
    }
  }
}
