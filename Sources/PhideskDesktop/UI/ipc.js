// The only way the page talks to the broker.

const IPC_URL = 'app://phidesk/ipc';

/**
 * Sends one command. Always resolves to `{ok: true, data}` or `{ok: false, error}`;
 * transport failures become `error: "unavailable"`.
 */
export async function ipc(command, payload = {}) {
  let response;
  try {
    response = await fetch(IPC_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ command, payload }),
      cache: 'no-store',
    });
  } catch {
    return { ok: false, error: 'unavailable' };
  }
  let reply;
  try {
    reply = await response.json();
  } catch {
    return { ok: false, error: 'unavailable' };
  }
  if (reply && reply.ok === true) return { ok: true, data: reply.data };
  const error = reply && typeof reply.error === 'string' ? reply.error : 'unavailable';
  return { ok: false, error };
}
