// What a finished job did, in words: the track, the trim, loudness in → out, tags, when it was made and when its
// results are deleted, and each file's own codec.
import { h } from './dom.js';
import * as fmt from './format.js';

const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const lufs = (v) => (v === null || v === undefined ? '?' : `${v.toFixed(1).replace('-', '−')} LUFS`);

/** The card's input line: its length and size, or what a join was joined with. */
export function describeInput(job) {
  const probe = job.input.probe;
  const parts = [];
  const joined = job.options.joinParts ?? [];
  // A join is named after its first file; the probe is that file's, so its duration would mislead.
  if (joined.length > 0) parts.push(`joined with ${joined.length === 1 ? joined[0].name : `${joined.length} more files`}`);
  else if (probe?.durationSeconds) parts.push(fmt.clock(probe.durationSeconds));
  parts.push(fmt.bytes(job.input.size));
  return parts.join(' · ');
}

/** The card's output line: what came out, or, until then, what was asked for. */
export function describeOutput(job) {
  const o = job.options;
  if (job.results.length > 0) {
    const r = job.results[0];
    const codecs = new Set(job.results.map((x) => x.codec));
    const what = codecs.size > 1 ? [[...codecs].map((c) => c.toUpperCase()).join(' + ')]
      : [r.format === 'original' ? r.codec.toUpperCase() : r.format.toUpperCase(), r.bitrateKbps ? `${r.bitrateKbps} kbps` : '', fmt.channels(r.channels)];
    const size = job.results.reduce((sum, x) => sum + x.size, 0);
    return `${what.filter(Boolean).join(' ')} · ${fmt.bytes(size)}${job.results.length > 1 ? ` in ${job.results.length} files` : ''}`;
  }
  // Several formats are stored as formats alone (format is then null).
  const named = (o.formats ?? [o.format]).map((f) => (f === 'original' ? 'Original audio' : String(f).toUpperCase())).join(' + ');
  return [named, o.bitrate, o.channels === 1 ? 'mono' : '', o.normalize ? `${o.normalize} loudness` : '']
    .filter(Boolean).join(' ');
}

export function story(job) {
  const o = job.options ?? {};
  const tracks = job.input.probe?.audioTracks ?? [];
  const parts = [];
  const track = o.allTracks ? 'every track' : o.track !== null && o.track !== undefined ? tracks[o.track] : null;
  if (track && typeof track === 'object') parts.push(`track ${track.index + 1}${track.language ? ` (${fmt.language(track.language)})` : ''}`);
  else if (typeof track === 'string') parts.push(track);
  if (o.start || o.end) parts.push(`trimmed ${o.start || '0:00'}–${o.end || 'end'}`);
  const silences = job.input.probe?.silences;
  if (silences) {
    const what = [o.trimSilence ? 'silence trimmed' : '', o.maxPause ? `pauses over ${o.maxPause} s shortened` : '', String(o.split ?? '').startsWith('silence') ? 'split at pauses' : '']
      .filter(Boolean).join(', ');
    parts.push(`${silences.length === 1 ? '1 pause' : `${silences.length} pauses`} found${what ? ` (${what})` : ''}`);
  }
  if (o.cover) parts.push(o.cover === 'image' ? 'cover art from a picture' : o.cover === 'auto' ? 'cover art from a frame chosen' : `cover art from the frame at ${o.cover} s`);
  const tags = Object.keys(o.tags ?? {});
  if (tags.length) parts.push(`tags: ${tags.join(', ')}`);
  parts.push(`made ${when(job.createdAt)}`);
  if (job.expiresAt) parts.push(`${job.status === 'failed' ? 'removed' : 'results deleted'} ${when(job.expiresAt)}`);
  return h('p', { class: 'job-story muted' }, parts.join(' · '));
}

const db = (v, unit) => (v === null || v === undefined ? '?' : `${v.toFixed(1).replace('-', '−')} ${unit}`);

/** "loudness −27.3 → −16.0 LUFS (+11.3 dB), range 6.1 → 5.2 LU, peak −3.0 → −1.2 dBTP, podcast target met". */
function loudness(l) {
  if (!l.input) return `loudness ${lufs(l.inputLufs)} → ${lufs(l.outputLufs)}`;
  if (!l.output || l.output.integratedLufs === null) return `loudness ${lufs(l.input.integratedLufs)}, left as it was (silent)`;
  const gain = l.gainDb === null || l.gainDb === undefined ? '' : ` (${l.gainDb >= 0 ? '+' : '−'}${Math.abs(l.gainDb).toFixed(1)} dB)`;
  return [`loudness ${lufs(l.input.integratedLufs)} → ${lufs(l.output.integratedLufs)}${gain}`,
    `range ${db(l.input.loudnessRange, 'LU')} → ${db(l.output.loudnessRange, 'LU')}`,
    `peak ${db(l.input.truePeakDbtp, 'dBTP')} → ${db(l.output.truePeakDbtp, 'dBTP')}`,
    l.targetMet ? `${l.target} target met` : `${l.target} target (${lufs(l.targetLufs)}) missed`].join(', ');
}

/** One line per result file: its own codec, rate, channels, loudness in → out, length and size. */
export function fileLine(r) {
  if (!r.contentType.startsWith('audio/')) return h('span', { class: 'result-detail muted' }, `${r.format === 'bagit' ? 'BagIt package' : r.format.toUpperCase()} (zip) · ${fmt.bytes(r.size)}`);
  const loud = r.loudness ? loudness(r.loudness) : '';
  return h('span', { class: 'result-detail muted' }, [r.copied ? `${r.codec.toUpperCase()} (copied)` : r.codec.toUpperCase(),
    r.bitrateKbps ? `${r.bitrateKbps} kbps` : '', r.sampleRate ? `${r.sampleRate / 1000} kHz` : '', fmt.channels(r.channels), loud,
    fmt.clock(r.durationSeconds), fmt.bytes(r.size)].filter(Boolean).join(' · '));
}

/**
 * The pauses the job found, drawn on the input's timeline: a bar as long as the input with each pause shaded where it
 * is, and the times in words for screen readers and on hover.
 */
export function pauseMap(job) {
  const silences = job.input.probe?.silences;
  const duration = job.input.probe?.durationSeconds;
  if (!silences?.length || !duration || (job.options.joinParts ?? []).length) return null;
  const span = (s) => `${s.startSeconds.toFixed(1)}–${s.endSeconds.toFixed(1)} s`;
  const marks = silences.map((s) => {
    const mark = h('span', { class: 'pause-mark', title: `Pause ${span(s)}` });
    // Set through the style object: the page's content security policy refuses style attributes.
    mark.style.left = `${Math.max(0, (s.startSeconds / duration) * 100)}%`;
    mark.style.width = `${Math.max(0.3, ((s.endSeconds - s.startSeconds) / duration) * 100)}%`;
    return mark;
  });
  const words = silences.length > 12 ? `${silences.length} pauses` : `Pauses at ${silences.map(span).join(', ')}`;
  return h('div', { class: 'pause-block' },
    h('span', { class: 'muted', 'aria-hidden': 'true' }, `Sound (dark) and pauses (light) on the input's ${fmt.clock(duration)}`),
    h('div', { class: 'pause-map', role: 'img', 'aria-label': `${words}, on the input's ${fmt.clock(duration)}` }, marks));
}
