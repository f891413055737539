// The real server as a child process (`node --import tsx server/src/main.ts`), so tests can kill
// it with SIGKILL and start it again on the same port, data and certificate.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnMain } from '../server/test/helpers.js';

export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export class ServerProcess {
  #child: ChildProcess | undefined;
  #log = '';
  readonly dataDir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-e2e-data-'));
  readonly certsDir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-e2e-certs-'));

  private constructor(
    readonly port: number,
    readonly env: Record<string, string>,
  ) {}

  static async create(env: Record<string, string> = {}): Promise<ServerProcess> {
    return new ServerProcess(await freePort(), env);
  }

  get url(): string {
    return `https://localhost:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** The output of the current (or last) start. */
  get log(): string {
    return this.#log;
  }

  get certificate(): Buffer {
    return readFileSync(path.join(this.certsDir, 'teleclass-dev-cert.pem'));
  }

  /** Starts the server and resolves once it listens (its JSON log says so). */
  async start(timeoutMs = 30_000): Promise<void> {
    this.#log = ''; // only this start's output counts as "listening"
    const child = spawnMain({
      HOST: '127.0.0.1',
      PORT: String(this.port),
      RTC_LISTEN_IP: '127.0.0.1',
      RTC_PORT: '0',
      RTC_MIN_PORT: '35000',
      RTC_MAX_PORT: '36999',
      DATA_DIR: this.dataDir,
      CERTS_DIR: this.certsDir,
      ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      LOG_LEVEL: 'info',
      ...this.env,
    });
    this.#child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${this.#log}`)), timeoutMs);
      const onData = (d: Buffer) => {
        this.#log += d.toString();
        if (this.#log.includes('Teleclass is listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (d: Buffer) => (this.#log += d.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${this.#log}`));
      });
    });
    child.removeAllListeners('exit');
  }

  /** SIGKILL: no clean-up at all, as a power cut or a crash. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.#child = undefined;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.#child = undefined;
  }
}
