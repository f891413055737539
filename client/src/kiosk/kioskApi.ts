/**
 * The kiosk's calls to the server, with its kiosk link's token (not the admin token): the
 * heartbeat that answers what the idle screen shows and which lecture to join, and the
 * pre-flight results. Answers are checked against the shared schemas in development builds.
 */
import type { KioskState, PreflightResult } from '@teleclass/shared';
import { parseInDev } from '../devProtocol.js';
import { pageHttp } from '../signaling/httpFailover.js';

/** The page's version, sent with every poll (the admin's Network tab shows it). */
export const KIOSK_VERSION = '0.1.0';

export class KioskApiError extends Error {
  override name = 'KioskApiError';
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`${status} ${code}`);
  }

  /** The link was replaced or is not valid: polling again cannot help. */
  get final(): boolean {
    return this.status === 401 || this.status === 404;
  }
}

async function call(path: string, token: string, body: unknown): Promise<Response> {
  let res: Response;
  try {
    // In a cluster, another node answers when the page's own is gone (httpFailover.ts).
    res = await pageHttp.fetch(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new KioskApiError(0, 'NETWORK');
  }
  if (!res.ok) {
    const code = await res.json().then((b: { error?: { code?: string } }) => b.error?.code ?? 'ERROR', () => 'ERROR');
    throw new KioskApiError(res.status, code);
  }
  return res;
}

/** Learns the cluster's nodes once (a kiosk between lectures has no socket to hear them from). */
let learned: Promise<void> | undefined;

export async function pollKiosk(siteId: string, token: string): Promise<KioskState> {
  learned ??= pageHttp.refresh();
  await learned;
  const res = await call(`/api/kiosk/${encodeURIComponent(siteId)}`, token, { version: KIOSK_VERSION });
  const body: unknown = await res.json();
  return parseInDev(body, (p) => p.kioskStateSchema);
}

export async function reportPreflight(siteId: string, token: string, result: PreflightResult): Promise<void> {
  await call(`/api/kiosk/${encodeURIComponent(siteId)}/preflight`, token, result);
}
