/**
 * The pre-flight check's measurements, each named for what it measures and how (README: Pre-flight):
 * - camera: getUserMedia gives a live video track and the picture has a size (a decoded frame).
 * - micLevel: the peak |sample| (0–1) a WebAudio AnalyserNode sees on the microphone over MIC_WINDOW_MS.
 * - speaker: a 440 Hz OscillatorNode tone played for TONE_MS through an AudioContext that was
 *   running (the browser let it play). Whether the speakers are on is for a person to hear.
 * - network: a WebRTC test stream to the SFU (sfuProbe.ts: round trip, loss, bitrate received by
 *   the SFU, the browser's bandwidth estimate), `via: 'sfu'`. When that test cannot run (WebRTC
 *   blocked, the server's PROBE_MAX_CONCURRENT reached), the HTTPS fallback, `via: 'https'`:
 *   - rttMs: the median of RTT_PROBES HTTPS round trips of an empty request to the server
 *     (TLS connection kept: request + server handling + answer), not an ICE round trip.
 *   - bitrateKbps: a DOWNLOAD_BYTES download of random bytes from the server, timed (the kiosk);
 *     the studio's figures of its own transport to the SFU when it has one (sendTransportFigures),
 *     else the round trip of /healthz only.
 *   - lossPct: null (no media flows over HTTPS).
 * No React here.
 */
import type { PreflightResult } from '@teleclass/shared';
import { ProbeError, type SfuFigures } from './sfuProbe.js';

export const MIC_WINDOW_MS = 3_000;
export const TONE_MS = 1_000;
export const RTT_PROBES = 4;
export const DOWNLOAD_BYTES = 512 * 1024;

/** A tiny pause between samples (not a wait for media: the window is what is measured). */
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Camera and microphone; null when the browser refuses or has none. */
export async function openDevices(): Promise<MediaStream | null> {
  try {
    return await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  } catch {
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      return null;
    }
  }
}

/** Whether `video` (showing the camera) decodes a picture within `timeoutMs`. */
export async function cameraShows(video: HTMLVideoElement | null, stream: MediaStream | null, timeoutMs = 5_000): Promise<boolean> {
  const track = stream?.getVideoTracks()[0];
  if (!video || !track || track.readyState !== 'live') return false;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (video.videoWidth > 0 && video.readyState >= 2) return true;
    await tick(100);
  }
  return false;
}

/** Measures the microphone's peak over MIC_WINDOW_MS, calling `onLevel` with the current level for a meter. */
export async function micPeak(ctx: AudioContext, stream: MediaStream | null, onLevel: (level: number) => void): Promise<number> {
  if (!stream || stream.getAudioTracks().length === 0) return 0;
  const source = ctx.createMediaStreamSource(stream);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 2048;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let peak = 0;
  const end = Date.now() + MIC_WINDOW_MS;
  while (Date.now() < end) {
    analyser.getFloatTimeDomainData(samples);
    let now = 0;
    for (const s of samples) now = Math.max(now, Math.abs(s));
    peak = Math.max(peak, now);
    onLevel(Math.min(1, now));
    await tick(50);
  }
  source.disconnect();
  onLevel(0);
  return Math.min(1, peak);
}

/** Plays the test tone; true when the AudioContext was running (the browser let it play). */
export async function playTone(ctx: AudioContext): Promise<boolean> {
  try {
    await ctx.resume();
  } catch {
    return false;
  }
  if (ctx.state !== 'running') return false;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.frequency.value = 440;
  gain.gain.value = 0.15;
  osc.connect(gain).connect(ctx.destination);
  osc.start();
  osc.stop(ctx.currentTime + TONE_MS / 1000);
  await new Promise<void>((resolve) => (osc.onended = () => resolve()));
  gain.disconnect();
  return true;
}

export interface NetworkFigures {
  rttMs: number | null;
  bitrateKbps: number | null;
}

/** The network part of a pre-flight result. */
export type NetworkResult = Pick<PreflightResult, 'rttMs' | 'lossPct' | 'bitrateKbps' | 'estimateKbps' | 'via'>;

/** The SFU test, or (it failed, and was not stopped on purpose) the HTTPS fallback with loss unknown. */
export async function sfuOrHttps(sfu: () => Promise<SfuFigures>, https: () => Promise<NetworkFigures & { lossPct?: number | null }>): Promise<NetworkResult> {
  try {
    return { ...(await sfu()), via: 'sfu' };
  } catch (error) {
    if (error instanceof ProbeError && error.code === 'ABORTED') throw error;
    console.warn('[teleclass] the network test against the SFU failed; measuring over HTTPS', error);
    const f = await https();
    return { rttMs: f.rttMs, bitrateKbps: f.bitrateKbps, lossPct: f.lossPct ?? null, estimateKbps: null, via: 'https' };
  }
}

/** The median of RTT_PROBES HTTPS round trips of `url` (e.g. /healthz); null when none answered. */
export async function httpsRoundTrip(url: string): Promise<number | null> {
  const rtts: number[] = [];
  for (let i = 0; i < RTT_PROBES; i++) {
    const t0 = performance.now();
    try {
      const r = await fetch(url, { cache: 'no-store' });
      await r.arrayBuffer();
      if (r.ok) rtts.push(performance.now() - t0);
    } catch {
      // counted as no answer
    }
  }
  rtts.sort((a, b) => a - b);
  return rtts.length > 0 ? Math.round(rtts[Math.floor(rtts.length / 2)]!) : null;
}

/** The round trip and download rate against `url` (`?bytes=` is appended), with the kiosk's token. */
export async function measureNetwork(url: string, token: string): Promise<NetworkFigures> {
  const get = (bytes: number) =>
    fetch(`${url}?bytes=${bytes}`, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' }).then(async (r) => {
      if (!r.ok) throw new Error(String(r.status));
      return (await r.arrayBuffer()).byteLength;
    });
  const rtts: number[] = [];
  for (let i = 0; i < RTT_PROBES; i++) {
    const t0 = performance.now();
    try {
      await get(0);
      rtts.push(performance.now() - t0);
    } catch {
      // counted as no answer
    }
  }
  rtts.sort((a, b) => a - b);
  const rttMs = rtts.length > 0 ? Math.round(rtts[Math.floor(rtts.length / 2)]!) : null;
  let bitrateKbps: number | null = null;
  try {
    const t0 = performance.now();
    const bytes = await get(DOWNLOAD_BYTES);
    const seconds = Math.max(0.001, (performance.now() - t0) / 1000);
    bitrateKbps = Math.round((bytes * 8) / 1000 / seconds);
  } catch {
    bitrateKbps = null;
  }
  return { rttMs, bitrateKbps };
}

/** The studio's figures from its send transport's getStats() (all null before it exists). */
export function sendTransportFigures(stats: readonly RTCStats[]): NetworkFigures & { lossPct: number | null } {
  const any = stats as readonly (RTCStats & Record<string, unknown>)[];
  const pair = any.find((s) => s.type === 'candidate-pair' && (s['nominated'] === true || s['selected'] === true) && s['state'] === 'succeeded');
  const rtt = pair?.['currentRoundTripTime'];
  const out = pair?.['availableOutgoingBitrate'];
  const losses = any.filter((s) => s.type === 'remote-inbound-rtp').map((s) => s['fractionLost']).filter((v): v is number => typeof v === 'number');
  return {
    rttMs: typeof rtt === 'number' ? Math.round(rtt * 1000) : null,
    bitrateKbps: typeof out === 'number' ? Math.round(out / 1000) : null,
    lossPct: losses.length > 0 ? Math.round(Math.max(...losses) * 1000) / 10 : null,
  };
}
