// The review step: dropped files wait here as rows, each read locally first (probe.js) and given its own settings;
// every setting is checked against that reading (rules.js) and all mistakes are shown, marked on their fields, before
// anything is sent. One Convert button then sends each file (audio only when it can: extract.js) with its own settings.
import { $, h, icon, announce } from './dom.js';
import * as fmt from './format.js';
import * as options from './options.js';
import { probe } from './probe.js';
import { check } from './rules.js';
import * as assembly from './assembly.js';
import * as join from './join.js';
import * as S from './settings.js';
import * as uploads from './uploads.js';
import { waveform } from './waveform.js';

const rows = [];
let nextId = 1;

export function mount() {
  $('convert-all').addEventListener('click', convertAll);
  $('join-files').addEventListener('change', () => {
    $('join-fields').hidden = !$('join-files').checked;
    reorder();
  });
  for (const id of ['join-gap', 'join-crossfade']) $(id).addEventListener('input', () => { join.checkFields(); refresh(); });
}

/** Puts the rows in the list in their order, with ↑/↓ while joining, and checks them again (the first one's settings lead). */
function reorder() {
  const joining = join.joining(rows.length);
  for (const [i, row] of rows.entries()) {
    $('review-list').append(row.element);
    const name = row.file.name;
    row.element.querySelector('.review-order').replaceChildren(...(joining ? [
      h('button', { type: 'button', class: 'button small ghost icon-only', 'aria-label': `Move ${name} up`, disabled: i === 0, onclick: () => move(row, -1) }, '↑'),
      h('button', { type: 'button', class: 'button small ghost icon-only', 'aria-label': `Move ${name} down`, disabled: i === rows.length - 1, onclick: () => move(row, 1) }, '↓'),
    ] : []));
    if (row.settings) update(row);
  }
  refresh();
}

function move(row, by) {
  const at = rows.indexOf(row);
  rows.splice(at, 1);
  rows.splice(at + by, 0, row);
  reorder();
  announce(`${row.file.name} is now file ${at + by + 1} of ${rows.length}.`);
  const buttons = row.element.querySelectorAll('.review-order button');
  (buttons[by < 0 ? 0 : 1].disabled ? buttons[by < 0 ? 1 : 0] : buttons[by < 0 ? 0 : 1])?.focus();
}

export async function add(files) {
  const added = files.map((file) => {
    const row = { id: nextId++, file, probe: undefined, settings: null, element: null };
    row.element = h('li', { class: 'card review', dataset: { state: 'reading', row: String(row.id) } },
      h('div', { class: 'job-head' }, h('div', { class: 'job-icon' }, icon('film')),
        h('div', { class: 'job-title' }, h('h3', { class: 'job-name', title: file.name }, file.name),
          h('p', { class: 'job-meta review-meta' }, `${fmt.bytes(file.size)} · reading the file…`)),
        h('div', { class: 'review-order' }),
        h('button', { type: 'button', class: 'button small ghost icon-only', 'aria-label': `Remove ${file.name}`, onclick: () => removeRow(row) }, icon('x'))),
      h('div', { class: 'review-body' }));
    rows.push(row);
    $('review-list').append(row.element);
    return row;
  });
  reorder();
  announce(files.length === 1 ? `Reading ${files[0].name}.` : `Reading ${files.length} files.`);
  await Promise.all(added.map(async (row) => {
    row.probe = await probe(row.file);
    row.settings = S.fromDefaults(row.probe);
    render(row);
  }));
  refresh();
  if (added[0]?.element.isConnected) added[0].element.querySelector('select')?.focus();
}

function removeRow(row) {
  rows.splice(rows.indexOf(row), 1);
  row.element.remove();
  reorder();
  $(rows.length ? 'convert-all' : 'choose-files').focus();
}

function meta(row) {
  const p = row.probe;
  if (!p) return `${fmt.bytes(row.file.size)} · this browser cannot read it; the server will`;
  return [fmt.bytes(row.file.size), fmt.clock(p.duration), p.video ? `video ${p.video.width}×${p.video.height}` : 'audio only',
    `${p.tracks.length} audio track${p.tracks.length === 1 ? '' : 's'}`].filter(Boolean).join(' · ');
}

const field = (row, name, label, control) => {
  control.id = `r${row.id}-${name}`;
  control.name = name;
  control.dataset.field = name;
  return h('div', { class: 'field', dataset: { for: name } }, h('label', { for: control.id }, label), control);
};

const select = (values, current) => h('select', {}, values.map(([value, text]) => h('option', { value, selected: value === current }, text)));

function render(row) {
  const s = row.settings;
  const p = row.probe;
  row.element.querySelector('.review-meta').textContent = meta(row);
  const presets = [...options.presets.map((x) => [x.id, x.name]), ['custom', 'Custom settings…']];
  const tracks = [['default', p && p.tracks.length > 1 ? `The main track (${S.trackName(p.tracks.find((t) => t.isDefault) ?? p.tracks[0])})` : 'The audio track'],
    ...(p?.tracks.length > 1 ? [...p.tracks.map((t) => [String(t.index), S.trackName(t)]), ['all', 'Every track (one file each)']] : [])];
  if (/^\d+$/.test(s.track) && !tracks.some(([v]) => v === s.track)) tracks.push([s.track, `Track ${Number(s.track) + 1} (not in this file)`]);
  const custom = h('div', { class: 'review-custom', hidden: s.preset !== 'custom' },
    field(row, 'format', 'Format', select(Object.entries({ mp3: 'MP3', m4a: 'AAC (.m4a)', aac: 'AAC (.aac)', opus: 'Opus', ogg: 'Ogg Vorbis', flac: 'FLAC', wav: 'WAV', alac: 'Apple Lossless', original: 'Original (no re-encoding)' }), s.format)),
    field(row, 'bitrate', 'Bitrate', h('input', { value: s.bitrate, placeholder: 'automatic', autocomplete: 'off' })),
    field(row, 'quality', 'VBR quality', h('input', { value: s.quality, placeholder: 'none', inputmode: 'decimal', autocomplete: 'off' })),
    field(row, 'sampleRate', 'Sample rate', select([['', 'Keep'], ...[8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000].map((r) => [String(r), `${r / 1000} kHz`])], s.sampleRate)),
    field(row, 'channels', 'Channels', select([['', 'As the source'], ['1', 'Mono'], ['2', 'Stereo']], s.channels)),
    field(row, 'normalize', 'Loudness', select([['', 'Leave as it is'], ['podcast', 'Podcast (−16 LUFS)'], ['streaming', 'Streaming (−14 LUFS)'], ['broadcast', 'Broadcast (−23 LUFS)']], s.normalize)));
  const body = h('div', { class: 'review-grid' },
    field(row, 'preset', 'What would you like?', select(presets, s.preset)),
    field(row, 'track', 'Audio track', select(tracks, s.track)),
    custom,
    field(row, 'start', 'Start at', h('input', { value: s.start, placeholder: '0:00', autocomplete: 'off' })),
    field(row, 'end', 'End at', h('input', { value: s.end, placeholder: fmt.clock(p?.duration) || 'end', autocomplete: 'off' })),
    field(row, 'tags', 'Tags (name=value, one a line)', h('textarea', { rows: 1, value: s.tags })),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', dataset: { field: 'keepTags' }, checked: s.keepTags }), " Keep the video's title and tags"),
    p?.video ? h('label', { class: 'check' }, h('input', { type: 'checkbox', dataset: { field: 'whole' }, checked: s.whole }), ' Send the whole video (keeps chapters)') : null,
    assembly.controls(row, s, field, select));
  const out = h('p', { class: 'review-out' }, h('strong', {}, 'Comes out as: '), h('span', { class: 'review-summary' }));
  const errors = h('ul', { class: 'review-errors', role: 'list', 'aria-live': 'polite' });
  const apply = h('button', { type: 'button', class: 'button small ghost', onclick: () => applyToAll(row) }, 'Apply these settings to all');
  const wave = waveform(row, {
    get: () => ({ start: row.settings.start, end: row.settings.end }),
    set: (name, text) => {
      row.settings[name] = text;
      row.element.querySelector(`[data-field="${name}"]`).value = text;
      update(row);
    },
  });
  row.syncWaveform = wave.sync;
  row.element.querySelector('.review-body').replaceChildren(body, wave.element ?? '', out, errors, rows.length > 1 ? apply : '');
  body.addEventListener('input', (event) => changed(row, event.target, event.type));
  body.addEventListener('change', (event) => changed(row, event.target, event.type));
  update(row);
}

function changed(row, target, event) {
  const name = target.dataset.field;
  if (!name) return;
  if (name === 'preset') {
    row.settings = target.value === 'custom' ? { ...row.settings, preset: 'custom' } : S.applyPreset(row.settings, target.value);
    render(row);
    row.element.querySelector('[data-field="preset"]').focus();
    return;
  }
  if (target.type === 'file') {
    // The picture itself stays on the row (settings are plain values); it is read when the file is sent.
    row.coverFile = target.files[0] ?? null;
    row.settings.coverImageName = row.coverFile?.name ?? '';
    render(row);
    row.element.querySelector('[data-field="coverImage"]')?.focus();
    return;
  }
  row.settings[name] = target.type === 'checkbox' ? target.checked : target.value;
  delete row.settings.languageMiss;
  if ((name === 'split' || name === 'cover' || name === 'format') && event !== 'input') {
    // These show or hide other fields (the pause length, the frame's time, the formats to add).
    render(row);
    row.element.querySelector(`[data-field="${name}"]`).focus();
    return;
  }
  if (name === 'track' && row.peaks && row.peaks.track !== target.value) {
    // Another track sounds different: draw that one.
    render(row);
    row.element.querySelector('[data-field="track"]').focus();
    return;
  }
  update(row);
  if (name === 'start' || name === 'end') row.syncWaveform?.();
}

function update(row) {
  row.element.querySelector('.review-summary').textContent = S.describe(row.settings, row.probe);
  const errors = check(row.settings, row.probe);
  assembly.check(row.settings, row.probe, (f, message) => errors.push([f, message]));
  if (join.joining(rows.length) && rows[0].settings) join.check(row.settings, rows[0].settings, (f, message) => errors.push([f, message]));
  if (row.settings.languageMiss) errors.push(['track', `No audio track is in the remembered language “${row.settings.languageMiss}”; choose one.`]);
  row.errors = errors;
  for (const control of row.element.querySelectorAll('[data-field]')) {
    const bad = errors.some(([f]) => f === control.dataset.field);
    if (bad) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
    control.closest('.field')?.classList.toggle('invalid', bad);
  }
  if (errors.some(([f]) => optionFields(f)) && row.settings.preset !== 'custom') {
    row.element.querySelector('.review-custom').hidden = false;
  }
  row.element.querySelector('.review-errors').replaceChildren(...errors.map(([f, message]) => h('li', {}, h('a', { href: `#r${row.id}-${f}`, onclick: (e) => { e.preventDefault(); row.element.querySelector(`[data-field="${f}"]`)?.focus(); } }, message))));
  row.element.dataset.state = errors.length ? 'invalid' : 'ready';
  refresh();
}

const optionFields = (f) => S.optionFields.includes(f);

function applyToAll(from) {
  for (const row of rows) {
    if (row === from || !row.settings) continue;
    const { track, whole } = row.settings;
    // The track stays each file's own choice when that file does not have the chosen one.
    const keepTrack = /^\d+$/.test(from.settings.track) && Number(from.settings.track) >= (row.probe?.tracks.length ?? 0);
    row.settings = { ...from.settings, track: keepTrack ? track : from.settings.track, whole };
    render(row);
  }
  announce(`Applied the settings of ${from.file.name} to all ${rows.length} files.`);
}

function refresh() {
  const ready = rows.length > 0 && rows.every((r) => r.settings);
  const bad = rows.filter((r) => r.errors?.length);
  $('review').hidden = rows.length === 0;
  $('review-count').textContent = `${rows.length} file${rows.length === 1 ? '' : 's'}`;
  const button = $('convert-all');
  const joining = join.joining(rows.length);
  $('join-box').hidden = rows.length < 2;
  button.textContent = joining ? `Join ${rows.length} files` : rows.length > 1 ? `Convert ${rows.length} files` : 'Convert';
  button.setAttribute('aria-disabled', String(!ready));
  const joinProblems = joining ? join.checkFields() : [];
  $('review-status').textContent = !ready ? 'Reading the files…' : bad.length
    ? `${bad.length === 1 ? 'One file needs' : `${bad.length} files need`} attention before anything is sent.`
    : joinProblems.length ? joinProblems.map(([, message]) => message).join(' ') : 'Everything is ready. Nothing has been sent yet.';
}

function convertAll() {
  if (rows.some((r) => !r.settings)) return;
  for (const row of rows) update(row);
  const joining = join.joining(rows.length);
  const bad = rows.filter((r) => r.errors.length);
  if (bad.length) {
    announce(`${bad.length === 1 ? 'One file has' : `${bad.length} files have`} settings to fix first.`);
    bad[0].element.querySelector(`[data-field="${bad[0].errors[0][0]}"]`)?.focus();
    return;
  }
  const joinProblems = joining ? join.checkFields() : [];
  if (joinProblems.length) {
    announce(joinProblems.map(([, message]) => message).join(' '));
    $(joinProblems[0][0]).focus();
    return;
  }
  const batch = rows.splice(0);
  for (const row of batch) row.element.remove();
  const body = joining ? join.fields(S.jobFields(batch[0].settings)) : null;
  $('join-files').checked = false;
  $('join-fields').hidden = true;
  refresh();
  uploads.add(batch.map((row) => ({ file: row.file, probe: row.probe, settings: structuredClone(row.settings), fields: S.jobFields(row.settings), coverFile: row.coverFile })), body);
}
