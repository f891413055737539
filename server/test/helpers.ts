import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type Config } from '../src/config.js';
import { createLogger, type Logger } from '../src/logger.js';

/** A configuration for a server on loopback only, on free ports, with its own certs folder. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
    RTC_PORT: '0',
    RTC_MIN_PORT: '20000',
    RTC_MAX_PORT: '29999',
    MEDIASOUP_WORKERS: '1',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    CERTS_DIR: mkdtempSync(path.join(os.tmpdir(), 'teleclass-certs-')),
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
