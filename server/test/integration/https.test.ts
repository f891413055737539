import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { VERSION } from '../../src/version.js';
import { httpsRequest, spawnMain, testConfig, testLogger } from '../helpers.js';

/** GET over HTTPS, trusting only the server's own certificate (so its SAN must fit). */
const httpsGet = (url: string, ca: Buffer) => httpsRequest('GET', url, { ca });

describe('HTTPS server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(testConfig({ MEDIASOUP_WORKERS: '2' }), testLogger());
  });
  afterAll(async () => server?.close());

  it('answers /healthz with 200 and the workers, uptime and version, over a verified TLS connection', async () => {
    const res = await httpsGet(`${server.url}/healthz`, server.certificate);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ status: 'ok', workers: { alive: 2, total: 2 }, version: VERSION });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('the generated certificate names localhost and 127.0.0.1', async () => {
    const res = await httpsGet(`https://localhost:${server.port}/healthz`, server.certificate);
    expect(res.status).toBe(200);
  });
});

function runMain(env: Record<string, string>, untilLine: RegExp | null, timeoutMs = 30_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; kill: () => void }>((resolve, reject) => {
    const child = spawnMain(env);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not ${untilLine ? 'log ' + untilLine : 'exit'} in time:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    const done = (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, kill: () => child.kill('SIGTERM') });
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (untilLine?.test(stdout)) done(null);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => done(code));
  });
}

describe('server process', () => {
  it('a bad config value stops it with a message naming the variable', async () => {
    const { code, stderr } = await runMain({ PORT: 'eighty', MEDIASOUP_WORKERS: '0' }, null);
    expect(code).toBe(2);
    expect(stderr).toContain('Invalid configuration');
    expect(stderr).toMatch(/PORT must be a TCP port number.*"eighty"/);
    expect(stderr).toMatch(/MEDIASOUP_WORKERS must be at least 1/);
  });

  it('starts as `npm start` does, logs JSON when not on a terminal, and serves /healthz', async () => {
    const { CERTS_DIR: certs, DATA_DIR: data } = testConfig();
    const run = await runMain(
      { HOST: '127.0.0.1', PORT: '0', RTC_LISTEN_IP: '127.0.0.1', RTC_PORT: '0', RTC_MIN_PORT: '34000',
        RTC_MAX_PORT: '34999', MEDIASOUP_WORKERS: '1', CERTS_DIR: certs, DATA_DIR: data },
      /Teleclass is listening/,
    );
    try {
      const line = run.stdout.split('\n').find((l) => l.includes('Teleclass is listening'))!;
      const entry = JSON.parse(line);
      expect(entry.level).toBe(30);
      const { readFileSync } = await import('node:fs');
      const res = await httpsGet(`${entry.url}/healthz`, readFileSync(path.join(certs, 'teleclass-dev-cert.pem')));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).workers).toEqual({ alive: 1, total: 1 });
    } finally {
      run.kill();
    }
  });
});
