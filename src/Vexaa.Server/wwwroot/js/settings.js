// One file's settings: made from the page's defaults (options.js), turned into the fields of POST /api/v1/jobs, and
// described in a line that says what will come out. A card's settings are the settings its job gets.
import * as options from './options.js';
import { formats, parseBitrate, parseTags } from './rules.js';
import * as fmt from './format.js';
import * as assembly from './assembly.js';

export const optionFields = ['format', 'bitrate', 'quality', 'sampleRate', 'channels', 'normalize'];
const loudness = { podcast: '−16 LUFS', streaming: '−14 LUFS', broadcast: '−23 LUFS' };

/** The defaults for a newly dropped file, with the track choice made concrete against its probe. */
export function fromDefaults(probe) {
  const saved = options.current();
  const settings = { preset: saved.preset, start: saved.start, end: saved.end, tags: saved.tags, keepTags: saved.keepTags, whole: false, track: 'default', ...assembly.defaults };
  for (const name of optionFields) settings[name] = String(saved[name] ?? '');
  if (saved.tracks === 'all') settings.track = 'all';
  if (saved.tracks === 'language' && saved.language.trim()) {
    // A remembered language filter becomes the matching track, or is left for the person to fix (marked).
    const wanted = saved.language.trim().toLowerCase();
    const match = probe?.tracks.find((t) => t.language && (t.language === wanted || fmt.language(t.language).toLowerCase().startsWith(wanted)));
    settings.track = match ? String(match.index) : 'default';
    if (!match && probe) settings.languageMiss = wanted;
  }
  return settings;
}

export function applyPreset(settings, presetId) {
  const preset = options.presets.find((p) => p.id === presetId);
  if (!preset) return { ...settings, preset: 'custom' };
  const blank = Object.fromEntries(optionFields.map((f) => [f, '']));
  return { ...settings, ...blank, ...Object.fromEntries(Object.entries(preset.options).map(([k, v]) => [k, String(v)])), preset: preset.id };
}

/** The body of POST /api/v1/jobs, without uploadId / fromJob. */
export function jobFields(settings) {
  const body = {};
  for (const name of [...optionFields, 'start', 'end']) {
    const value = String(settings[name] ?? '').trim();
    if (value !== '') body[name] = name === 'channels' || name === 'quality' ? Number(value) : value;
  }
  if (settings.track === 'all') body.allTracks = true;
  else if (/^\d+$/.test(settings.track)) body.track = Number(settings.track);
  const { tags } = parseTags(settings.tags ?? '');
  if (Object.keys(tags).length > 0) body.tags = tags;
  if (!settings.keepTags) body.keepTags = false;
  return assembly.jobFields(settings, body);
}

/** Settings back from a job's options (convert again starts from what the job had). */
export function fromJob(job) {
  const o = job.options ?? {};
  const settings = { preset: 'custom', start: o.start ?? '', end: o.end ?? '', keepTags: o.keepTags !== false, whole: false,
    tags: Object.entries(o.tags ?? {}).map(([k, v]) => `${k}=${v}`).join('\n'),
    track: o.allTracks ? 'all' : o.track !== null && o.track !== undefined ? String(o.track) : 'default' };
  for (const name of optionFields) settings[name] = o[name] === null || o[name] === undefined ? '' : String(o[name]);
  Object.assign(settings, assembly.fromOptions(o, settings.format));
  const preset = options.presets.find((p) => optionFields.every((f) => String(p.options[f] ?? '') === settings[f]));
  if (preset) settings.preset = preset.id;
  return settings;
}

export function trackName(track) {
  return [`Track ${track.index + 1}`, fmt.language(track.language), track.title, `${String(track.codec).toUpperCase()} ${fmt.channels(track.channels)}`]
    .filter(Boolean).join(' · ');
}

/** "MP3 96 kbps mono · French track · 0:05–0:15 · −16 LUFS". */
export function describe(settings, probe) {
  const format = formats[settings.format];
  const parts = [];
  const kbps = settings.bitrate ? parseBitrate(settings.bitrate) : null;
  const main = format?.original ? 'Original audio, not re-encoded' : format?.label ?? settings.format;
  const rate = kbps ? `${kbps} kbps` : settings.quality ? `quality ${settings.quality}` : format?.lossless || format?.original ? '' : format?.defaultKbps ? `${format.defaultKbps} kbps` : '';
  const source = probe && /^\d+$/.test(settings.track) ? probe.tracks[Number(settings.track)] : probe?.tracks.find((t) => t.isDefault) ?? probe?.tracks[0];
  const channels = settings.channels === '1' ? 'mono' : settings.channels === '2'
    ? (source?.channels === 1 ? 'stereo (from a mono source: both sides the same)' : 'stereo') : source ? `${fmt.channels(Math.min(source.channels, format?.maxChannels ?? 8))} as the source` : '';
  parts.push([main, rate, channels].filter(Boolean).join(' '));
  if (settings.track === 'all') parts.push(`every track (${probe?.tracks.length ?? 'each'} file${probe?.tracks.length === 1 ? '' : 's'})`);
  else if (source && probe.tracks.length > 1) parts.push(`${fmt.language(source.language) || `track ${source.index + 1}`} track`);
  if (settings.start || settings.end) parts.push(`${settings.start || '0:00'}–${settings.end || fmt.clock(probe?.duration) || 'end'}`);
  if (settings.normalize) parts.push(loudness[settings.normalize] ?? settings.normalize);
  const tagCount = Object.keys(parseTags(settings.tags ?? '').tags).length;
  if (tagCount) parts.push(`${tagCount} tag${tagCount === 1 ? '' : 's'}`);
  parts.push(...assembly.describe(settings));
  return parts.join(' · ');
}
