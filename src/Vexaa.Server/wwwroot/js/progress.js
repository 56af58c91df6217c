// Honest progress across the page: what each job is doing (its phase, or where it waits in the queue), how the batch
// of this visit is going, the same in the tab's title, an optional notification when a job ends while the tab is in
// the background, and a banner while the server cannot be reached.
import { $ } from './dom.js';
import * as fmt from './format.js';

const seen = new Map(); // id → status, for every job that was queued or running during this visit
let baseTitle = document.title;

export function setBaseTitle(title) {
  baseTitle = title;
  document.title = title;
}

/** The line under a job's progress bar. */
export function statusText(job) {
  if (job.status === 'succeeded') return '100% · done';
  if (job.status === 'queued') {
    if (job.attempts > 0) return 'Trying again soon…';
    const p = job.queuePosition;
    return p === 1 ? 'Waiting · next in line' : p > 1 ? `Waiting · ${ordinal(p)} in line` : 'Waiting for its turn…';
  }
  const percent = `${Math.floor((job.progress ?? 0) * 100)}%`;
  const twoPass = Boolean(job.options?.normalize);
  const phase = {
    'preparing': 'Preparing',
    'measuring-loudness': 'Measuring loudness (pass 1 of 2)',
    'encoding': twoPass ? 'Encoding (pass 2 of 2)' : 'Encoding',
    'storing': 'Storing the result',
  }[job.phase];
  // The time left covers both passes: the server's progress runs over the whole job.
  return [phase, percent, job.phase === 'storing' ? '' : fmt.timeLeft(job.etaSeconds)].filter(Boolean).join(' · ');
}

function ordinal(n) {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : { 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** Call with every job the page knows after any change. */
export function summarize(all) {
  for (const job of all) {
    const before = seen.get(job.id);
    if (job.status === 'queued' || job.status === 'running') seen.set(job.id, job.status);
    else if (before && before !== job.status && (before === 'queued' || before === 'running')) {
      seen.set(job.id, job.status);
      notify(job);
    }
  }
  const batch = all.filter((j) => seen.has(j.id));
  const running = batch.filter((j) => j.status === 'running');
  const waiting = batch.filter((j) => j.status === 'queued');
  const done = batch.filter((j) => j.status === 'succeeded' || j.status === 'failed' || j.status === 'canceled');
  const line = $('batch-status');
  if (running.length + waiting.length === 0) {
    line.textContent = batch.length > 1 ? `All ${batch.length} done.` : '';
    document.title = baseTitle;
    return;
  }
  const left = Math.max(0, ...running.map((j) => j.etaSeconds ?? 0));
  line.textContent = [
    batch.length > 1 ? `${done.length} of ${batch.length} done` : '',
    running.length ? `${running.length} converting` : '',
    waiting.length ? `${waiting.length} waiting` : '',
    waiting.length === 0 && left > 0 ? fmt.timeLeft(left) : '',
  ].filter(Boolean).join(' · ');
  const share = batch.reduce((sum, j) => sum + (j.status === 'running' ? j.progress ?? 0 : done.includes(j) ? 1 : 0), 0) / batch.length;
  document.title = `(${fmt.percent(share)}) ${baseTitle}`;
}

export function mountNotifications() {
  const box = $('notify');
  if (!('Notification' in window)) {
    box.closest('label').hidden = true;
    return;
  }
  box.checked = Notification.permission === 'granted' && localStorage.getItem('vexaa.notify') === 'on';
  box.addEventListener('change', async () => {
    if (box.checked && Notification.permission !== 'granted') box.checked = (await Notification.requestPermission()) === 'granted';
    localStorage.setItem('vexaa.notify', box.checked ? 'on' : 'off');
  });
}

function notify(job) {
  if (!document.hidden || !$('notify').checked || Notification.permission !== 'granted') return;
  const text = job.status === 'succeeded' ? 'is ready to play and download.' : job.status === 'failed' ? 'failed.' : 'was canceled.';
  new Notification('VExAA', { body: `${job.input.name} ${text}`, tag: job.id });
}

/** The banner while the event stream is down; the browser reconnects by itself. */
export function connection(up) {
  $('connection-banner').hidden = up;
}
