#!/usr/bin/env node
// Uploads one file to a tus server with the official tus-js-client, as a third-party client would.
// The .NET tests drive it to prove VExAA's tus endpoint works with the reference client, not just with our own requests.
//
//   node tus-upload.mjs --endpoint URL --key API_KEY --file PATH [--resume-url URL] [--abort-after-bytes N] [--chunk-size N]
//
// Prints one JSON line and exits 0: {"url", "bytesUploaded" (the server's offset), "bytesSent" (by this run, so a resumed
// run shows it did not start over), "aborted"}; on failure {"error"} and exit 1.
import { createReadStream, statSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import * as tus from 'tus-js-client'

function finish(result, code) {
  process.stdout.write(`${JSON.stringify(result)}\n`)
  // Node's keep-alive agent would otherwise hold the process open for a few seconds after the last request.
  process.exit(code)
}

function wholeNumber(name, text) {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 1) finish({ error: `--${name} must be a positive whole number, not '${text}'` }, 1)
  return n
}

let args
try {
  args = parseArgs({
    options: {
      endpoint: { type: 'string' },
      key: { type: 'string' },
      file: { type: 'string' },
      'resume-url': { type: 'string' },
      'abort-after-bytes': { type: 'string' },
      'chunk-size': { type: 'string' },
    },
    strict: true,
  }).values
} catch (e) {
  finish({ error: e.message }, 1)
}

if (!args.endpoint || !args.key || !args.file) {
  finish({ error: '--endpoint, --key and --file are required' }, 1)
}

const abortAfter = wholeNumber('abort-after-bytes', args['abort-after-bytes'])
const chunkSize = wholeNumber('chunk-size', args['chunk-size'])
let sent = 0

// A path-backed fs.ReadStream lets tus-js-client learn the size and re-read any range, which resuming needs.
const upload = new tus.Upload(createReadStream(args.file), {
  endpoint: args.endpoint,
  uploadUrl: args['resume-url'] ?? null,
  headers: { Authorization: `Bearer ${args.key}` },
  metadata: { filename: basename(args.file) },
  ...(chunkSize ? { chunkSize } : {}),
  // Short retries: a test wants a prompt answer, not the default backoff of several seconds.
  retryDelays: [0, 200, 500],
  onChunkComplete(chunk, accepted, total) {
    sent += chunk
    // Stopping between chunks makes the interruption's offset exact; abort() also cancels the next PATCH.
    if (abortAfter !== undefined && accepted >= abortAfter && accepted < total) {
      upload.abort().then(() => finish({ url: upload.url, bytesUploaded: accepted, bytesSent: sent, aborted: true }, 0))
    }
  },
  onSuccess() {
    // Success means the server's offset reached the size, also when a resumed upload had nothing left to send.
    finish({ url: upload.url, bytesUploaded: statSync(args.file).size, bytesSent: sent, aborted: false }, 0)
  },
  onError(error) {
    finish({ error: String(error?.message ?? error) }, 1)
  },
})

upload.start()
