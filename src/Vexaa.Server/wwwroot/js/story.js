// What a finished job did, in words: the track, the trim, loudness in → out, tags, when it was made and when its
// results are deleted, and each file's own codec.
import { h } from './dom.js';
import * as fmt from './format.js';

const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const lufs = (v) => (v === null || v === undefined ? '?' : `${v.toFixed(1).replace('-', '−')} LUFS`);

export function story(job) {
  const o = job.options ?? {};
  const tracks = job.input.probe?.audioTracks ?? [];
  const parts = [];
  const track = o.allTracks ? 'every track' : o.track !== null && o.track !== undefined ? tracks[o.track] : null;
  if (track && typeof track === 'object') parts.push(`track ${track.index + 1}${track.language ? ` (${fmt.language(track.language)})` : ''}`);
  else if (typeof track === 'string') parts.push(track);
  if (o.start || o.end) parts.push(`trimmed ${o.start || '0:00'}–${o.end || 'end'}`);
  const tags = Object.keys(o.tags ?? {});
  if (tags.length) parts.push(`tags: ${tags.join(', ')}`);
  parts.push(`made ${when(job.createdAt)}`);
  if (job.expiresAt) parts.push(`${job.status === 'failed' ? 'removed' : 'results deleted'} ${when(job.expiresAt)}`);
  return h('p', { class: 'job-story muted' }, parts.join(' · '));
}

/** One line per result file: its own codec, rate, channels, loudness in → out, length and size. */
export function fileLine(r) {
  const loud = r.loudness ? `loudness ${lufs(r.loudness.inputLufs)} → ${lufs(r.loudness.outputLufs)}` : '';
  return h('span', { class: 'result-detail muted' }, [r.copied ? `${r.codec.toUpperCase()} (copied)` : r.codec.toUpperCase(),
    r.bitrateKbps ? `${r.bitrateKbps} kbps` : '', r.sampleRate ? `${r.sampleRate / 1000} kHz` : '', fmt.channels(r.channels), loud,
    fmt.clock(r.durationSeconds), fmt.bytes(r.size)].filter(Boolean).join(' · '));
}
