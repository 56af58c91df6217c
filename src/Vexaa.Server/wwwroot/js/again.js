// Convert again: a finished or failed job whose input the server still keeps (Retention:InputHours) gets a panel with
// its own settings, checked against the server's reading of the file, and POST /api/v1/jobs {"fromJob", …} — no upload.
// A job that failed because its track does not exist opens the panel at once, on the track chooser.
import { api } from './api.js';
import { h, icon, announce } from './dom.js';
import { explain } from './errors.js';
import * as options from './options.js';
import { check } from './rules.js';
import * as S from './settings.js';

const probeOf = (job) => {
  const p = job.input.probe;
  return p ? { duration: p.durationSeconds, tracks: p.audioTracks.map((t, index) => ({ ...t, index })), video: p.videoTracks > 0 } : null;
};

/** The "Convert again" block for a card, or null when the job cannot be converted again. */
export function block(job, upsert) {
  if (!job.input.stored || !(job.status === 'succeeded' || job.status === 'failed')) return null;
  const wrap = h('div', { class: 'again' });
  const open = h('button', { type: 'button', class: 'button small again-open', 'aria-expanded': 'false' }, icon('retry'), h('span', {}, 'Convert again…'));
  open.addEventListener('click', () => {
    const shown = wrap.querySelector('.again-panel');
    if (shown) { shown.remove(); open.setAttribute('aria-expanded', 'false'); return; }
    wrap.append(panel(job, upsert));
    open.setAttribute('aria-expanded', 'true');
    wrap.querySelector('select')?.focus();
  });
  wrap.append(open);
  if (job.status === 'failed' && job.error?.code === 'track-not-found' && job.input.probe) {
    const p = panel(job, upsert);
    wrap.append(p);
    open.setAttribute('aria-expanded', 'true');
  }
  return wrap;
}

function panel(job, upsert) {
  const probe = probeOf(job);
  let settings = S.fromJob(job);
  if (job.error?.code === 'track-not-found') settings.track = 'default';
  const id = (name) => `again-${job.id}-${name}`;
  const control = (name, label, element) => {
    element.id = id(name);
    element.dataset.field = name;
    return h('div', { class: 'field' }, h('label', { for: element.id }, label), element);
  };
  const select = (values, current) => h('select', {}, values.map(([v, t]) => h('option', { value: v, selected: v === current }, t)));
  const tracks = [['default', 'The main track'], ...(probe?.tracks.length > 1 ? [...probe.tracks.map((t) => [String(t.index), S.trackName(t)]), ['all', 'Every track']] : [])];
  const presets = [...options.presets.map((p) => [p.id, p.name]), ['custom', `As before (${S.describe(settings, probe)})`]];
  const errors = h('ul', { class: 'review-errors', 'aria-live': 'polite' });
  const summary = h('span', { class: 'review-summary' });
  const grid = h('div', { class: 'review-grid' },
    control('preset', 'What would you like?', select(presets, settings.preset)),
    control('track', 'Audio track', select(tracks, settings.track)),
    control('start', 'Start at', h('input', { value: settings.start, placeholder: '0:00', autocomplete: 'off' })),
    control('end', 'End at', h('input', { value: settings.end, placeholder: 'end', autocomplete: 'off' })));
  const go = h('button', { type: 'button', class: 'button primary small' }, 'Convert again');
  const node = h('div', { class: 'again-panel', role: 'group', 'aria-label': `Convert ${job.input.name} again` },
    job.error?.code === 'track-not-found' ? h('p', {}, 'That track is not in this file. Choose one of its tracks:') : null,
    grid, h('p', { class: 'review-out' }, h('strong', {}, 'Comes out as: '), summary), errors, go);
  const refresh = () => {
    summary.textContent = S.describe(settings, probe);
    const found = check(settings, probe);
    errors.replaceChildren(...found.map(([, m]) => h('li', {}, m)));
    for (const c of grid.querySelectorAll('[data-field]')) {
      if (found.some(([f]) => f === c.dataset.field)) c.setAttribute('aria-invalid', 'true');
      else c.removeAttribute('aria-invalid');
    }
    return found;
  };
  grid.addEventListener('change', (e) => {
    const name = e.target.dataset.field;
    if (name === 'preset') settings = e.target.value === 'custom' ? S.fromJob(job) : S.applyPreset(settings, e.target.value);
    else settings[name] = e.target.value;
    refresh();
  });
  grid.addEventListener('input', (e) => { if (e.target.tagName === 'INPUT') { settings[e.target.dataset.field] = e.target.value; refresh(); } });
  go.addEventListener('click', async () => {
    const found = refresh();
    if (found.length) { grid.querySelector(`[data-field="${found[0][0]}"]`)?.focus(); return; }
    go.disabled = true;
    try {
      const created = await api('POST', '/api/v1/jobs', { fromJob: job.id, ...S.jobFields(settings) });
      node.remove();
      const card = upsert(created);
      announce(`Converting ${job.input.name} again.`);
      card?.focus();
    } catch (error) {
      errors.replaceChildren(h('li', {}, explain(error.code, error.message).text));
      go.disabled = false;
      go.focus();
    }
  });
  refresh();
  return node;
}
