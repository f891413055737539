/**
 * The page's own DTLS certificate, made as the page loads (beside the device's preload), so that a
 * viewer's join can carry the DTLS parameters its receiving transport will have before any SDP
 * exists (`join { openRecv, dtlsParameters }`): the server connects the transport with them in the
 * join, and the transport's `connect` event then needs no `connectTransport` round trip — the
 * browser starts ICE and DTLS as soon as the consumers are set up. The certificate goes to that
 * transport's RTCPeerConnection (`certificates`), so the fingerprint its SDP shows is this one;
 * `matches` checks it before the round trip is skipped.
 *
 * One certificate per page, made again a day before it expires (a browser's default lifetime is
 * 30 days, and a classroom kiosk's page stays open longer). null where the browser cannot make
 * one (no WebRTC, no `generateCertificate`): the join then goes without, as before.
 */
import type { RequestOf } from '@teleclass/shared';

export type WireDtlsParameters = RequestOf<'connectTransport'>['dtlsParameters'];

export interface DtlsIdentity {
  readonly certificate: RTCCertificate;
  /** As mediasoup-client will report them for a receiving transport: it answers, so it is the DTLS client. */
  readonly dtlsParameters: WireDtlsParameters;
}

/** A certificate this close to its expiry is replaced before a join uses it. */
export const RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;

type Algorithm = WireDtlsParameters['fingerprints'][number]['algorithm'];
const ALGORITHMS: ReadonlySet<string> = new Set<Algorithm>(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']);

let made: DtlsIdentity | null = null;
let making: Promise<DtlsIdentity | null> | null = null;

/** The page's DTLS identity (made on first use, again near its expiry); null: this browser cannot. */
export function pageDtlsIdentity(now: () => number = Date.now): Promise<DtlsIdentity | null> {
  if (made && made.certificate.expires - now() > RENEW_BEFORE_MS) return Promise.resolve(made);
  making ??= generate().then(
    (identity) => {
      made = identity;
      making = null;
      return identity;
    },
    (error: unknown) => {
      console.warn('[teleclass] no DTLS certificate of our own; the join connects its transport with a request', error);
      making = null;
      return null;
    },
  );
  return making;
}

async function generate(): Promise<DtlsIdentity | null> {
  if (typeof RTCPeerConnection === 'undefined' || typeof RTCPeerConnection.generateCertificate !== 'function') return null;
  // ECDSA P-256: what browsers make by default (fast to make, small handshakes).
  const certificate = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams);
  const fingerprints = (certificate.getFingerprints?.() ?? [])
    .filter((f): f is { algorithm: string; value: string } => typeof f.algorithm === 'string' && typeof f.value === 'string')
    .map((f) => ({ algorithm: f.algorithm.toLowerCase(), value: f.value.toUpperCase() }))
    .filter((f): f is { algorithm: Algorithm; value: string } => ALGORITHMS.has(f.algorithm) && /^[0-9A-F]{2}(?::[0-9A-F]{2})*$/.test(f.value));
  if (fingerprints.length === 0) return null;
  return { certificate, dtlsParameters: { role: 'client', fingerprints } };
}

/**
 * The DTLS parameters a transport reports (its `connect` event) are those the join sent: the same
 * role and a fingerprint of the same certificate. Anything else means the browser did not use the
 * page's certificate, and the transport the server connected will not complete its handshake.
 */
export function matches(reported: { role?: string | undefined; fingerprints: readonly { algorithm: string; value: string }[] }, sent: WireDtlsParameters): boolean {
  if ((reported.role ?? 'auto') !== sent.role) return false;
  return reported.fingerprints.some((f) =>
    sent.fingerprints.some((g) => g.algorithm === f.algorithm.toLowerCase() && g.value === f.value.toUpperCase()),
  );
}

/** Tests only: forget the page's identity. */
export function resetDtlsIdentity(): void {
  made = null;
  making = null;
}
