/**
 * What the RTMP/SRT side asks of Debian's ffmpeg: listen for one encoder, keep its H.264 as it
 * is (`-c:v copy`, SPS/PPS repeated before every key frame for receivers that join late), turn
 * AAC into Opus (WebRTC has no AAC), and send both as RTP; then read what it says on stderr.
 */
export const VIDEO_PT = 102;
export const AUDIO_PT = 111;

export interface FfmpegRtmpTargets {
  input: string;
  /** Extra input options (e.g. `-listen 1` for RTMP). */
  inputOptions: string[];
  videoPort: number;
  audioPort: number;
  videoSsrc: number;
  audioSsrc: number;
  sdpFile: string;
}

export function ffmpegRtmpArgs(t: FfmpegRtmpTargets): string[] {
  const rtp = (port: number) => `rtp://127.0.0.1:${port}?rtcpport=${port}&pkt_size=1200`;
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'info',
    ...t.inputOptions, '-i', t.input,
    '-map', '0:v:0', '-c:v', 'copy', '-bsf:v', 'h264_mp4toannexb',
    '-f', 'rtp', '-ssrc', String(t.videoSsrc), '-payload_type', String(VIDEO_PT), rtp(t.videoPort),
    '-map', '0:a:0?', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '128k', '-application', 'audio',
    '-f', 'rtp', '-ssrc', String(t.audioSsrc), '-payload_type', String(AUDIO_PT), rtp(t.audioPort),
    '-sdp_file', t.sdpFile,
  ];
}

/** The stream name an RTMP encoder published (ffmpeg names it when it is not the one it expected). */
export function publishedName(line: string): string | undefined {
  return /Unexpected stream (\S+), expecting/.exec(line)?.[1];
}

/** Size and frame rate from ffmpeg's description of the input's video stream. */
export function videoFigures(line: string): { width: number; height: number; fps: number | null } | undefined {
  if (!/Stream #0:\d+.*: Video: h264/.test(line)) return undefined;
  const size = /, (\d{2,5})x(\d{2,5})/.exec(line);
  if (!size) return undefined;
  const fps = /([\d.]+) (?:fps|tbr)/.exec(line);
  return { width: Number(size[1]), height: Number(size[2]), fps: fps ? Number(fps[1]) : null };
}

/** The H.264 profile-level-id ffmpeg wrote into its SDP (42e01f when it says none). */
export function profileLevelId(sdp: string): string {
  return /profile-level-id=([0-9a-f]{6})/i.exec(sdp)?.[1]?.toLowerCase() ?? '42e01f';
}
