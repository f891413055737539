// Chromium as a WHIP encoder (RFC 9725): an RTCPeerConnection with the fake camera and
// microphone, sendonly, its complete offer POSTed with the bearer token, the answer applied.
import type { Page } from 'playwright-core';

export interface WhipPublish {
  status: number;
  location: string | null;
  etag: string | null;
  body: string;
}

/** Publishes from `page` (on the server's origin). `codec`: the video codec to offer first. */
export function whipPublish(page: Page, url: string, token: string, options: { codec?: 'H264' | 'VP8'; width?: number; height?: number; simulcast?: boolean } = {}): Promise<WhipPublish> {
  return page.evaluate(
    async ({ url, token, codec, width, height, simulcast }) => {
      const w = window as unknown as { whip?: RTCPeerConnection };
      w.whip?.close();
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width, height, frameRate: 30 }, audio: true });
      const pc = new RTCPeerConnection();
      w.whip = pc;
      for (const track of stream.getTracks()) {
        // Fixed bitrates, as OBS and hardware encoders send their layers: all three (180 kbit/s)
        // fit in the 300 kbit/s Chromium starts its estimate at. Chromium enables a layer only once
        // its estimate covers it, and on a busy machine that estimate took over 30 s to reach the
        // ~1 Mbit/s its default top layer asks (a CI run saw the studio at the middle layer).
        const layers = [
          { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 30_000 },
          { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 50_000 },
          { rid: 'f', maxBitrate: 100_000 },
        ];
        const t = pc.addTransceiver(track, { direction: 'sendonly', ...(simulcast && track.kind === 'video' && { sendEncodings: layers }) });
        if (track.kind === 'video') {
          const caps = RTCRtpSender.getCapabilities('video')?.codecs ?? [];
          const first = caps.filter((c) => c.mimeType === `video/${codec}` && (codec !== 'H264' || /packetization-mode=1/.test(c.sdpFmtpLine ?? '')));
          t.setCodecPreferences([...first, ...caps.filter((c) => !first.includes(c))]);
        }
      }
      await pc.setLocalDescription(await pc.createOffer());
      // No trickle: wait for every candidate, as OBS does.
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
        setTimeout(resolve, 2000);
      });
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${token}` }, body: pc.localDescription!.sdp });
      const body = await res.text();
      if (res.status === 201) {
        await pc.setRemoteDescription({ type: 'answer', sdp: body });
        // An encoder keeps its picture size: Chromium would otherwise scale down on a busy CPU
        // or while its bandwidth estimate ramps up, and the test checks the size.
        for (const sender of pc.getSenders()) {
          if (sender.track?.kind !== 'video') continue;
          const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string };
          params.degradationPreference = 'maintain-resolution';
          await sender.setParameters(params);
        }
      } else pc.close();
      return { status: res.status, location: res.headers.get('Location'), etag: res.headers.get('ETag'), body };
    },
    { url, token, codec: options.codec ?? 'VP8', width: options.width ?? 960, height: options.height ?? 540, simulcast: options.simulcast ?? false },
  );
}

/** Stops (false) or restarts (true) the encoder's media without closing its connection: a feed cut. */
export function whipSending(page: Page, active: boolean): Promise<void> {
  return page.evaluate(async (active) => {
    const pc = (window as unknown as { whip: RTCPeerConnection }).whip;
    for (const sender of pc.getSenders()) {
      const params = sender.getParameters();
      for (const e of params.encodings) e.active = active;
      await sender.setParameters(params);
    }
  }, active);
}

/** The WHIP connection's state as Chromium sees it. */
export function whipConnection(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { whip?: RTCPeerConnection }).whip?.connectionState ?? 'none');
}
