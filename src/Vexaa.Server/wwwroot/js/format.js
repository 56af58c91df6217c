// Numbers as people read them.

export function bytes(n) {
  if (n === null || n === undefined) return '';
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function speed(bytesPerSecond) {
  return bytesPerSecond > 0 ? `${bytes(Math.round(bytesPerSecond))}/s` : '';
}

/** A duration as a clock: 4:05, 1:02:03. */
export function clock(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return '';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Time left in words: "about 40 s left", "about 3 min left". */
export function timeLeft(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds) || seconds < 0) return '';
  if (seconds < 1) return 'almost done';
  if (seconds < 60) return `about ${Math.ceil(seconds)} s left`;
  if (seconds < 3600) return `about ${Math.ceil(seconds / 60)} min left`;
  const h = Math.floor(seconds / 3600);
  return `about ${h} h ${Math.ceil((seconds % 3600) / 60)} min left`;
}

export function percent(fraction) {
  return `${Math.floor(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}

const languages = new Intl.DisplayNames(['en'], { type: 'language' });
/** "eng" → "English"; unknown codes are shown as they are. */
export function language(code) {
  if (!code || code === 'und') return '';
  try {
    return languages.of(code) || code;
  } catch {
    return code;
  }
}

export function channels(n) {
  return n === 1 ? 'mono' : n === 2 ? 'stereo' : n ? `${n} channels` : '';
}

export function date(iso) {
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}
