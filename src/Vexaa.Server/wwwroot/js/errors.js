// What went wrong, said so that someone who has never heard of codecs knows what to do next.
// retry: whether pressing "Try again" can help (it cannot when the file itself is the problem).

const messages = {
  'no-audio-stream': { text: 'This video has no sound, so there is no audio to take from it.', retry: false },
  'not-media': { text: 'This file is not a video or audio file. Check that you picked the right file.', retry: false },
  'corrupt-media': { text: 'This file is damaged and cannot be read. Try downloading or exporting the video again.', retry: false },
  'truncated-media': { text: 'This file stops early, as if its download or copy did not finish. Try the complete file.', retry: false },
  'unsupported-container': { text: 'This kind of file is not supported (playlists, images and similar). Upload the video file itself.', retry: false },
  'empty-file': { text: 'This file is empty (0 bytes). Check that you picked the right file.', retry: false },
  'track-not-found': { text: 'The audio track you asked for is not in this video. Choose one of its tracks, or the main one.', retry: false },
  'duration-limit-exceeded': { text: 'This video is longer than this server accepts. Trim it, or ask the server’s administrator.', retry: false },
  'output-size-limit-exceeded': { text: 'The audio would be larger than this server allows. Choose MP3 or Opus, a lower bitrate, or a shorter part.', retry: false },
  'invalid-option': { text: 'One of the chosen settings does not work for this file.', retry: false, showDetail: true },
  'timeout': { text: 'Converting took too long and was stopped. You can try again, or convert a shorter part.', retry: true },
  'encoding-failed': { text: 'The audio could not be converted. Trying again sometimes helps; otherwise choose another format.', retry: true },
  'internal-error': { text: 'Something went wrong on the server. Please try again.', retry: true },
  'worker-lost': { text: 'The server stopped while converting this file. Please try again.', retry: true },
  'input-expired': { text: 'The video is no longer stored on the server, so it cannot be converted again. Upload it again.', retry: false },
  'input-not-found': { text: 'The video is no longer on the server. Upload it again.', retry: false },
  'quota-exceeded': { text: 'Your storage space is full. Delete some finished audio to make room.', retry: false },
  'payload-too-large': { text: 'This file is larger than this server accepts.', retry: false },
  'too-many-active-jobs': { text: 'You have many conversions running. Wait for some to finish, then try again.', retry: true },
  'rate-limited': { text: 'Too many requests at once. Wait a moment and try again.', retry: true },
  'timeout-probe': { text: 'Reading the file took too long; it may be damaged.', retry: false },
  'network': { text: 'The server cannot be reached. Check your connection; the upload continues once it is back.', retry: true },
};

/** { text, retry, detail } for an error code and the server's own message. */
export function explain(code, detail) {
  const known = messages[code];
  if (!known) return { text: detail || 'Something went wrong.', retry: true, detail: null };
  return { text: known.showDetail && detail ? `${known.text} ${detail}` : known.text, retry: known.retry, detail: known.showDetail ? null : detail };
}
