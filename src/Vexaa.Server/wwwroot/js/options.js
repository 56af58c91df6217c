// What the person wants: a preset with a plain name, or every option of the API under "Advanced settings".
import { $, h } from './dom.js';

export const presets = [
  { id: 'mp3', name: 'Everyday MP3', detail: '192 kbps, mono or stereo as the video has it. Plays everywhere.', options: { format: 'mp3', bitrate: '192k' } },
  { id: 'podcast', name: 'Podcast (MP3, mono, −16 LUFS)', detail: 'Even loudness for spoken word.', options: { format: 'mp3', bitrate: '96k', channels: '1', normalize: 'podcast' } },
  { id: 'flac', name: 'Music, lossless (FLAC)', detail: 'Every detail kept; bigger files.', options: { format: 'flac' } },
  { id: 'speech', name: 'Speech archive (Opus, small)', detail: 'Tiny files, clear voices.', options: { format: 'opus', bitrate: '32k', channels: '1' } },
  { id: 'original', name: 'Keep the original audio (no re-encoding)', detail: 'The sound track exactly as it is in the video.', options: { format: 'original' } },
];

const fields = ['format', 'bitrate', 'quality', 'sampleRate', 'channels', 'normalize', 'start', 'end'];
const blank = { format: 'mp3', bitrate: '', quality: '', sampleRate: '', channels: '', normalize: '', start: '', end: '' };
const storageKey = 'vexaa.settings';

let state = load();
const listeners = new Set();

function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey));
    if (saved && typeof saved === 'object') return { ...defaults(), ...saved };
  } catch { /* ignore */ }
  return defaults();
}

function defaults() {
  return { preset: 'mp3', ...blank, ...presets[0].options, tracks: 'ask', language: '', tags: '', keepTags: true };
}

function save() {
  localStorage.setItem(storageKey, JSON.stringify(state));
  listeners.forEach((l) => l(state));
}

export function onChange(listener) { listeners.add(listener); }

/** A copy of the saved settings: the defaults each newly dropped file starts from. */
export const current = () => ({ ...state });

export function currentPreset() {
  return presets.find((p) => p.id === state.preset) ?? null;
}

/** A short description of what new uploads will become, e.g. "Podcast (MP3, mono, −16 LUFS)" or "Custom: FLAC". */
export function summary() {
  const preset = currentPreset();
  if (preset) return preset.name;
  const parts = [state.format.toUpperCase(), state.bitrate, state.channels === '1' ? 'mono' : state.channels === '2' ? 'stereo' : '', state.normalize];
  return `Custom: ${parts.filter(Boolean).join(', ')}`;
}

/** The fields for POST /api/v1/jobs (besides uploadId); trackChoice overrides the track setting for one file. */
export function jobFields(trackChoice) {
  const body = {};
  for (const name of fields) {
    const value = String(state[name] ?? '').trim();
    if (value !== '') body[name] = name === 'channels' ? Number(value) : name === 'quality' ? Number(value) : value;
  }
  const choice = trackChoice ?? (state.tracks === 'all' ? { all: true } : state.tracks === 'language' && state.language.trim() ? { language: state.language.trim() } : null);
  if (choice?.all) body.allTracks = true;
  else if (choice?.language) body.language = choice.language;
  else if (choice?.track !== undefined) body.track = choice.track;
  const tags = {};
  for (const line of state.tags.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) tags[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  if (Object.keys(tags).length > 0) body.tags = tags;
  if (!state.keepTags) body.keepTags = false;
  return body;
}

/** True when each file with several audio tracks should wait for the person to pick one. */
export function asksForTrack() { return state.tracks === 'ask'; }

export function mount() {
  const list = $('preset-list');
  list.replaceChildren(...presets.map((preset) => h('label', { class: 'preset', dataset: { preset: preset.id } },
    h('input', { type: 'radio', name: 'preset', value: preset.id, class: 'preset-radio' }),
    h('span', { class: 'preset-text' },
      h('span', { class: 'preset-name' }, preset.name),
      h('span', { class: 'preset-detail' }, preset.detail)))));
  list.addEventListener('change', (event) => {
    const preset = presets.find((p) => p.id === event.target.value);
    if (!preset) return;
    state = { ...state, ...blank, ...preset.options, preset: preset.id };
    render();
    save();
  });

  const form = $('advanced-form');
  form.addEventListener('input', (event) => {
    const target = event.target;
    if (target.id === 'opt-keep-tags') state.keepTags = target.checked;
    else if (target.name === 'tracks' || target.name === 'language' || target.name === 'tags') state[target.name] = target.value;
    else if (fields.includes(target.name)) {
      state[target.name] = target.value;
      state.preset = matchingPreset();
    }
    renderPresets();
    $('opt-language-field').hidden = state.tracks !== 'language';
    save();
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  render();
}

function matchingPreset() {
  const match = presets.find((p) => fields.every((f) => String((p.options[f] ?? blank[f])) === String(state[f] ?? '')));
  return match?.id ?? 'custom';
}

function renderPresets() {
  for (const radio of document.querySelectorAll('.preset-radio')) radio.checked = radio.value === state.preset;
}

function render() {
  renderPresets();
  $('opt-format').value = state.format;
  $('opt-bitrate').value = state.bitrate;
  $('opt-quality').value = state.quality;
  $('opt-sample-rate').value = state.sampleRate;
  $('opt-channels').value = state.channels;
  $('opt-normalize').value = state.normalize;
  $('opt-start').value = state.start;
  $('opt-end').value = state.end;
  $('opt-tracks').value = state.tracks;
  $('opt-language').value = state.language;
  $('opt-language-field').hidden = state.tracks !== 'language';
  $('opt-tags').value = state.tags;
  $('opt-keep-tags').checked = state.keepTags;
}
