/**
 * GET /metrics in the Prometheus text format (prom-client), for the monitoring a ministry's IT
 * runs already. Every series is prefixed `teleclass_`. Protected: `Authorization: Bearer` with the
 * admin token or METRICS_TOKEN. Gauges are read when scraped (lectures, participants, sites,
 * media); request rates and latencies are histograms fed as requests happen.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LectureRegistry } from '../lecture/LectureRegistry.js';
import type { WorkerPool } from '../media/WorkerPool.js';
import type { SiteBoard } from '../sites/SiteBoard.js';
import type { Store } from '../store/Store.js';

export interface MetricsDeps {
  store: Store;
  registry: LectureRegistry;
  pool: WorkerPool;
  sites: SiteBoard;
  /** Tokens that may scrape: the admin token, and METRICS_TOKEN when set. */
  tokens: string[];
}

const P = 'teleclass_';
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export class Metrics {
  readonly register = new Registry();
  readonly #http: Histogram<'method' | 'route' | 'status'>;
  readonly #signaling: Histogram<'method' | 'outcome'>;

  constructor(private readonly deps: MetricsDeps) {
    const register = this.register;
    collectDefaultMetrics({ register, prefix: P, eventLoopMonitoringPrecision: 20 }); // includes teleclass_nodejs_eventloop_lag_*
    this.#http = new Histogram({ name: `${P}http_request_duration_seconds`, help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [register], buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });
    this.#signaling = new Histogram({ name: `${P}signaling_request_duration_seconds`, help: 'Signaling requests by method and outcome (ok or the error code)', labelNames: ['method', 'outcome'], registers: [register], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });

    const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void | Promise<void>) =>
      new Gauge({ name: `${P}${name}`, help, labelNames, registers: [register], async collect() { this.reset(); await collect(this); } });

    gauge('lectures', 'Lectures in the store by state', ['state'], async (g) => {
      const counts = { waiting: 0, live: 0, ended: 0 };
      for (const l of await deps.store.listLectures()) counts[l.state]++;
      for (const [state, n] of Object.entries(counts)) g.set({ state }, n);
    });
    gauge('participants', 'Participants in open lectures by role', ['role'], (g) => {
      const counts = { trainer: 0, site: 0, attendee: 0 };
      for (const room of deps.registry.rooms()) for (const p of room.lecture.localParticipants) counts[p.role]++;
      for (const [role, n] of Object.entries(counts)) g.set({ role }, n);
    });
    gauge('open_lectures', 'Lectures open on this server (someone is in them)', [], (g) => g.set(deps.registry.size));
    const siteGauges: [string, string, (q: NonNullable<ReturnType<SiteBoard['status']>['quality']>) => number | null][] = [
      ['site_loss_percent', 'Packet loss a site receives, % (kiosk-measured)', (q) => q.lossPct],
      ['site_rtt_ms', 'Round trip from a site to the SFU, ms', (q) => q.rttMs],
      ['site_jitter_ms', 'Jitter a site receives, ms', (q) => q.jitterMs],
      ['site_bitrate_kbps', 'Bitrate a site receives, kbit/s', (q) => q.bitrateKbps],
      ['site_fps', 'Frames per second a site decodes', (q) => q.fps],
      ['site_freezes', 'Picture freezes a site counted', (q) => q.freezes],
      ['site_consumer_score', 'The lowest consumer score of a site (server-measured, 0-10)', (q) => q.score],
      ['site_layer', 'The video layer a site receives (server-measured)', (q) => q.layer],
    ];
    const statuses = async () => (await deps.store.listSites()).map((s) => ({ site: s, status: deps.sites.status(s) }));
    gauge('sites', 'Registered sites', [], async (g) => g.set((await deps.store.listSites()).length));
    gauge('sites_online', 'Registered sites whose kiosk was heard from lately', [], async (g) => g.set((await statuses()).filter((s) => s.status.online).length));
    gauge('site_online', 'Whether a site is online (1) and in a lecture (label)', ['site'], async (g) => {
      for (const { site, status } of await statuses()) g.set({ site: site.name }, status.online ? 1 : 0);
    });
    for (const [name, help, pick] of siteGauges) {
      gauge(name, help, ['site'], async (g) => {
        for (const { site, status } of await statuses()) {
          const v = status.quality ? pick(status.quality) : null;
          if (v !== null) g.set({ site: site.name }, v);
        }
      });
    }
    gauge('workers_alive', 'mediasoup workers alive', [], (g) => g.set(deps.pool.aliveCount));
    gauge('workers', 'mediasoup workers configured', [], (g) => g.set(deps.pool.size));
    gauge('media_objects', 'WebRTC transports, producers and consumers (mediasoup dumps)', ['kind'], async (g) => {
      const totals = { transports: 0, producers: 0, consumers: 0 };
      for (const room of deps.registry.rooms()) {
        const s = await room.media.stats().catch(() => null);
        if (!s) continue;
        totals.transports += s.webRtcTransports;
        totals.producers += s.producers;
        totals.consumers += s.consumers;
      }
      for (const [kind, n] of Object.entries(totals)) g.set({ kind }, n);
    });
    gauge('media_bytes', 'Bytes received from (in) and sent to (out) the participants now connected', ['direction'], async (g) => {
      let bytesIn = 0;
      let bytesOut = 0;
      for (const room of deps.registry.rooms()) {
        const t = await room.media.traffic().catch(() => ({ bytesIn: 0, bytesOut: 0 }));
        bytesIn += t.bytesIn;
        bytesOut += t.bytesOut;
      }
      g.set({ direction: 'in' }, bytesIn);
      g.set({ direction: 'out' }, bytesOut);
    });
    gauge('recording_jobs', 'Recordings by status', ['status'], async (g) => {
      const counts: Record<string, number> = { recording: 0, stopped: 0, interrupted: 0, processing: 0, ready: 0, failed: 0 };
      for (const r of await deps.store.listRecordings()) counts[r.status] = (counts[r.status] ?? 0) + 1;
      for (const [status, n] of Object.entries(counts)) g.set({ status }, n);
    });
    new Counter({ name: `${P}build_info`, help: 'Always 1', registers: [register] }).inc();
  }

  /** Express middleware timing every request (route: the matched pattern, so ids do not explode the labels). */
  readonly http: RequestHandler = (req, res, next) => {
    const end = this.#http.startTimer({ method: req.method });
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.path.startsWith('/api') ? 'api-other' : 'static';
      end({ route, status: String(res.statusCode) });
    });
    next();
  };

  readonly signaling = (method: string, outcome: string, seconds: number): void => {
    this.#signaling.observe({ method, outcome }, seconds);
  };

  /** GET /metrics, with the admin token or METRICS_TOKEN. */
  router(): Router {
    const router = Router();
    const allowed = this.deps.tokens.map(digest);
    router.get('/metrics', async (req, res) => {
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
      const given = match ? digest(match[1]!) : null;
      if (!given || !allowed.some((a) => timingSafeEqual(a, given))) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="teleclass-metrics"');
        res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'The admin token or METRICS_TOKEN is needed.' } });
        return;
      }
      res.setHeader('Cache-Control', 'no-store');
      res.type(this.register.contentType).send(await this.register.metrics());
    });
    return router;
  }
}
