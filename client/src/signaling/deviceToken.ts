/**
 * This browser's device token: made and signed by the server, kept in localStorage and sent with
 * every connection (`auth.device`). A removal by the trainer covers the browser it names, so
 * someone removed cannot come straight back through the shared attendee link. Private browsing
 * or cleared storage forgets it (README says what removal guarantees).
 */
const KEY = 'teleclass.device';

export function loadDeviceToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(KEY) ?? null;
  } catch {
    return null; // storage disabled
  }
}

export function saveDeviceToken(token: string): void {
  try {
    globalThis.localStorage?.setItem(KEY, token);
  } catch {
    // storage disabled: the browser gets a new device id each time
  }
}
