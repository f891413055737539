import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository's root folder (server/src/config.ts is two levels below it). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A port number; `0` only where it means "any free port" (tests run many servers at once). */
const port = (what: string, min = 1) =>
  z.coerce
    .number({ error: `must be a ${what} port number` })
    .int(`must be a whole ${what} port number`)
    .min(min, `must be a ${what} port between ${min} and 65535`)
    .max(65535, `must be a ${what} port between ${min} and 65535`);

const ip = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

/** An optional secret: unset or empty means "generate one and keep it in DATA_DIR". */
const optionalSecret = (min: number) =>
  optionalString.pipe(
    z
      .string()
      .min(min, `must be at least ${min} characters`)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  );

/** A base URL for links (`https://teleclass.example.az`, maybe with a path); no trailing slash. */
const publicUrl = optionalString.pipe(
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://teleclass.example.az' })
    .refine((u) => !/[?#]/.test(u), 'must not have a query or fragment')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
);

/** A PostgreSQL connection URL (`postgres://user:password@host:5432/teleclass`); unset or empty: none. */
const databaseUrl = optionalString.pipe(
  z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a PostgreSQL URL such as postgres://teleclass@db.example.az:5432/teleclass' })
    .optional(),
);

const wholeNumber = (what: string, min: number, max: number) =>
  z.coerce
    .number({ error: `must be a number of ${what}` })
    .int(`must be a whole number of ${what}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/**
 * Every environment variable the server reads, with its default. README.md documents each one;
 * keep the two in step.
 */
const envSchema = z
  .object({
    PORT: port('TCP', 0).default(8443),
    HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    MEDIASOUP_LOG_LEVEL: z
      .enum(['debug', 'warn', 'error', 'none'], { error: 'must be one of debug, warn, error, none' })
      .default('warn'),
    MEDIASOUP_WORKERS: z.coerce
      .number({ error: 'must be a number of workers' })
      .int('must be a whole number of workers')
      .min(1, 'must be at least 1')
      .max(256, 'must be at most 256')
      .default(() => os.availableParallelism()),
    /**
     * 1: the workers send with io_uring (mediasoup's default on Linux ≥ 6). Off by default: its
     * zero-copy sends cost more CPU per packet than sendmsg() for RTP-sized datagrams (README
     * "Performance").
     */
    MEDIASOUP_IO_URING: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('0'),
    RTC_LISTEN_IP: ip.default('0.0.0.0'),
    RTC_ANNOUNCED_ADDRESS: optionalString,
    RTC_PORT: port('UDP/TCP', 0).default(40000),
    RTC_MIN_PORT: port('UDP').default(40100),
    RTC_MAX_PORT: port('UDP').default(40999),
    // The media cascade between the nodes of a cluster (README: Media across nodes).
    /** Where pipes to other nodes listen (default RTC_LISTEN_IP); their ports come from RTC_MIN_PORT-RTC_MAX_PORT. */
    PIPE_LISTEN_IP: ip.optional(),
    /** The address other nodes send pipe media to (default: RTC_ANNOUNCED_ADDRESS, or as for ICE candidates). */
    PIPE_ANNOUNCED_ADDRESS: optionalString,
    /** A node to pull lectures from instead of their origin (a regional edge nearer to it, e.g. Gazakh from Ganja). */
    NODE_UPSTREAM: optionalString.pipe(
      z.string().max(64, 'must be at most 64 characters').regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a node id (NODE_ID of another node)').optional(),
    ),
    CASCADE_MAX_LINKS: wholeNumber('links', 1, 10_000).default(64),
    CASCADE_MAX_PIPES_PER_LECTURE: wholeNumber('pipes', 1, 1_000).default(16),
    CASCADE_MAX_PRODUCERS_PER_PIPE: wholeNumber('streams', 1, 1_000).default(64),
    TLS_CERT: optionalString,
    TLS_KEY: optionalString,
    CERTS_DIR: z.string().trim().min(1).default(path.join(REPO_ROOT, 'certs')),
    CLIENT_DIST: z.string().trim().min(1).default(path.join(REPO_ROOT, 'client', 'dist')),
    DATA_DIR: z.string().trim().min(1, 'must not be empty').default(path.join(REPO_ROOT, 'data')),
    /** PostgreSQL for the Store (cluster mode: every node shares it); unset: SQLite in DATA_DIR. */
    DATABASE_URL: databaseUrl,
    /** Connections each process keeps open to DATABASE_URL. */
    DATABASE_POOL_SIZE: wholeNumber('connections', 1, 100).default(10),
    ADMIN_TOKEN: optionalSecret(16),
    JWT_SECRET: optionalSecret(32),
    LINK_VALIDITY_HOURS: wholeNumber('hours', 1, 8760).default(48),
    STAGE_SIZE: wholeNumber('participants', 1, 8).default(1),
    PUBLIC_URL: publicUrl,
    RECORDING_JOBS: wholeNumber('jobs', 1, 16).default(1),
    /** A recording cut by a crash resumes if its lecture is live again within this long; else it is composed as it is. */
    RECORDING_RESUME_SECONDS: wholeNumber('seconds', 0, 86_400).default(1_800),
    VIEW_LINK_HOURS: wholeNumber('hours', 1, 87600).default(168),
    // Caps on what one client may take (README: Reliability and limits).
    MAX_TRANSPORTS_PER_PEER: wholeNumber('transports', 2, 64).default(4),
    MAX_CONSUMERS_PER_PEER: wholeNumber('consumers', 1, 1000).default(32),
    MAX_PARTICIPANTS: wholeNumber('participants', 1, 100_000).default(500),
    MAX_LOBBY: wholeNumber('people', 1, 100_000).default(100),
    MAX_SOCKETS_PER_IP: wholeNumber('connections', 1, 1_000_000).default(200),
    CHAT_PER_MINUTE_PER_IP: wholeNumber('messages', 1, 100_000).default(60),
    CHAT_PER_MINUTE_PER_LECTURE: wholeNumber('messages', 1, 100_000).default(300),
    MAX_CHAT_MESSAGES: wholeNumber('messages', 1, 10_000_000).default(10_000),
    // The classroom network (README: Sites and kiosks, Metrics).
    KIOSK_POLL_SECONDS: wholeNumber('seconds', 1, 300).default(5),
    SITE_MISSING_ALERT_SECONDS: wholeNumber('seconds', 1, 86_400).default(120),
    QUALITY_REPORT_SECONDS: wholeNumber('seconds', 1, 60).default(3),
    // The pre-flight network test against the SFU (README: Pre-flight).
    PROBE_MAX_SECONDS: wholeNumber('seconds', 2, 120).default(15),
    PROBE_MAX_CONCURRENT: wholeNumber('probes', 1, 1000).default(4),
    METRICS_TOKEN: optionalSecret(16),
    // Recurring lectures and calendar feeds (README: Recurring lectures).
    SERIES_MAX_LECTURES: wholeNumber('lectures', 1, 520).default(52),
    CALENDAR_EVENT_MINUTES: wholeNumber('minutes', 5, 1440).default(90),
    // The studio feed (README: Studio feed).
    /** The RTMP listener for hardware encoders (0: a free port). */
    RTMP_PORT: port('TCP', 0).default(1935),
    /** UDP ports for SRT listeners, one per lecture whose credentials were asked for (0: SRT off). */
    SRT_MIN_PORT: port('UDP', 0).default(9000),
    SRT_MAX_PORT: port('UDP', 0).default(9049),
    /** Seconds without ICE consent before a WHIP feed's connection counts as gone; 0: never (RTP health tells instead). */
    WHIP_ICE_CONSENT_TIMEOUT: wholeNumber('seconds', 0, 3600).default(0),
    // Presence (README: Reliability and limits). The server pings each socket every
    // SOCKET_PING_INTERVAL_MS and drops one that does not answer within SOCKET_PING_TIMEOUT_MS: a
    // silent loss is known within their sum (5 s by default), on both ends.
    SOCKET_PING_INTERVAL_MS: wholeNumber('milliseconds', 500, 60_000).default(2_500),
    SOCKET_PING_TIMEOUT_MS: wholeNumber('milliseconds', 500, 60_000).default(2_500),
    /**
     * How long a participant whose connection dropped keeps its place (media, floor, hand,
     * attendance) for the same browser to resume it; 0: it leaves at once (no resume).
     */
    SESSION_RESUME_GRACE_SECONDS: wholeNumber('seconds', 0, 600).default(20),
    /**
     * How long a viewer's receiving transport opened before its join (`prepareRecv`, while the
     * name screen shows) waits for that join; then it closes and the join opens its own.
     */
    PREPARED_RECV_SECONDS: wholeNumber('seconds', 1, 86_400).default(600),
    /** How often everyone present is written down (attendance closed by a crash ends at the last one). */
    ATTENDANCE_HEARTBEAT_SECONDS: wholeNumber('seconds', 1, 60).default(5),
    // Cluster mode (README: Cluster (deployment)): on when REDIS_URL is set, off (one process) otherwise.
    /** redis://[:password@]host:port[/db] (or rediss:// with TLS): the cluster's registry and bus. */
    REDIS_URL: optionalString.pipe(
      z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379' }).optional(),
    ),
    /** This node's name in the cluster (unique; letters, digits, '-', '_', '.'). */
    NODE_ID: optionalString.pipe(
      z
        .string()
        .max(64, 'must be at most 64 characters')
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-" (starting with a letter or digit)')
        .optional(),
    ),
    /** The region this node serves (e.g. baku, ganja); matched against sites' region. */
    NODE_REGION: optionalString.pipe(z.string().max(64, 'must be at most 64 characters').optional()),
    /** Where the other nodes reach this one (defaults to PUBLIC_URL). */
    INTERNAL_URL: publicUrl,
    /** Participants this node serves (all lectures) before it sends newcomers to another node. */
    NODE_MAX_PARTICIPANTS: wholeNumber('participants', 1, 1_000_000).optional(),
    /**
     * A node gone from the registry whose alive mark in the shared store is older than this is
     * dead: a surviving node closes its attendance sessions and marks its recordings interrupted.
     */
    DEAD_NODE_SECONDS: wholeNumber('seconds', 3, 86_400).default(15),
    /** On SIGTERM a cluster node asks its participants to move and waits at most this long for them to leave. */
    DRAIN_SECONDS: wholeNumber('seconds', 0, 3600).default(20),
  })
  .superRefine((env, ctx) => {
    if (env.RTC_MIN_PORT > env.RTC_MAX_PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['RTC_MIN_PORT'],
        message: `must not be above RTC_MAX_PORT (${env.RTC_MAX_PORT})`,
      });
    }
    const lastWebRtcPort = env.RTC_PORT + env.MEDIASOUP_WORKERS - 1;
    if (env.RTC_PORT === 0) return; // each WebRtcServer takes a free port of the RTC range
    if (lastWebRtcPort > 65535) {
      ctx.addIssue({
        code: 'custom',
        path: ['RTC_PORT'],
        message: `plus one port per worker (${env.MEDIASOUP_WORKERS}) goes past 65535`,
      });
    }
    if (env.RTC_PORT <= env.RTC_MAX_PORT && lastWebRtcPort >= env.RTC_MIN_PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['RTC_PORT'],
        message: `ports ${env.RTC_PORT}-${lastWebRtcPort} (one per worker) overlap RTC_MIN_PORT-RTC_MAX_PORT (${env.RTC_MIN_PORT}-${env.RTC_MAX_PORT})`,
      });
    }
    if (env.NODE_UPSTREAM !== undefined && env.NODE_UPSTREAM === env.NODE_ID) {
      ctx.addIssue({ code: 'custom', path: ['NODE_UPSTREAM'], message: 'must be another node than NODE_ID' });
    }
    if (env.REDIS_URL !== undefined) {
      // Every node must accept every other node's tokens and admin sessions: one secret for all,
      // given in the environment (a secret generated into each node's DATA_DIR would differ).
      const needed = [
        ['NODE_ID', 'a name of its own for each node'],
        ['PUBLIC_URL', "each node's own address, where browsers reach it"],
        ['JWT_SECRET', 'the same for every node, so each node accepts the join links of the others'],
        ['ADMIN_TOKEN', 'the same for every node'],
      ] as const;
      for (const [name, why] of needed) {
        if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `must be set when REDIS_URL is set (cluster mode): ${why}` });
      }
    }
    if ((env.TLS_CERT === undefined) !== (env.TLS_KEY === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.TLS_CERT === undefined ? 'TLS_CERT' : 'TLS_KEY'],
        message: 'TLS_CERT and TLS_KEY must be given together',
      });
    }
  });

export type Config = z.infer<typeof envSchema>;

/** Variables whose values never appear in an error message. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set(['ADMIN_TOKEN', 'JWT_SECRET', 'METRICS_TOKEN', 'REDIS_URL']);

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Only the variables the schema knows, so the error never echoes unrelated secrets.
  const known = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key]] as const).filter(([, v]) => v !== undefined),
  );
  const result = envSchema.safeParse(known);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const given = SECRET_VARIABLES.has(name) ? undefined : known[name];
      return `${name} ${issue.message}${given !== undefined ? ` (got "${given}")` : ''}`;
    }),
  );
}
