// The page's own DTLS certificate (media/dtlsIdentity.ts): made once, made again near its expiry,
// none where the browser cannot make one; and the check that the transport took it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { matches, pageDtlsIdentity, RENEW_BEFORE_MS, resetDtlsIdentity } from '../src/media/dtlsIdentity.js';

const DAY = 24 * 60 * 60 * 1000;
const HEX = 'ab:cd:ef:01:23:45:67:89';

function fakeRtcPeerConnection(expires: () => number, fingerprints = [{ algorithm: 'SHA-256', value: HEX }]) {
  const generateCertificate = vi.fn(async (keygen: unknown) => {
    expect(keygen).toEqual({ name: 'ECDSA', namedCurve: 'P-256' });
    return { expires: expires(), getFingerprints: () => fingerprints };
  });
  vi.stubGlobal('RTCPeerConnection', { generateCertificate });
  return generateCertificate;
}

afterEach(() => {
  vi.unstubAllGlobals();
  resetDtlsIdentity();
});

describe('the page\'s DTLS identity', () => {
  it('is made once and reported as the DTLS client with upper-case fingerprints, as SDP shows them', async () => {
    const now = 1_000_000;
    const generate = fakeRtcPeerConnection(() => now + 30 * DAY);
    const [a, b] = await Promise.all([pageDtlsIdentity(() => now), pageDtlsIdentity(() => now)]);
    expect(a).toBe(b);
    expect(a!.dtlsParameters).toEqual({ role: 'client', fingerprints: [{ algorithm: 'sha-256', value: HEX.toUpperCase() }] });
    expect(await pageDtlsIdentity(() => now + 28 * DAY)).toBe(a);
    expect(generate).toHaveBeenCalledTimes(1);
  });

  it('is made again a day before it expires (a kiosk page stays open for months)', async () => {
    let made = 0;
    const generate = fakeRtcPeerConnection(() => made++ * 100 * DAY + 30 * DAY);
    const first = await pageDtlsIdentity(() => 0);
    const later = await pageDtlsIdentity(() => 30 * DAY - RENEW_BEFORE_MS + 1);
    expect(later).not.toBe(first);
    expect(generate).toHaveBeenCalledTimes(2);
  });

  it('is none without WebRTC, without a usable fingerprint, or when making one fails; asked again next time', async () => {
    vi.stubGlobal('RTCPeerConnection', undefined);
    expect(await pageDtlsIdentity()).toBeNull();
    fakeRtcPeerConnection(() => Date.now() + 30 * DAY, [{ algorithm: 'md5', value: HEX }]);
    expect(await pageDtlsIdentity()).toBeNull();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubGlobal('RTCPeerConnection', { generateCertificate: () => Promise.reject(new Error('NotSupportedError')) });
    expect(await pageDtlsIdentity()).toBeNull();
    expect(warn).toHaveBeenCalled();
    fakeRtcPeerConnection(() => Date.now() + 30 * DAY);
    expect(await pageDtlsIdentity()).not.toBeNull();
  });

  it('matches what a transport reports only with the same role and a fingerprint of the same certificate', () => {
    const sent = { role: 'client' as const, fingerprints: [{ algorithm: 'sha-256' as const, value: HEX.toUpperCase() }] };
    expect(matches({ role: 'client', fingerprints: [{ algorithm: 'sha-256', value: HEX }] }, sent)).toBe(true);
    expect(matches({ role: 'client', fingerprints: [{ algorithm: 'sha-384', value: 'AA:BB' }, { algorithm: 'SHA-256', value: HEX }] }, sent)).toBe(true);
    expect(matches({ role: 'server', fingerprints: sent.fingerprints }, sent)).toBe(false);
    expect(matches({ fingerprints: sent.fingerprints }, sent)).toBe(false);
    expect(matches({ role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] }, sent)).toBe(false);
    expect(matches({ role: 'client', fingerprints: [{ algorithm: 'sha-1', value: HEX }] }, sent)).toBe(false);
  });
});
