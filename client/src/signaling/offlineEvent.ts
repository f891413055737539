/**
 * engine.io-client closes its connection the moment the browser fires `offline` (on any host but
 * `localhost`). On a classroom PC that event comes with every short cable or Wi-Fi blip, while the
 * lecture's WebRTC media, on its own path, may well still flow: closing the socket then tore the
 * kiosk's media down on the server for nothing (issue 18: a 10 s blip stalled the picture 12–14 s).
 * Teleclass lets socket.io's heartbeat decide instead (SOCKET_PING_INTERVAL_MS +
 * SOCKET_PING_TIMEOUT_MS, 5 s): a real loss is still noticed within 5 s, a blip costs nothing.
 *
 * engine.io-client 6 routes the event to `engine._onClose('transport close', { description:
 * 'network connection lost' })`, the only call with that description (a closed WebSocket says
 * 'websocket connection closed'); this drops that one call on the engine instance. Checked in the
 * browser by e2e/offline-blip.test.ts, so an engine.io-client that changes it fails a test.
 */
const OFFLINE = 'network connection lost';
const PATCHED = Symbol('teleclass.offlineIgnored');

type Engine = { _onClose?: (reason: string, details?: unknown) => void; [PATCHED]?: true };

/** Makes `engine` (a socket.io Manager's `engine`) ignore the browser's `offline` event. */
export function ignoreOfflineEvent(engine: unknown): boolean {
  const e = engine as Engine | undefined;
  if (!e || typeof e._onClose !== 'function') return false;
  if (e[PATCHED]) return true;
  const close = e._onClose.bind(e);
  e._onClose = (reason, details) => {
    const description = (details as { description?: unknown } | undefined)?.description;
    if (reason === 'transport close' && description === OFFLINE) return; // the heartbeat decides
    close(reason, details);
  };
  e[PATCHED] = true;
  return true;
}
