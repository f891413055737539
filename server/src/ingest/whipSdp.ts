/**
 * WHIP's SDP (RFC 9725 §4.2, RFC 8829): the encoder's offer read into mediasoup RTP parameters,
 * and the answer built from the transport mediasoup made (ICE-lite candidates, DTLS fingerprint,
 * `a=setup:passive`). mediasoup has no SDP layer; what maps to what follows mediasoup-client's
 * `handlers/sdp` (commonUtils / unifiedPlanUtils), written again for the receiving side.
 */
import sdpTransform, { type MediaDescription, type SessionDescription } from 'sdp-transform';
import { TeleclassError, type MediaKind } from '@teleclass/shared';
import type { TransportInfo } from '../media/LectureMedia.js';
import type { WireRtpCapabilities, WireRtpParameters } from '../media/lectureMediaTypes.js';

/** One accepted m-line: what mediasoup produces from it. */
export interface OfferedTrack {
  kind: MediaKind;
  mid: string;
  rtpParameters: WireRtpParameters;
  /** Simulcast layers by RTP stream id (empty: one stream named by SSRC). */
  rids: string[];
}

export interface ParsedOffer {
  tracks: OfferedTrack[];
  /** The encoder's DTLS role as mediasoup names it (the other side's). */
  dtlsRole: 'client' | 'server';
  fingerprints: { algorithm: string; value: string }[];
  iceUfrag: string;
  icePwd: string;
  /** The parsed offer (the answer mirrors its m-lines). */
  sdp: SessionDescription;
}

type Codec = WireRtpParameters['codecs'][number];
type RouterCodec = NonNullable<WireRtpCapabilities['codecs']>[number];
type RouterExtension = NonNullable<WireRtpCapabilities['headerExtensions']>[number];

/** The RTCP feedback mediasoup acts on. */
const FEEDBACK = new Set(['nack', 'nack pli', 'ccm fir', 'goog-remb', 'transport-cc']);

const bad = (message: string) => new TeleclassError('BAD_REQUEST', message);

/** H.264 profile as mediasoup compares it: profile_idc + constraint flags of the first two bytes. */
function h264Profile(params: Record<string, unknown>): string {
  const id = String(params['profile-level-id'] ?? '42001f').toLowerCase();
  const idc = id.slice(0, 2);
  const iop = parseInt(id.slice(2, 4), 16);
  if (idc === '42') return iop & 0x40 ? 'cb' : 'b'; // constraint_set1: constrained baseline
  if (idc === '4d') return iop & 0x80 ? 'cb' : 'main';
  if (idc === '64') return iop & 0x0c ? 'chigh' : 'high';
  return idc;
}

function fmtpOf(m: MediaDescription, pt: number): Record<string, unknown> {
  const line = m.fmtp?.find((f) => f.payload === pt);
  return line ? sdpTransform.parseParams(line.config) : {};
}

/** The router codec an offered one may be forwarded as, if any. */
function matchCodec(kind: MediaKind, mimeType: string, clockRate: number, channels: number | undefined, params: Record<string, unknown>, router: RouterCodec[]): RouterCodec | undefined {
  return router.find((c) => {
    if (c.kind !== kind || c.mimeType.toLowerCase() !== mimeType.toLowerCase() || c.clockRate !== clockRate) return false;
    if (kind === 'audio' && (c.channels ?? 1) !== (channels ?? 1)) return false;
    if (mimeType.toLowerCase() === 'video/h264') {
      const cp = c.parameters ?? {};
      if (Number(params['packetization-mode'] ?? 0) !== Number(cp['packetization-mode'] ?? 0)) return false;
      return h264Profile(params) === h264Profile(cp);
    }
    return true;
  });
}

/** Reads one m-line; undefined when nothing in it can be forwarded (it is rejected in the answer). */
function readTrack(m: MediaDescription, caps: WireRtpCapabilities): OfferedTrack | undefined {
  if (m.type !== 'audio' && m.type !== 'video') return undefined;
  if (m.port === 0 || m.direction === 'recvonly' || m.direction === 'inactive') return undefined;
  const kind = m.type;
  const mid = m.mid === undefined ? undefined : String(m.mid);
  if (!mid) throw bad('Every m-line of a WHIP offer needs an a=mid.');
  const routerCodecs = caps.codecs ?? [];
  // The offerer's order is its preference: the first codec the router takes wins.
  let chosen: { codec: Codec; pt: number } | undefined;
  for (const rtp of m.rtp) {
    const mimeType = `${kind}/${rtp.codec}`;
    if (/^(rtx|red|ulpfec|flexfec-03|cn|telephone-event)$/i.test(rtp.codec)) continue;
    const params = fmtpOf(m, rtp.payload);
    const channels = kind === 'audio' ? Number(rtp.encoding ?? 1) : undefined;
    if (!matchCodec(kind, mimeType, rtp.rate ?? 0, channels, params, routerCodecs)) continue;
    const rtcpFeedback = (m.rtcpFb ?? [])
      .filter((fb) => Number(fb.payload) === rtp.payload || fb.payload === '*')
      .map((fb) => ({ type: fb.type, parameter: fb.subtype ?? '' }))
      .filter((fb) => FEEDBACK.has(`${fb.type}${fb.parameter ? ` ${fb.parameter}` : ''}`));
    chosen = {
      pt: rtp.payload,
      codec: { mimeType, payloadType: rtp.payload, clockRate: rtp.rate ?? 0, ...(channels !== undefined && { channels }), parameters: params as Codec['parameters'], rtcpFeedback },
    };
    break;
  }
  if (!chosen) return undefined;
  const codecs: Codec[] = [chosen.codec];
  const rtx = m.rtp.find((r) => /^rtx$/i.test(r.codec) && Number(fmtpOf(m, r.payload)['apt']) === chosen.pt);
  if (rtx) codecs.push({ mimeType: `${kind}/rtx`, payloadType: rtx.payload, clockRate: rtx.rate ?? 90000, parameters: { apt: chosen.pt }, rtcpFeedback: [] });

  const routerExts: RouterExtension[] = caps.headerExtensions ?? [];
  const headerExtensions = (m.ext ?? [])
    .filter((e) => routerExts.some((r) => r.uri === e.uri && r.kind === kind && r.direction !== 'sendonly'))
    .map((e) => ({ uri: e.uri, id: e.value, encrypt: false, parameters: {} }));

  const rids = (m.rids ?? []).filter((r) => r.direction === 'send').map((r) => String(r.id));
  let encodings: WireRtpParameters['encodings'];
  if (rids.length > 0 && m.simulcast) {
    encodings = rids.map((rid) => ({ rid }));
  } else {
    const ssrcs = [...new Set((m.ssrcs ?? []).map((s) => Number(s.id)))];
    const fid = (m.ssrcGroups ?? []).find((g) => g.semantics === 'FID')?.ssrcs.split(' ').map(Number);
    const primary = fid?.[0] ?? ssrcs[0];
    if (primary === undefined) throw bad(`m-line ${mid} names no SSRC and no simulcast RIDs.`);
    encodings = [{ ssrc: primary, ...(rtx && fid?.[1] !== undefined && { rtx: { ssrc: fid[1] } }) }];
  }
  const cname = m.ssrcs?.find((s) => s.attribute === 'cname')?.value;
  return {
    kind,
    mid,
    rids: encodings.every((e) => 'rid' in e && e.rid) ? rids : [],
    rtpParameters: { mid, codecs, headerExtensions, encodings, rtcp: { ...(cname && { cname }), reducedSize: true } } as WireRtpParameters,
  };
}

/** Reads a WHIP offer; BAD_REQUEST (a 400) when it is not one this server can take. */
export function parseOffer(offer: string, caps: WireRtpCapabilities): ParsedOffer {
  let sdp: SessionDescription;
  try {
    sdp = sdpTransform.parse(offer);
  } catch {
    throw bad('The body is not an SDP offer.');
  }
  if (!sdp.media?.length) throw bad('The SDP offer has no media.');
  const first = sdp.media[0]!;
  const iceUfrag = String(first.iceUfrag ?? sdp.iceUfrag ?? '');
  const icePwd = String(first.icePwd ?? sdp.icePwd ?? '');
  const fp = first.fingerprint ?? sdp.fingerprint;
  if (!iceUfrag || !icePwd || !fp) throw bad('The SDP offer needs ICE credentials and a DTLS fingerprint.');
  const setup = first.setup ?? sdp.setup ?? 'actpass';
  const tracks = sdp.media.map((m) => readTrack(m, caps)).filter((t): t is OfferedTrack => t !== undefined);
  if (!tracks.some((t) => t.kind === 'video') && !tracks.some((t) => t.kind === 'audio')) {
    throw new TeleclassError('MEDIA_ERROR', 'None of the offered codecs can be forwarded: send H.264 (packetization-mode 1) or VP8 video, Opus audio.');
  }
  if (tracks.filter((t) => t.kind === 'video').length > 1 || tracks.filter((t) => t.kind === 'audio').length > 1) {
    throw bad('A studio feed is one video and one audio track.');
  }
  return {
    tracks,
    dtlsRole: setup === 'passive' ? 'server' : 'client',
    fingerprints: [{ algorithm: fp.type.toLowerCase(), value: fp.hash }],
    iceUfrag,
    icePwd,
    sdp,
  };
}

/** The SDP answer: every m-line of the offer, accepted ones recvonly and bundled on the one transport. */
export function buildAnswer(offer: ParsedOffer, transport: TransportInfo): string {
  const accepted = new Map(offer.tracks.map((t) => [t.mid, t]));
  const fingerprint = transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256') ?? transport.dtlsParameters.fingerprints[0]!;
  const candidates = transport.iceCandidates.map((c) => ({
    foundation: c.foundation,
    component: 1,
    transport: c.protocol,
    priority: c.priority,
    ip: c.address,
    port: c.port,
    type: c.type,
    ...(c.protocol === 'tcp' && { tcptype: c.tcpType ?? 'passive' }),
    generation: 0,
  }));
  const mids = [...accepted.keys()];
  const media = offer.sdp.media.map((m): MediaDescription => {
    const mid = m.mid === undefined ? '' : String(m.mid);
    const track = accepted.get(mid);
    if (!track) {
      return { type: m.type, port: 0, protocol: m.protocol, payloads: m.payloads ?? '', rtp: [], fmtp: [], ...(mid && { mid }), direction: 'inactive' };
    }
    const codecs = track.rtpParameters.codecs;
    const description: MediaDescription = {
      type: m.type,
      port: 9,
      protocol: 'UDP/TLS/RTP/SAVPF',
      connection: { version: 4, ip: '127.0.0.1' },
      payloads: codecs.map((c) => c.payloadType).join(' '),
      rtp: codecs.map((c) => ({ payload: c.payloadType, codec: c.mimeType.split('/')[1]!, rate: c.clockRate, ...(c.channels && c.channels > 1 && { encoding: c.channels }) })),
      fmtp: codecs
        .filter((c) => c.parameters && Object.keys(c.parameters).length > 0)
        .map((c) => ({ payload: c.payloadType, config: Object.entries(c.parameters!).map(([k, v]) => `${k}=${String(v)}`).join(';') })),
      rtcpFb: codecs.flatMap((c) => (c.rtcpFeedback ?? []).map((fb) => ({ payload: c.payloadType, type: fb.type, ...(fb.parameter && { subtype: fb.parameter }) }))),
      ext: track.rtpParameters.headerExtensions?.map((e) => ({ value: e.id, uri: e.uri })) ?? [],
      mid,
      direction: 'recvonly',
      rtcpMux: 'rtcp-mux',
      rtcpRsize: 'rtcp-rsize',
      iceUfrag: transport.iceParameters.usernameFragment,
      icePwd: transport.iceParameters.password,
      fingerprint: { type: fingerprint.algorithm, hash: fingerprint.value },
      setup: offer.dtlsRole === 'client' ? 'passive' : 'active',
      candidates,
      endOfCandidates: 'end-of-candidates',
    };
    if (track.rids.length > 0) {
      description.rids = track.rids.map((id) => ({ id, direction: 'recv' }));
      description.simulcast = { dir1: 'recv', list1: track.rids.join(';') };
    }
    return description;
  });
  const answer: SessionDescription = {
    version: 0,
    origin: { username: '-', sessionId: Date.now(), sessionVersion: 1, netType: 'IN', ipVer: 4, address: '127.0.0.1' },
    name: '-',
    timing: { start: 0, stop: 0 },
    icelite: 'ice-lite',
    msidSemantic: { semantic: 'WMS', token: '*' },
    groups: mids.length > 0 ? [{ type: 'BUNDLE', mids: mids.join(' ') }] : [],
    media,
  };
  return sdpTransform.write(answer);
}
