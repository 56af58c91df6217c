// The server's option rules (src/Vexaa/Media/OptionParser.cs, AudioFormats.cs, ExtractionPlanner.cs), checked in the
// browser against the local probe before anything is sent, so every mistake is shown at once and next to its field.
// The server checks again; these only spare people an upload that would be refused.

const mp3Rates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];
const aacRates = [...mp3Rates, 64000, 88200, 96000];
const aac = { label: 'AAC', bitrateRange: [16, 512], rates: aacRates };

export const formats = {
  mp3: { label: 'MP3', bitrateSet: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320], quality: [0, 9], rates: mp3Rates, maxChannels: 2, defaultKbps: 192 },
  aac: { ...aac, defaultKbps: 192 },
  m4a: { ...aac, label: 'AAC (.m4a)', defaultKbps: 192 },
  opus: { label: 'Opus', bitrateRange: [6, 510], rates: [8000, 12000, 16000, 24000, 48000], defaultKbps: 128 },
  ogg: { label: 'Ogg Vorbis', bitrateRange: [45, 500], quality: [-1, 10], rateRange: [8000, 192000] },
  flac: { label: 'FLAC', lossless: true, rateRange: [1000, 655350] },
  wav: { label: 'WAV', lossless: true, rateRange: [1000, 768000] },
  alac: { label: 'Apple Lossless', lossless: true, rateRange: [1000, 384000] },
  original: { label: 'Original audio', original: true },
};

/** "192k", "192000", "1.5M" → kbit/s, or null when it is not a bitrate. */
export function parseBitrate(value) {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const kbps = m[2].toLowerCase() === 'k' ? n : m[2].toLowerCase() === 'm' ? n * 1000 : n / 1000;
  return kbps >= 1 && kbps <= 10000 && Number.isInteger(kbps) ? kbps : null;
}

/** Seconds, MM:SS or HH:MM:SS(.fff) → seconds, or null. */
export function parseTime(value) {
  const parts = value.trim().split(':');
  if (parts.length > 3 || !/^\d{1,6}(?:\.\d{1,6})?$/.test(parts.at(-1)) || !parts.slice(0, -1).every((p) => /^\d{1,4}$/.test(p))) return null;
  const seconds = Number(parts.at(-1));
  if (parts.length > 1 && seconds >= 60) return null;
  if (parts.length === 3 && Number(parts[1]) >= 60) return null;
  const total = parts.slice(0, -1).reduce((sum, p) => sum * 60 + Number(p), 0) * 60 + seconds;
  return total <= 7 * 86400 ? total : null;
}

export function parseTags(text) {
  const tags = {};
  const problems = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    const key = at > 0 ? line.slice(0, at).trim() : '';
    if (!/^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/.test(key)) problems.push(`“${line.trim()}” is not name=value (a name of letters, digits, “_” or “-”).`);
    else if (line.length - at > 1025) problems.push(`Tag “${key}” is longer than 1024 characters.`);
    else tags[key] = line.slice(at + 1).trim();
  }
  return { tags, problems };
}

const clock = (s) => { const m = Math.floor(s / 60); return `${m}:${(s - m * 60).toFixed(1).padStart(4, '0')}`; };

/**
 * Every problem with one file's settings, as [field, message] pairs (all of them, not just the first). probe is the
 * local reading of the file (null when it could not be read: then only what needs no probe is checked).
 */
export function check(settings, probe) {
  const errors = [];
  const add = (field, message) => errors.push([field, message]);
  const format = formats[settings.format];
  if (!format) add('format', `Choose a format.`);
  const kbps = settings.bitrate.trim() ? parseBitrate(settings.bitrate) : undefined;
  const quality = settings.quality.trim() ? Number(settings.quality) : undefined;
  const rate = settings.sampleRate ? Number(settings.sampleRate) : undefined;
  if (kbps === null) add('bitrate', `Bitrate “${settings.bitrate}” is not valid; write it like 192k.`);
  if (quality !== undefined && !Number.isFinite(quality)) add('quality', 'Quality must be a number.');
  if (format?.original) {
    const changes = [kbps && 'a bitrate', quality !== undefined && 'a quality', rate && 'a sample rate', settings.channels && 'a channel count', settings.normalize && 'loudness normalisation'].filter(Boolean);
    if (changes.length) add(kbps ? 'bitrate' : settings.normalize ? 'normalize' : 'format', `“Original audio” copies the sound unchanged, so it cannot apply ${changes.join(' or ')}.`);
  } else if (format) {
    if (kbps) {
      if (format.lossless) add('bitrate', `${format.label} is lossless; a bitrate does not apply to it.`);
      else if (format.bitrateSet && !format.bitrateSet.includes(kbps)) add('bitrate', `${kbps}k is not an allowed ${format.label} bitrate; use one of ${format.bitrateSet.map((b) => `${b}k`).join(', ')}.`);
      else if (format.bitrateRange && (kbps < format.bitrateRange[0] || kbps > format.bitrateRange[1])) add('bitrate', `${kbps}k is outside what ${format.label} allows (${format.bitrateRange[0]}k to ${format.bitrateRange[1]}k).`);
    }
    if (quality !== undefined && Number.isFinite(quality)) {
      if (!format.quality) add('quality', `${format.label} has no quality scale${format.lossless ? '' : '; give a bitrate instead'}.`);
      else if (quality < format.quality[0] || quality > format.quality[1]) add('quality', `Quality ${quality} is outside ${format.label}'s scale ${format.quality[0]} to ${format.quality[1]}.`);
      else if (kbps) add('quality', 'Give either a bitrate or a quality, not both.');
    }
    if (rate && format.rates && !format.rates.includes(rate)) add('sampleRate', `${format.label} cannot be written at ${rate} Hz; use one of ${format.rates.join(', ')}.`);
    if (rate && format.rateRange && (rate < format.rateRange[0] || rate > format.rateRange[1])) add('sampleRate', `${format.label} cannot be written at ${rate} Hz.`);
  }
  const start = settings.start.trim() ? parseTime(settings.start) : undefined;
  const end = settings.end.trim() ? parseTime(settings.end) : undefined;
  if (start === null) add('start', `Start “${settings.start}” is not a time; write seconds (90.5), MM:SS or HH:MM:SS.`);
  if (end === null) add('end', `End “${settings.end}” is not a time; write seconds (90.5), MM:SS or HH:MM:SS.`);
  if (start != null && end != null && end <= start) add('end', `End (${clock(end)}) must be after start (${clock(start)}).`);
  const duration = probe?.duration;
  if (duration && start != null && start >= duration) add('start', `Start (${clock(start)}) is at or after the end of the file (${clock(duration)}).`);
  if (duration && end != null && end > duration + 0.05) add('end', `End (${clock(end)}) is after the end of the file (${clock(duration)}).`);
  if (probe && /^\d+$/.test(settings.track) && Number(settings.track) >= probe.tracks.length) {
    add('track', probe.tracks.length === 0 ? 'This file has no audio track.' : `There is no track ${Number(settings.track) + 1}; the file has ${probe.tracks.length}.`);
  }
  if (probe && probe.tracks.length === 0) add('track', 'This file has no audio track to convert.');
  for (const problem of parseTags(settings.tags).problems) add('tags', problem);
  return errors;
}
