// Several files joined into one, in the order they are arranged in the review: an intro, the episode and an outro.
// Each file is uploaded as any other (the audio only, where the browser can copy it out); once all have arrived, one job
// is made from their uploads in that order (POST /api/v1/jobs with uploadIds), with the first file's settings.
import { api } from './api.js';
import { $, announce } from './dom.js';
import { explain } from './errors.js';
import * as jobs from './jobs.js';

const seconds = (text) => {
  const value = Number(String(text).trim());
  return String(text).trim() !== '' && Number.isFinite(value) ? value : null;
};

/** True when the review's "join them" box is ticked (and there is something to join). */
export const joining = (count) => count > 1 && $('join-files').checked;

/** The problems of one row when the files are joined, as [field, message]; `first` is the first row's settings. */
export function check(s, first, add) {
  if (String(s.start).trim()) add('start', 'A join takes every file whole; clear the start (cut the file on its own first).');
  if (String(s.end).trim()) add('end', 'A join takes every file whole; clear the end (cut the file on its own first).');
  if (s.split) add('split', 'A join writes one file; it cannot also be split.');
  if (s.package) add('package', 'An archive package is made for a single file, not for a join.');
  if (s.cover) add('cover', 'A join takes the sound of each file, not a picture; choose no cover.');
  if (s.track === 'all') add('track', 'A join takes one track of each file; choose one.');
  else if (s !== first && s.track !== first.track) add('track', 'Every file of a join uses the first file’s track choice; choose the same here.');
}

/** The problems of the join's own fields (gap, crossfade), as [id, message]. */
export function checkFields() {
  const problems = [];
  const gap = $('join-gap').value.trim();
  const fade = $('join-crossfade').value.trim();
  // seconds() is null for words, and null >= 0 is true in JavaScript: test for it first.
  if (gap && !(seconds(gap) !== null && seconds(gap) >= 0 && seconds(gap) <= 60)) problems.push(['join-gap', `“${gap}” is not a gap; give seconds, e.g. 1.`]);
  if (fade && !(seconds(fade) > 0 && seconds(fade) <= 60)) problems.push(['join-crossfade', `“${fade}” is not a crossfade; give seconds, e.g. 2.`]);
  if (gap && fade) problems.push(['join-crossfade', 'Choose a gap or a crossfade, not both.']);
  for (const id of ['join-gap', 'join-crossfade']) {
    if (problems.some(([p]) => p === id)) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
  }
  return problems;
}

/** The job fields of the join: the first file's, with the gap or crossfade. */
export function fields(firstFields) {
  const body = { ...firstFields };
  const gap = $('join-gap').value.trim();
  const fade = $('join-crossfade').value.trim();
  if (gap) body.gap = gap;
  if (fade) body.crossfade = fade;
  return body;
}

/** The upload cards of one join: each reports when its file has arrived; the last one to arrive makes the job. */
export class JoinGroup {
  constructor(body, done) {
    this.body = body;
    this.done = done;
    this.items = [];
  }

  add(item) { this.items.push(item); }

  arrived(item) {
    item.state = 'joined';
    const waiting = this.items.filter((i) => !i.uploadId).length;
    for (const i of this.items.filter((x) => x.uploadId)) {
      i.text(waiting ? `Uploaded · waiting for ${waiting} more file${waiting === 1 ? '' : 's'} of the join…` : '100% · joining…');
    }
    if (waiting === 0) this.submit();
  }

  async submit() {
    const last = this.items.at(-1);
    last.clearExtra();
    try {
      const job = await api('POST', '/api/v1/jobs', { uploadIds: this.items.map((i) => i.uploadId), ...this.body });
      jobs.upsert(job);
      announce(`Joining ${this.items.length} files into one.`);
      for (const i of this.items) this.done(i);
    } catch (error) {
      // Refused before any upload was used up: they can be joined again with other settings.
      last.showError(explain(error.code, error.message).text, () => this.submit());
    }
  }
}
