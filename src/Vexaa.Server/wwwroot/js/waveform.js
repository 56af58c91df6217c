// The chosen track drawn as a waveform in the review step, with its start and end dragged on it (two sliders, so the
// keyboard works too; typing times still works) and the part between them playable. The sound is decoded here, from
// the file on this computer, with mediabunny; nothing is sent.
import * as mb from '/vendor/mediabunny.min.js';
import { h } from './dom.js';
import { parseTime } from './rules.js';

const BUCKETS = 480;

/** A clock with tenths, as the start and end fields take it: 1:05.3, 1:02:03.5. */
export function preciseClock(seconds) {
  const tenths = Math.round(seconds * 10);
  const s = Math.floor(tenths / 10);
  const h_ = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${String(s % 60).padStart(2, '0')}.${tenths % 10}`;
  return h_ > 0 ? `${h_}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/**
 * The waveform block of a review row. `get()` returns the row's { start, end } text; `set(name, text)` changes one as
 * if typed. Returns { element, sync } where sync() moves the sliders after the fields were typed in.
 */
export function waveform(row, { get, set }) {
  const duration = row.probe?.duration;
  if (!duration || !row.probe.tracks.length) return { element: null, sync: () => {} };
  const canvas = h('canvas', { class: 'waveform-canvas', width: BUCKETS * 2, height: 96, role: 'img', 'aria-label': `Waveform of ${row.file.name}` });
  const slider = (name, label) => h('input', { type: 'range', class: `trim trim-${name}`, min: 0, max: duration.toFixed(1), step: 0.1, 'aria-label': label, dataset: { trim: name } });
  const start = slider('start', 'Trim start');
  const end = slider('end', 'Trim end');
  const show = h('button', { type: 'button', class: 'button small waveform-show' }, 'Show the waveform and trim');
  const play = h('button', { type: 'button', class: 'button small ghost waveform-play', hidden: true }, 'Play the selection');
  const status = h('span', { class: 'muted waveform-status', role: 'status' });
  const stage = h('div', { class: 'waveform-stage', hidden: true }, canvas, start, end);
  const element = h('div', { class: 'waveform' }, h('div', { class: 'waveform-bar' }, show, play, status), stage);
  // Read once per track: a new preset rebuilds the row but keeps what was read.
  let peaks = row.peaks?.track === row.settings.track ? row.peaks.values : null;
  if (peaks) {
    show.hidden = true;
    stage.hidden = false;
    element.dataset.ready = 'true';
    queueMicrotask(sync);
  }

  const range = () => {
    const { start: a, end: b } = get();
    const from = a.trim() ? parseTime(a) : 0;
    const to = b.trim() ? parseTime(b) : duration;
    return [Number.isFinite(from) ? from : 0, Number.isFinite(to) ? to : duration];
  };
  const sync = () => {
    const [a, b] = range();
    start.value = String(Math.min(a, duration));
    end.value = String(Math.min(b, duration));
    draw(canvas, peaks, a / duration, b / duration);
  };
  for (const [input, name] of [[start, 'start'], [end, 'end']]) {
    input.addEventListener('input', () => {
      let [a, b] = [Number(start.value), Number(end.value)];
      // The handles never cross: the one moved stops a tenth before the other.
      if (name === 'start' && a >= b) start.value = String(a = Math.max(0, b - 0.1));
      if (name === 'end' && b <= a) end.value = String(b = Math.min(duration, a + 0.1));
      const value = name === 'start' ? a : b;
      set(name, (name === 'start' && value <= 0) || (name === 'end' && value >= duration) ? '' : preciseClock(value));
      draw(canvas, peaks, a / duration, b / duration);
    });
  }

  show.addEventListener('click', async () => {
    show.hidden = true;
    stage.hidden = false;
    sync();
    start.focus();
    status.textContent = 'Reading the sound…';
    try {
      peaks = await readPeaks(row, (partial) => { peaks = partial; sync(); });
      row.peaks = { track: row.settings.track, values: peaks };
      element.dataset.ready = 'true';
      status.textContent = '';
      sync();
    } catch {
      status.textContent = 'This browser cannot decode this track; type the times instead.';
    }
    const audio = new Audio();
    if (audio.canPlayType(row.file.type || 'video/mp4')) play.hidden = false;
  });

  let player = null;
  play.addEventListener('click', () => {
    if (player && !player.paused) {
      player.pause();
      return;
    }
    const [a, b] = range();
    player ??= new Audio(URL.createObjectURL(row.file));
    player.currentTime = a;
    player.ontimeupdate = () => { if (player.currentTime >= b) player.pause(); };
    player.onpause = () => { play.textContent = 'Play the selection'; };
    player.onplay = () => { play.textContent = 'Pause'; };
    player.play().catch(() => { status.textContent = 'This browser cannot play this file.'; });
  });
  return { element, sync };
}

/** The loudest sample of each of BUCKETS slices of the chosen track, drawn as it is read. */
async function readPeaks(row, onPartial) {
  const audio = await row.probe.input.getAudioTracks();
  const chosen = /^\d+$/.test(row.settings.track) ? Number(row.settings.track) : row.probe.tracks.find((t) => t.isDefault)?.index ?? 0;
  const track = audio[chosen] ?? audio[0];
  const duration = row.probe.duration;
  const peaks = new Float32Array(BUCKETS);
  const sink = new mb.AudioSampleSink(track);
  let buffer = new Float32Array(0);
  let drawn = performance.now();
  for await (const sample of sink.samples()) {
    const frames = sample.numberOfFrames;
    if (buffer.length < frames) buffer = new Float32Array(frames);
    // The first channel is enough to see speech and pauses.
    sample.copyTo(buffer, { planeIndex: 0, format: 'f32-planar' });
    for (let i = 0; i < frames; i++) {
      const bucket = Math.min(BUCKETS - 1, Math.floor(((sample.timestamp + i / sample.sampleRate) / duration) * BUCKETS));
      const v = Math.abs(buffer[i]);
      if (bucket >= 0 && v > peaks[bucket]) peaks[bucket] = v;
    }
    sample.close();
    if (performance.now() - drawn > 250) {
      drawn = performance.now();
      onPartial(peaks);
    }
  }
  return peaks;
}

function draw(canvas, peaks, from, to) {
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  const style = getComputedStyle(canvas);
  context.clearRect(0, 0, width, height);
  const bar = width / BUCKETS;
  for (let i = 0; i < BUCKETS; i++) {
    const inside = i / BUCKETS >= from && i / BUCKETS < to;
    context.fillStyle = inside ? style.getPropertyValue('--wave') || '#5146e0' : style.getPropertyValue('--wave-out') || '#c9cbe0';
    const v = peaks ? Math.max(peaks[i], 0.01) : 0.01;
    const h_ = Math.max(1, v * (height - 4));
    context.fillRect(i * bar, (height - h_) / 2, Math.max(1, bar - 0.5), h_);
  }
}
