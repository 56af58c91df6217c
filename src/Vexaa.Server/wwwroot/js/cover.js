// Cover art without sending the video: the frame is taken here, from the file, with mediabunny (decoding only the frames
// it needs), and sent with the job as a small square JPEG (coverImage), so the upload stays the sound alone.
import * as mb from '/vendor/mediabunny.min.js';
import { parseTime } from './rules.js';

const side = 600;

/** The cover as base64 JPEG for { cover: 'auto' | 'time', coverTime }, or null when this browser cannot decode the video. */
export async function grab(probe, settings) {
  try {
    const track = await probe.input.getPrimaryVideoTrack();
    if (!track || !(await track.canDecode())) return null;
    const size = Math.min(side, track.displayWidth, track.displayHeight);
    const sink = new mb.CanvasSink(track, { width: size, height: size, fit: 'cover', poolSize: 0 });
    const canvas = settings.cover === 'auto' ? await pick(sink, probe.duration ?? await track.computeDuration()) : (await sink.getCanvas(parseTime(settings.coverTime)))?.canvas;
    return canvas ? await jpeg(canvas) : null;
  } catch {
    return null;
  }
}

/** A picture of the person's own as a square JPEG (centre-cropped, at most 600 px) in base64, or null when it cannot be read. */
export async function fromImage(file) {
  try {
    const bitmap = await createImageBitmap(file);
    const crop = Math.min(bitmap.width, bitmap.height);
    const size = Math.min(side, crop);
    const canvas = new OffscreenCanvas(size, size);
    canvas.getContext('2d').drawImage(bitmap, (bitmap.width - crop) / 2, (bitmap.height - crop) / 2, crop, crop, 0, 0, size, size);
    return await jpeg(canvas);
  } catch {
    return null;
  }
}

// As the server does: frames from 10 % to 50 % of the way in, the black ones dropped (fades, title cards), and of the
// rest the one with the most going on (the widest spread of brightness), which is rarely a blur or a flat colour.
async function pick(sink, duration) {
  let best = null;
  for (let i = 0; i < 8; i++) {
    const frame = await sink.getCanvas(duration * (0.1 + (0.4 * i) / 7));
    if (!frame) continue;
    const { mean, spread } = luma(frame.canvas);
    if (mean < 24) continue;
    if (!best || spread > best.spread) best = { canvas: copy(frame.canvas), spread };
  }
  return best?.canvas ?? null;
}

function luma(canvas) {
  const small = new OffscreenCanvas(32, 32);
  const context = small.getContext('2d');
  context.drawImage(canvas, 0, 0, 32, 32);
  const pixels = context.getImageData(0, 0, 32, 32).data;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const y = 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2];
    sum += y;
    squares += y * y;
  }
  const n = pixels.length / 4;
  const mean = sum / n;
  return { mean, spread: Math.sqrt(Math.max(0, squares / n - mean * mean)) };
}

// The sink reuses nothing with poolSize 0, but the chosen frame is copied anyway so later decodes cannot touch it.
function copy(canvas) {
  const out = new OffscreenCanvas(canvas.width, canvas.height);
  out.getContext('2d').drawImage(canvas, 0, 0);
  return out;
}

async function jpeg(canvas) {
  const blob = 'convertToBlob' in canvas
    ? await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })
    : await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
