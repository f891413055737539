import type { Router } from 'express';
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
import { NetworkProbe } from './media/NetworkProbe.js';
import { LectureRegistry } from './lecture/LectureRegistry.js';
import { attachSignaling, signalingLimits } from './signaling/io.js';
import { openStore } from './store/openStore.js';
import { ProcessingQueue } from './recording/ProcessingQueue.js';
import { RecordingManager } from './recording/RecordingManager.js';
import { PresenceClock } from './store/presenceClock.js';
import type { Store } from './store/Store.js';
import { loadAdminToken, loadSecret } from './auth/secret.js';
import { TokenService } from './auth/tokens.js';
import { SiteBoard } from './sites/SiteBoard.js';
import { Metrics } from './http/metrics.js';
import { IngestService } from './ingest/IngestService.js';
import { RtmpListener } from './ingest/RtmpListener.js';
import { SrtListeners } from './ingest/SrtListeners.js';
import { RedisCluster } from './cluster/redisCluster.js';
import { drain, type DrainOutcome } from './cluster/drain.js';
import { pipeOptions, startCascade } from './cluster/cascade/index.js';
import { ClusterRooms } from './cluster/roomLink.js';
import { ClusterRecordingNodes } from './cluster/recordingNodes.js';
import { internalRecordingRoutes } from './http/internalRecordings.js';
import type { RecordingsApiDeps } from './http/api/recordingsContext.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly pool: WorkerPool;
  readonly registry: LectureRegistry;
  readonly store: Store;
  /** The post-processing queue that composes stopped recordings into one MP4 each. */
  readonly recordings: ProcessingQueue;
  readonly tokens: TokenService;
  /** What is known of each registered site right now (presence, lecture, quality). */
  readonly sites: SiteBoard;
  /** Studio feeds (WHIP, RTMP): keys, what is on air. */
  readonly ingest: IngestService;
  /** The pre-flight network tests against the SFU open now. */
  readonly probes: NetworkProbe;
  /** The admin API's bearer token (ADMIN_TOKEN, or the one kept in DATA_DIR/admin-token). */
  readonly adminToken: string;
  readonly https: https.Server;
  /** The certificate the server presents (tests trust it as their CA). */
  readonly certificate: Buffer;
  /** Cluster mode (REDIS_URL): this node's registry entry, origin directory and bus; undefined on a single node. */
  readonly cluster: RedisCluster | undefined;
  /** SIGTERM in cluster mode: newcomers go elsewhere, participants are told to move (bounded by DRAIN_SECONDS). Nothing on a single node. */
  drain(): Promise<DrainOutcome | null>;
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

/** Composition: config → store → tokens → workers → lectures → http → io. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const startedAt = Date.now();
  const store = await openStore(config, logger);
  let pool: WorkerPool | undefined;
  let registry: LectureRegistry | undefined;
  let queue: ProcessingQueue | undefined;
  let presence: PresenceClock | undefined;
  let cluster: RedisCluster | undefined;
  let cascade: ReturnType<typeof startCascade> | undefined;
  let internalRecordings: Router | undefined;
  let rooms: ClusterRooms | undefined;
  try {
    const closed = await store.closeOpenAttendance('server-restart', config.ATTENDANCE_HEARTBEAT_SECONDS * 1000);
    logger.info({ closed, dataDir: config.DATA_DIR }, `store opened; closed ${closed} attendance record(s) left open by the last run`);
    const interrupted = await store.markInterruptedRecordings();
    if (interrupted > 0) logger.warn({ interrupted }, `${interrupted} recording(s) were cut off by the last run; they are composed as far as they go`);
    queue = new ProcessingQueue({ store, concurrency: config.RECORDING_JOBS, logger: logger.child({ component: 'recording' }) });
    const tokens = new TokenService(loadSecret(config.DATA_DIR, config.JWT_SECRET));
    const admin = loadAdminToken(config.DATA_DIR, config.ADMIN_TOKEN);

    routeMediasoupLogs(logger);
    pool = await WorkerPool.create(
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
    registry = new LectureRegistry(pool, store, logger, {
      stageSize: config.STAGE_SIZE,
      participants: config.MAX_PARTICIPANTS,
      lobby: config.MAX_LOBBY,
      media: {
        transportsPerPeer: config.MAX_TRANSPORTS_PER_PEER,
        consumersPerPeer: config.MAX_CONSUMERS_PER_PEER,
        pipes: pipeOptions(config, announcedAddress(config)),
      },
    });
    if (config.REDIS_URL) {
      cluster = await RedisCluster.start({ config, logger, pool, lectures: registry, store, secret: config.JWT_SECRET! });
      // One room per lecture across the nodes: held by the lecture's origin, copied and forwarded to by the others.
      rooms = new ClusterRooms({ registry, nodes: cluster.nodes, origins: cluster.origins, bus: cluster.bus, logger });
    }
    const lecturesNow = registry;
    presence = new PresenceClock({ store, touch: (at) => lecturesNow.touchAttendance(at), heartbeatMs: config.ATTENDANCE_HEARTBEAT_SECONDS * 1000, logger });
    const probes = new NetworkProbe(pool, { concurrent: config.PROBE_MAX_CONCURRENT, maxMs: config.PROBE_MAX_SECONDS * 1000 });
    const sites = new SiteBoard(store, registry, { pollMs: config.KIOSK_POLL_SECONDS * 1000 });
    registry.on('roomclosed', (room) => sites.forgetLecture(room.lecture.id));
    const metrics = new Metrics({
      store, registry, pool, sites,
      tokens: [admin.value, ...(config.METRICS_TOKEN ? [config.METRICS_TOKEN] : [])],
    });
    const ingest = new IngestService({
      registry,
      store,
      secret: loadSecret(config.DATA_DIR, config.JWT_SECRET),
      logger,
      whipIceConsentTimeout: config.WHIP_ICE_CONSENT_TIMEOUT,
    });
    const rtmp = new RtmpListener(ingest);
    ingest.rtmpPort = await rtmp.listen(config.RTMP_PORT, config.HOST);
    if (config.SRT_MIN_PORT > 0) ingest.srt = new SrtListeners(ingest, { min: config.SRT_MIN_PORT, max: config.SRT_MAX_PORT }, config.HOST);
    /** Admin changes that end connections: here, and on the other nodes through the socket.io adapter. */
    const onAdminChange = { lectureDeleted: (id: string) => registry?.deleteRoom(id), linksRotated: (id: string) => registry?.linksRotated(id) };
    let relayIo: { serverSideEmit(event: string, ...args: unknown[]): boolean } | undefined;
    const relay = (event: keyof typeof onAdminChange, lectureId: string) => {
      onAdminChange[event](lectureId);
      relayIo?.serverSideEmit(`tc:${event}`, lectureId);
    };
    const tls = loadTls({ certFile: config.TLS_CERT, keyFile: config.TLS_KEY, certsDir: config.CERTS_DIR }, logger);
    if (cluster) {
      const { nodes, origins } = cluster;
      cascade = startCascade({ config, logger, registry, nodes, origins, secret: config.JWT_SECRET!, ownCertificate: tls.cert });
    }
    const recordingsLib: RecordingsApiDeps = { dataDir: config.DATA_DIR, viewLinkHours: config.VIEW_LINK_HOURS, queue };
    if (cluster && cascade) {
      // A recording's files are on the node that made it: the other nodes pass them through (cluster/recordingNodes.ts).
      const { nodes } = cluster;
      const recordingLogger = logger.child({ component: 'recording-nodes' });
      recordingsLib.nodes = new ClusterRecordingNodes({ self: () => nodes.self(), known: () => nodes.known, key: cascade.key, ca: cascade.ca, logger: recordingLogger });
      internalRecordings = internalRecordingRoutes({ store, lib: recordingsLib, key: cascade.key, logger: recordingLogger });
    }
    const app = createApp({
      pool,
      clientDist: config.CLIENT_DIST,
      startedAt,
      metrics,
      ...(cluster && { cluster }),
      ...(cascade && { internal: cascade.routes }),
      ...(internalRecordings && { internalRecordings }),
      api: {
        store,
        tokens,
        adminToken: admin.value,
        publicUrl: config.PUBLIC_URL,
        linkValidityHours: config.LINK_VALIDITY_HOURS,
        // In a cluster these reach the rooms of every node (relay), not only this one's.
        onDelete: (lectureId) => relay('lectureDeleted', lectureId),
        onLinksRotated: (lectureId) => relay('linksRotated', lectureId),
        sites,
        kioskPollMs: config.KIOSK_POLL_SECONDS * 1000,
        qualityReportMs: config.QUALITY_REPORT_SECONDS * 1000,
        seriesMax: config.SERIES_MAX_LECTURES,
        calendarEventMinutes: config.CALENDAR_EVENT_MINUTES,
        // A rotated (or deleted) kiosk link ends the lecture connections minted from it.
        onKioskRotated: (siteId) => {
          store.lecturesOfSite(siteId).then(
            (lectures) => lectures.forEach((lecture) => relay('linksRotated', lecture.id)),
            (error: unknown) => logger.error({ err: error, siteId }, "could not find the lectures of a rotated kiosk link"),
          );
        },
        logger: logger.child({ component: 'api' }),
        recordings: recordingsLib,
        ingest,
        probes,
      },
    });
    const server = https.createServer({ cert: tls.cert, key: tls.key }, app);
    const recorder = new RecordingManager(registry, store, config.DATA_DIR, queue, logger.child({ component: 'recorder' }), config.RECORDING_RESUME_SECONDS * 1000);
    if (rooms) {
      rooms.onStarted = (lectureId) => recorder.started(lectureId);
      rooms.recordings = recorder;
    }
    const io = attachSignaling(server, {
      registry,
      store,
      tokens,
      logger,
      linkValidityHours: config.LINK_VALIDITY_HOURS,
      viewLinkHours: config.VIEW_LINK_HOURS,
      recordings: recorder,
      limits: signalingLimits(config),
      sites,
      observe: metrics.signaling,
      ingest,
      publicUrl: config.PUBLIC_URL,
      cluster,
      rooms,
    });
    if (cluster) {
      relayIo = io;
      for (const [event, apply] of Object.entries(onAdminChange)) {
        io.on(`tc:${event}`, (lectureId: unknown) => {
          if (typeof lectureId === 'string') apply(lectureId);
        });
      }
    }
    server.listen(config.PORT, config.HOST);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
    const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info({ url, workers: pool.size }, 'Teleclass is listening');
    logAdminPage(logger, `${config.PUBLIC_URL ?? url}/admin`, admin);

    const workers = pool;
    const lectures = registry;
    const jobs = queue;
    const clock = presence;
    const node = cluster;
    const links = cascade?.cascade;
    await jobs.resume(new Set(await recorder.holdInterrupted())); // cut recordings of live lectures wait to go on
    return {
      url,
      port,
      pool: workers,
      registry: lectures,
      store,
      recordings: jobs,
      tokens,
      sites,
      ingest,
      probes,
      adminToken: admin.value,
      https: server,
      certificate: tls.cert,
      cluster: node,
      async drain() {
        return node ? drain(io, node, config.DRAIN_SECONDS * 1000, logger) : null;
      },
      async close() {
        // This node's sockets only: with the Redis adapter io.disconnectSockets() would reach every node.
        io.local.disconnectSockets(true);
        await io.close().catch(() => undefined);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await recorder.stopAll(); // raw files end cleanly; stopped recordings are composed on the next start
        rtmp.close();
        ingest.close();
        await clock.stop(); // the last heartbeat, before the sessions are left open for the next start
        probes.closeAll();
        links?.close(); // pipes to other nodes close with the lectures' media
        await lectures.closeAll(); // and every attendance and state write queued is in the store
        await jobs.close();
        workers.close();
        await node?.close(); // after io: the adapter's last publishes go out first
        await store.close(); // after every write under way
      },
    };
  } catch (error) {
    await presence?.stop();
    cascade?.cascade.close();
    rooms?.close();
    await cluster?.close();
    await registry?.closeAll();
    await queue?.close();
    pool?.close();
    await store.close();
    throw error;
  }
}

/**
 * Tells the person who ran `npm start` how to reach the admin page without writing the token into
 * the log (logs are kept and shipped; the token is a password). A token from ADMIN_TOKEN is theirs
 * already. A generated one is shown as a sign-in link only on the very first start and only on a
 * terminal (not in the log); otherwise the log names the file that holds it.
 */
function logAdminPage(logger: Logger, adminPage: string, admin: ReturnType<typeof loadAdminToken>): void {
  if (admin.source === 'config') {
    logger.info({ adminPage }, `Admin page: ${adminPage} (sign in with ADMIN_TOKEN)`);
    return;
  }
  if (admin.source === 'generated' && process.stdout.isTTY) {
    process.stdout.write(`\nAdmin page (keep this link private; shown once): ${adminPage}#token=${admin.value}\n\n`);
  }
  logger.info({ adminPage, tokenFile: admin.file }, `Admin page: ${adminPage} (sign in with the token in ${admin.file})`);
}
