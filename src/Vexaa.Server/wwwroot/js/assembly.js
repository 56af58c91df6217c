// Audio assembly for one file: a second format from the same decode, splitting (by chapters or at pauses), silence
// trimmed or pauses shortened, cover art, and an archival BagIt package. The names are the API's (POST /api/v1/jobs).
import { h } from './dom.js';
import { formats, parseTime } from './rules.js';

export const defaults = { alsoFormat: '', split: '', splitPause: '', trimSilence: false, maxPause: '', cover: '', coverTime: '', coverImageName: '', package: false };

const seconds = (text) => {
  const value = Number(String(text).trim());
  return String(text).trim() !== '' && Number.isFinite(value) ? value : null;
};

/** The assembly fields of a review row; `field` and `select` are review.js's helpers (ids, labels, data-field). */
export function controls(row, s, field, select) {
  const formatNames = Object.entries(formats).filter(([id, f]) => !f.original && id !== s.format).map(([id, f]) => [id, f.label]);
  const open = s.alsoFormat || s.split || s.trimSilence || s.maxPause || s.cover || s.package;
  return h('details', { class: 'review-assembly', open: Boolean(open) },
    h('summary', {}, 'Assembly: several formats, split, silence, cover, archive'),
    h('div', { class: 'review-grid' },
      field(row, 'alsoFormat', 'Also make', select([['', 'Nothing else'], ...formatNames.map(([id, label]) => [id, `${label} too`])], s.alsoFormat)),
      field(row, 'split', 'Split into files', select([['', 'One file'], ['chapters', 'One per chapter'], ['silence', 'At pauses']], s.split)),
      s.split === 'silence' ? field(row, 'splitPause', 'Pauses of at least (s)', h('input', { value: s.splitPause, placeholder: '2', inputmode: 'decimal', autocomplete: 'off' })) : null,
      field(row, 'maxPause', 'Shorten pauses to (s)', h('input', { value: s.maxPause, placeholder: 'keep them', inputmode: 'decimal', autocomplete: 'off' })),
      field(row, 'cover', 'Cover art', select([['', 'None'], ['auto', 'A frame of the video, chosen for me'], ['time', 'The frame at a time…'], ['image', 'A picture of my own…']], s.cover)),
      s.cover === 'time' ? field(row, 'coverTime', 'Frame at', h('input', { value: s.coverTime, placeholder: '0:10', autocomplete: 'off' })) : null,
      // A file input cannot be given a file back after a re-render: the name chosen is shown in its label instead.
      s.cover === 'image' ? field(row, 'coverImage', s.coverImageName ? `Picture: ${s.coverImageName}` : 'Picture (JPEG or PNG)', h('input', { type: 'file', accept: 'image/jpeg,image/png' })) : null,
      h('label', { class: 'check' }, h('input', { type: 'checkbox', dataset: { field: 'trimSilence' }, checked: s.trimSilence }), ' Trim silence at the start and end'),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', dataset: { field: 'package' }, checked: s.package }), ' Archive package (BagIt zip with checksums)')));
}

/** Adds the assembly problems of one file, as [field, message] pairs, to `add`. */
export function check(s, probe, add) {
  if (s.alsoFormat && (s.format === 'original' || s.alsoFormat === s.format)) add('alsoFormat', s.format === 'original' ? '“Original audio” cannot be made alongside another format; choose a format first.' : 'Choose a format other than the main one.');
  if (s.split === 'silence' && s.splitPause.trim() && !(seconds(s.splitPause) > 0 && seconds(s.splitPause) <= 3600)) add('splitPause', `“${s.splitPause}” is not a pause length; give seconds, e.g. 2.`);
  if (s.maxPause.trim() && !(seconds(s.maxPause) > 0 && seconds(s.maxPause) <= 3600)) add('maxPause', `“${s.maxPause}” is not a pause length; give seconds, e.g. 1.5.`);
  if (s.cover === 'image' && !s.coverImageName) add('coverImage', 'Choose the picture for the cover (JPEG or PNG).');
  else if (s.cover === 'image' && !/\.(jpe?g|png)$/i.test(s.coverImageName)) add('coverImage', `“${s.coverImageName}” is not a JPEG or PNG picture.`);
  if ((s.cover === 'auto' || s.cover === 'time') && !probe?.video) add('cover', probe ? 'This file has no picture to take a cover from.' : 'This browser cannot read the file, so no frame can be chosen here.');
  if (s.cover === 'time') {
    const at = parseTime(s.coverTime);
    if (at === null) add('coverTime', `“${s.coverTime}” is not a time; write seconds, MM:SS or HH:MM:SS.`);
    else if (probe?.duration && at >= probe.duration) add('coverTime', 'That time is after the end of the video.');
  }
  if (s.cover && (s.format === 'wav' || s.format === 'aac' || s.alsoFormat === 'wav' || s.alsoFormat === 'aac')) add('cover', 'WAV and raw AAC files cannot hold cover art; choose MP3, M4A, FLAC, Ogg or Opus.');
}

/** The job fields for the assembly settings, added to `body`. */
export function jobFields(s, body) {
  // The API takes format or formats, never both: two formats go as formats alone.
  if (s.alsoFormat) {
    body.formats = [s.format, s.alsoFormat];
    delete body.format;
  }
  if (s.split === 'chapters') body.split = 'chapters';
  if (s.split === 'silence') body.split = s.splitPause.trim() ? `silence:${s.splitPause.trim()}` : 'silence';
  if (s.trimSilence) body.trimSilence = true;
  if (s.maxPause.trim()) body.maxPause = s.maxPause.trim();
  if (s.cover === 'auto') body.cover = 'auto';
  if (s.cover === 'time' && s.coverTime.trim()) body.cover = s.coverTime.trim();
  if (s.package) body.package = 'bagit';
  return body;
}

/** Words for the "Comes out as" line. */
export function describe(s) {
  const parts = [];
  if (s.alsoFormat) parts.push(`and ${formats[s.alsoFormat]?.label ?? s.alsoFormat}`);
  if (s.split === 'chapters') parts.push('a file per chapter');
  if (s.split === 'silence') parts.push(`split at pauses of ${s.splitPause.trim() || 2} s or more`);
  if (s.trimSilence) parts.push('silence trimmed');
  if (s.maxPause.trim()) parts.push(`pauses shortened to ${s.maxPause.trim()} s`);
  if (s.cover) parts.push(s.cover === 'auto' ? 'cover from the video' : s.cover === 'image' ? `cover from ${s.coverImageName || 'your picture'}` : `cover from ${s.coverTime || 'a frame'}`);
  if (s.package) parts.push('in a BagIt package');
  return parts;
}

/** Why these settings need the whole video sent, or null: chapters are only in the video (a cover frame is taken here: cover.js). */
export function needsWhole(s) {
  if (s.split === 'chapters') return 'splitting by chapters needs them, and the chapters are in the video';
  return null;
}

/** Settings back from a job's options (convert again). */
export function fromOptions(o, format) {
  const also = Array.isArray(o.formats) ? o.formats.find((f) => f !== format) ?? '' : '';
  const split = typeof o.split === 'string' ? o.split : '';
  const cover = typeof o.cover === 'string' ? o.cover : '';
  return {
    alsoFormat: also,
    split: split.startsWith('silence') ? 'silence' : split === 'chapters' ? 'chapters' : '',
    splitPause: split.startsWith('silence:') ? split.slice('silence:'.length) : '',
    trimSilence: o.trimSilence === true,
    maxPause: o.maxPause === null || o.maxPause === undefined ? '' : String(o.maxPause),
    // A picture sent before is not kept by the page: converting again asks for it anew.
    cover: cover === 'auto' ? 'auto' : cover === 'image' ? 'image' : cover ? 'time' : '',
    coverTime: cover && cover !== 'auto' && cover !== 'image' ? cover : '',
    coverImageName: '',
    package: o.package === 'bagit',
  };
}
