import { once } from 'node:events';
import https from 'node:https';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createApp } from './http/app.js';
import { loadTls } from './http/tls.js';
import { routeMediasoupLogs } from './media/mediasoup.js';
import { WorkerPool } from './media/WorkerPool.js';
import { LectureRegistry } from './lecture/LectureRegistry.js';
import { attachSignaling } from './signaling/io.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly pool: WorkerPool;
  readonly registry: LectureRegistry;
  readonly https: https.Server;
  /** The certificate the server presents (tests trust it as their CA). */
  readonly certificate: Buffer;
  close(): Promise<void>;
}

/** The address ICE candidates carry when the WebRTC side listens on a wildcard address. */
export function announcedAddress(config: Config): string | undefined {
  if (config.RTC_ANNOUNCED_ADDRESS) return config.RTC_ANNOUNCED_ADDRESS;
  if (config.RTC_LISTEN_IP !== '0.0.0.0' && config.RTC_LISTEN_IP !== '::') return undefined;
  const lan = Object.values(os.networkInterfaces())
    .flat()
    .find((nic) => nic && nic.family === 'IPv4' && !nic.internal);
  return lan?.address ?? '127.0.0.1';
}

/** Composition: config → workers → lectures → http → io. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const startedAt = Date.now();
  routeMediasoupLogs(logger);
  const pool = await WorkerPool.create(
    {
      size: config.MEDIASOUP_WORKERS,
      logLevel: config.MEDIASOUP_LOG_LEVEL,
      listenIp: config.RTC_LISTEN_IP,
      announcedAddress: announcedAddress(config),
      webRtcPort: config.RTC_PORT,
      rtcMinPort: config.RTC_MIN_PORT,
      rtcMaxPort: config.RTC_MAX_PORT,
    },
    logger,
  );
  try {
    const tls = loadTls({ certFile: config.TLS_CERT, keyFile: config.TLS_KEY, certsDir: config.CERTS_DIR }, logger);
    const app = createApp({ pool, clientDist: config.CLIENT_DIST, startedAt });
    const server = https.createServer({ cert: tls.cert, key: tls.key }, app);
    const registry = new LectureRegistry(pool, logger);
    const io = attachSignaling(server, { registry, logger });
    server.listen(config.PORT, config.HOST);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
    const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info({ url, workers: pool.size }, 'Teleclass is listening');
    return {
      url,
      port,
      pool,
      registry,
      https: server,
      certificate: tls.cert,
      async close() {
        io.disconnectSockets(true);
        await io.close().catch(() => undefined);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        registry.closeAll();
        pool.close();
      },
    };
  } catch (error) {
    pool.close();
    throw error;
  }
}
