/**
 * The pre-flight network test against the SFU (README: Pre-flight): the server opens a short-lived
 * WebRTC transport (POST <base>, the kiosk's or the trainer's token), this page connects to it
 * with mediasoup-client and sends a test stream (testSource.ts) for PROBE_SEND_MS once connected,
 * sampling its own getStats() every SAMPLE_MS, then asks the server what arrived (…/finish, which
 * closes the probe). Figures:
 * - rttMs: the median of the round trips seen — RTCP (remote-inbound-rtp roundTripTime, from the
 *   SFU's receiver reports) and ICE (the selected candidate pair's currentRoundTripTime).
 * - lossPct: packets lost on the way to the SFU, counted by the SFU from sequence-number gaps over
 *   the whole test (else the browser's remote-inbound-rtp packetsLost / packetsSent).
 * - bitrateKbps: RTP bytes the SFU received over the test's window.
 * - estimateKbps: the browser's own estimate of what it could send (availableOutgoingBitrate).
 * No React here.
 */
import { Device, type types } from 'mediasoup-client';
import type { ProbeFigures, ProbeStart } from '@teleclass/shared';
import { parseInDev } from '../devProtocol.js';
import { openTestSource } from './testSource.js';

/** How long the test stream is sent once the transport is connected. */
export const PROBE_SEND_MS = 4_000;
/** The test video's cap (the SFU's own cap is higher): the bitrate figure reads "at least this much" when reached. */
export const PROBE_VIDEO_BITRATE = 2_500_000;
const SAMPLE_MS = 500;
/** ICE and DTLS must be up within this (the server closes the probe after PROBE_MAX_SECONDS anyway). */
const CONNECT_TIMEOUT_MS = 8_000;

export interface SfuFigures {
  rttMs: number | null;
  lossPct: number | null;
  bitrateKbps: number | null;
  estimateKbps: number | null;
}

export class ProbeError extends Error {
  override name = 'ProbeError';
  constructor(readonly code: string) {
    super(code);
  }
}

type Stat = RTCStats & Record<string, unknown>;

/** One getStats() sample of a sending transport: round trips seen, the bandwidth estimate, the sender's own loss count. */
export function sampleSendStats(stats: readonly RTCStats[]): { rtts: number[]; estimateKbps: number | null; lost: number; sent: number } {
  const all = stats as readonly Stat[];
  const rtts: number[] = [];
  const pair = all.find((s) => s.type === 'candidate-pair' && (s['nominated'] === true || s['selected'] === true) && s['state'] === 'succeeded');
  if (typeof pair?.['currentRoundTripTime'] === 'number') rtts.push(pair['currentRoundTripTime'] * 1000);
  let lost = 0;
  for (const s of all.filter((x) => x.type === 'remote-inbound-rtp')) {
    if (typeof s['roundTripTime'] === 'number') rtts.push(s['roundTripTime'] * 1000);
    if (typeof s['packetsLost'] === 'number') lost += Math.max(0, s['packetsLost']);
  }
  const sent = all.filter((s) => s.type === 'outbound-rtp').reduce((sum, s) => sum + (typeof s['packetsSent'] === 'number' ? s['packetsSent'] : 0), 0);
  const out = pair?.['availableOutgoingBitrate'];
  return { rtts, estimateKbps: typeof out === 'number' ? Math.round(out / 1000) : null, lost, sent };
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]!);
};

async function call(url: string, token: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
  } catch {
    throw new ProbeError('NETWORK');
  }
  if (!res.ok) throw new ProbeError(await res.json().then((b: { error?: { code?: string } }) => b.error?.code ?? 'ERROR', () => 'ERROR'));
  return res.status === 204 ? null : res.json();
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (with a deadline) for the transport's ICE and DTLS to be up. */
async function connected(transport: types.Transport, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  while (transport.connectionState !== 'connected') {
    if (transport.connectionState === 'failed' || transport.connectionState === 'closed' || Date.now() > deadline) throw new ProbeError('NOT_CONNECTED');
    if (signal?.aborted) throw new ProbeError('ABORTED');
    await tick(50);
  }
}

/**
 * Runs the test against `base` (`/api/kiosk/<siteId>/probe` or `/api/studio/<lectureId>/probe`)
 * with `token`; `signal` stops it early (the page went on to a lecture) and frees the probe.
 */
export async function probeSfu(base: string, token: string, signal?: AbortSignal, sendMs = PROBE_SEND_MS): Promise<SfuFigures> {
  const start: ProbeStart = await parseInDev(await call(base, token), (p) => p.probeStartSchema);
  const path = `${base}/${start.probeId}`;
  const source = openTestSource();
  let transport: types.Transport | null = null;
  let finished = false;
  try {
    const device = await Device.factory();
    await device.load({ routerRtpCapabilities: start.routerRtpCapabilities as types.RtpCapabilities });
    transport = device.createSendTransport({
      id: start.transport.id,
      iceParameters: start.transport.iceParameters as types.IceParameters,
      iceCandidates: start.transport.iceCandidates as types.IceCandidate[],
      dtlsParameters: start.transport.dtlsParameters as types.DtlsParameters,
    });
    transport.on('connect', ({ dtlsParameters }, ok, fail) => void call(`${path}/connect`, token, { dtlsParameters }).then(() => ok(), fail));
    transport.on('produce', ({ kind, rtpParameters }, ok, fail) => void call(`${path}/produce`, token, { kind, rtpParameters }).then((a) => ok(a as { id: string }), fail));
    await transport.produce({ track: source.video, encodings: [{ maxBitrate: PROBE_VIDEO_BITRATE }], stopTracks: false });
    if (source.audio && device.canProduce('audio')) await transport.produce({ track: source.audio, stopTracks: false });
    await connected(transport, signal);

    const rtts: number[] = [];
    let estimateKbps: number | null = null;
    let last = { lost: 0, sent: 0 };
    const end = Date.now() + sendMs;
    while (Date.now() < end) {
      await tick(SAMPLE_MS); // the window is what is measured, not a wait for media
      if (signal?.aborted) throw new ProbeError('ABORTED');
      const sample = sampleSendStats([...(await transport.getStats()).values()]);
      rtts.push(...sample.rtts);
      estimateKbps = sample.estimateKbps ?? estimateKbps;
      last = sample;
    }
    finished = true;
    const server: ProbeFigures = await parseInDev(await call(`${path}/finish`, token), (p) => p.probeFiguresSchema);
    if (server.packetsReceived === 0) throw new ProbeError('NO_MEDIA');
    const clientLoss = last.sent > 0 ? Math.round((last.lost / (last.sent + last.lost)) * 1000) / 10 : null;
    return { rttMs: median(rtts), lossPct: server.lossPct ?? clientLoss, bitrateKbps: server.bitrateKbps, estimateKbps };
  } finally {
    transport?.close();
    source.stop();
    // Given up early: free the site's place now rather than when the server's cap closes it.
    if (!finished) void call(`${path}/finish`, token).catch(() => undefined);
  }
}
