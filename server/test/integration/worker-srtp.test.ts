// The worker's data path (scripts/mediasoup-worker/build.sh): libsrtp 2.5 from Debian's source
// package, built on OpenSSL and linked statically, instead of Debian's libsrtp2 on NSS. The
// binary must link the one it was built with, and every SRTP suite mediasoup offers must
// encrypt on one worker and decrypt on another (a wrong key schedule or a broken AEAD path
// would leave the second producer without a byte).
import dgram from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { mediasoup, type ms } from '../../src/media/mediasoup.js';
import { cachedWorkerBinaryPath } from '../../src/media/workerBinary.js';
import { opusRtpPacket } from '../helpers.js';

const SUITES: ms.SrtpCryptoSuite[] = ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];
const OPUS: ms.RouterRtpCodecCapability = { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 };
const SSRC = 5555;
const PT = 100;

describe('the worker links libsrtp on OpenSSL', () => {
  it('statically, with its OpenSSL crypto kernel, and no Debian libsrtp2 or NSS', () => {
    const bin = cachedWorkerBinaryPath();
    const linked = execFileSync('ldd', [bin], { encoding: 'utf8' });
    expect(linked).not.toMatch(/libsrtp2|libnss3/);
    expect(linked).toMatch(/libcrypto\.so/);
    const bytes = readFileSync(bin);
    // libsrtp's own cipher descriptions: the OpenSSL kernel's, not the NSS or built-in one's.
    for (const kernel of ['AES-128 counter mode using openssl', 'AES-256 GCM using openssl']) expect(bytes.includes(kernel)).toBe(true);
    expect(bytes.includes('using NSS')).toBe(false);
  });

  it('the baseline (for the benchmark) is the same worker on Debian libsrtp2', () => {
    const base = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/mediasoup-worker/build.sh'), '--baseline', '--print-path'], { encoding: 'utf8' }).trim();
    expect(base).toBe(`${cachedWorkerBinaryPath()}-debian-srtp`);
    // Built with the worker; a cache from before the baseline existed may lack it.
    if (existsSync(base)) expect(execFileSync('ldd', [base], { encoding: 'utf8' })).toMatch(/libsrtp2\.so/);
  });
});

describe('every SRTP suite round-trips between two workers', () => {
  let w1: ms.Worker;
  let w2: ms.Worker;
  let r1: ms.Router;
  let r2: ms.Router;
  let feed: ms.PlainTransport;
  let source: ms.Producer;
  let sender: dgram.Socket;
  let timer: NodeJS.Timeout;

  beforeAll(async () => {
    w1 = await mediasoup.createWorker({ logLevel: 'warn' });
    w2 = await mediasoup.createWorker({ logLevel: 'warn' });
    r1 = await w1.createRouter({ mediaCodecs: [OPUS] });
    r2 = await w2.createRouter({ mediaCodecs: [OPUS] });
    feed = await r1.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    source = await feed.produce({ kind: 'audio', rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: PT, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: SSRC }] } });
    // Plain RTP every 20 ms (audio needs no key frame to be forwarded).
    sender = dgram.createSocket('udp4');
    let seq = 0;
    timer = setInterval(() => sender.send(opusRtpPacket(seq++, SSRC, PT), feed.tuple.localPort, '127.0.0.1'), 20);
  });

  afterAll(() => {
    clearInterval(timer);
    sender?.close();
    w1?.close();
    w2?.close();
  });

  for (const suite of SUITES) {
    it(suite, async () => {
      const t1 = await r1.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false, enableSrtp: true, srtpCryptoSuite: suite });
      const t2 = await r2.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false, enableSrtp: true, srtpCryptoSuite: suite });
      try {
        await t1.connect({ ip: '127.0.0.1', port: t2.tuple.localPort, srtpParameters: t2.srtpParameters! });
        await t2.connect({ ip: '127.0.0.1', port: t1.tuple.localPort, srtpParameters: t1.srtpParameters! });
        const c = await t1.consume({ producerId: source.id, rtpCapabilities: r1.rtpCapabilities });
        const p = await t2.produce({ kind: 'audio', rtpParameters: { codecs: c.rtpParameters.codecs, encodings: c.rtpParameters.encodings, headerExtensions: c.rtpParameters.headerExtensions, rtcp: c.rtpParameters.rtcp } });
        let packets = 0;
        for (let i = 0; i < 200 && packets < 10; i++) {
          await new Promise((r) => setTimeout(r, 50));
          packets = (await p.getStats())[0]?.packetCount ?? 0;
        }
        // Decrypted on worker 2: a wrong key or cipher would have been dropped by srtp_unprotect.
        expect(packets).toBeGreaterThanOrEqual(10);
      } finally {
        t1.close();
        t2.close();
      }
    });
  }
});
