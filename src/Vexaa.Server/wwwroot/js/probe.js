// Reads a dropped file in the browser with mediabunny, which fetches only the bytes it needs from the File (the
// container's headers and index, not the media), so a 1 GB video is read in a moment and nothing is uploaded yet.
import * as mb from '/vendor/mediabunny.min.js';

// mediabunny's codec names → the names ffprobe (and so the server) uses.
const codecNames = { 'pcm-s16': 'pcm_s16le', 'pcm-s24': 'pcm_s24le', 'pcm-s32': 'pcm_s32le', 'pcm-f32': 'pcm_f32le', 'pcm-u8': 'pcm_u8' };

/**
 * { container, duration, tracks: [{ index, id, codec, channels, sampleRate, language, title, isDefault }], video: { width,
 * height } | null, input } for a file mediabunny can read; null for one it cannot (the server then reads it).
 */
export async function probe(file) {
  const input = new mb.Input({ source: new mb.BlobSource(file), formats: mb.ALL_FORMATS });
  try {
    const format = await input.getFormat();
    const audio = await input.getAudioTracks();
    const video = await input.getPrimaryVideoTrack();
    const tracks = [];
    const flags = await Promise.all(audio.map(async (t) => (await t.getDisposition?.())?.default ?? false));
    // The main track as ffmpeg picks it: the first marked default, else the first.
    const main = Math.max(0, flags.indexOf(true));
    for (const [index, track] of audio.entries()) {
      tracks.push({
        index,
        id: track.id,
        codec: codecNames[track.codec] ?? track.codec ?? 'unknown',
        channels: track.numberOfChannels,
        sampleRate: track.sampleRate,
        language: track.languageCode === 'und' ? null : track.languageCode,
        title: track.name || null,
        isDefault: index === main,
      });
    }
    const duration = await input.computeDuration();
    return {
      container: format.name,
      duration: Number.isFinite(duration) && duration > 0 ? duration : null,
      tracks,
      video: video ? { width: video.displayWidth, height: video.displayHeight, codec: video.codec } : null,
      input,
    };
  } catch {
    return null;
  }
}
