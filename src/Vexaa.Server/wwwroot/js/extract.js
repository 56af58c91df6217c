// Send only the audio: mediabunny copies the audio tracks out of the video into a Matroska audio file, packet for
// packet (never re-encoded), so the server converts exactly the sound it would have taken from the whole video, and the
// upload is the 1–3 % of the file that is sound. The whole video goes only when it must; the card says why.
import * as mb from '/vendor/mediabunny.min.js';
import { needsWhole } from './assembly.js';

// mediabunny's names for the codecs its Matroska writer takes as they are.
const copyable = new Set(['aac', 'opus', 'mp3', 'vorbis', 'flac', 'ac3', 'eac3', 'pcm_s16le', 'pcm_s24le', 'pcm_s32le', 'pcm_f32le', 'pcm_u8']);

/** What to send for one file: { how: 'audio' | 'whole', why }, decided without reading the media. */
export function plan(file, probe, settings) {
  if (!probe) return { how: 'whole', why: 'this browser cannot read the file, so the server reads all of it' };
  if (!probe.video) return { how: 'whole', why: 'the file holds only audio already' };
  if (settings.whole) return { how: 'whole', why: 'you asked to send the whole video (it keeps its chapters)' };
  const whole = needsWhole(settings);
  if (whole) return { how: 'whole', why: whole };
  const odd = probe.tracks.find((t) => !copyable.has(t.codec));
  if (odd) return { how: 'whole', why: `its ${String(odd.codec).toUpperCase()} audio cannot be copied out in the browser` };
  return { how: 'audio', why: 'only the sound is needed; it is copied out of the video unchanged' };
}

/**
 * The audio-only file (a File, so an interrupted upload resumes after a reload: same name, size and date), or null when
 * the copy fails (then the whole video is sent). onProgress gets 0..1.
 */
export async function audioOnly(file, probe, onProgress) {
  try {
    // AAC goes into MP4, whose edit list keeps the encoder's priming samples out of the decoded sound, as in the video.
    const mp4 = probe.tracks.every((t) => t.codec === 'aac');
    const output = new mb.Output({ format: mp4 ? new mb.Mp4OutputFormat() : new mb.MkvOutputFormat(), target: new mb.BufferTarget() });
    const conversion = await mb.Conversion.init({
      input: probe.input, output, video: { discard: true }, audio: { forceTranscode: false }, showWarnings: false,
    });
    if (!conversion.isValid || conversion.utilizedTracks.length !== probe.tracks.length) return null;
    conversion.onProgress = (fraction) => onProgress?.(fraction);
    await conversion.execute();
    const stem = file.name.replace(/\.[^.]*$/, '') || 'audio';
    return mp4
      ? new File([output.target.buffer], `${stem}.m4a`, { type: 'audio/mp4', lastModified: file.lastModified })
      : new File([output.target.buffer], `${stem}.mka`, { type: 'audio/x-matroska', lastModified: file.lastModified });
  } catch {
    return null;
  }
}
