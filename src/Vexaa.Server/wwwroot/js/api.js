// The page talks only to the public API (the one at /openapi/v1.json), with the session cookie.
// Every request that changes something sends X-Requested-With, which the server requires of cookie requests (CSRF).

export const CSRF_HEADER = { 'X-Requested-With': 'vexaa' };

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.code = problem?.code || (status === 0 ? 'network' : `http-${status}`);
    this.problem = problem || {};
  }
}

const listeners = new Set();
/** Called when the server says the session is over (401), so the page can show the sign-in screen. */
export function onSignedOut(listener) { listeners.add(listener); }

export async function api(method, path, body) {
  const headers = { Accept: 'application/json', ...CSRF_HEADER };
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, { detail: 'The server cannot be reached. Check your connection and try again.' });
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    // A wrong current password (changing it) is a 401 too, but the session is fine.
    if (response.status === 401 && path !== '/api/v1/session' && problem?.code !== 'invalid-credentials') listeners.forEach((l) => l());
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : null;
}
