import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { parseConfig, REPO_ROOT, type Config } from '../src/config.js';
import { createLogger, type Logger } from '../src/logger.js';

/** The admin token every test server gets (testConfig), unless a test overrides ADMIN_TOKEN. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** A fresh, empty folder under the system's temp folder. */
export const tempDir = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), `teleclass-${prefix}-`));

/**
 * A configuration for a server on loopback only, on free ports, with its own certs folder and
 * its own empty DATA_DIR (SQLite store, secrets), and the admin token TEST_ADMIN_TOKEN.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
    RTC_PORT: '0',
    RTC_MIN_PORT: '20000',
    RTC_MAX_PORT: '29999',
    MEDIASOUP_WORKERS: '1',
    RTMP_PORT: '0',
    SRT_MIN_PORT: '0',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    CERTS_DIR: tempDir('certs'),
    DATA_DIR: tempDir('data'),
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ...overrides,
  });
}

export function testLogger(): Logger {
  return createLogger((process.env['TEST_LOG_LEVEL'] as 'silent' | undefined) ?? 'silent', false);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests look inside freely
}

/**
 * One HTTPS request trusting only `ca` (the server's own certificate). `body`: a string is sent
 * as is (Content-Type application/json unless given), anything else as JSON. `servername`: the
 * name the certificate is checked against when a test sends its own Host header.
 */
export function httpsRequest(
  method: string,
  url: string,
  options: { ca: Buffer; body?: unknown; headers?: Record<string, string>; token?: string; servername?: string },
): Promise<HttpsAnswer> {
  const payload =
    options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
    ...(options.token !== undefined && { authorization: `Bearer ${options.token}` }),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca: options.ca, headers, ...(options.servername && { servername: options.servername }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * The server process as `npm start` runs it (`node --import tsx server/src/main.ts`), with only
 * the variables the worker cache needs passed through, plus `env`; stdout and stderr piped.
 */
export function spawnMain(env: Record<string, string>): ChildProcessByStdio<null, Readable, Readable> {
  const passed = ['PATH', 'HOME', 'XDG_CACHE_HOME', 'TELECLASS_CACHE_DIR'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []));
  return spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/main.ts')], {
    cwd: REPO_ROOT,
    env: { ...Object.fromEntries(passed), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A plain RTP packet (version 2, no extension): an Opus-like frame `seq` of 20 ms at 48 kHz. */
export function opusRtpPacket(seq: number, ssrc: number, payloadType: number, payloadBytes = 80): Buffer {
  const p = Buffer.alloc(12 + payloadBytes, 0x55);
  p.writeUInt8(0x80, 0);
  p.writeUInt8(payloadType, 1);
  p.writeUInt16BE(seq & 0xffff, 2);
  p.writeUInt32BE((seq * 960) >>> 0, 4);
  p.writeUInt32BE(ssrc, 8);
  return p;
}
