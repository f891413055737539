import http from 'node:http';
import https from 'node:https';
import type { z } from 'zod';
import { cascadeEventSchema, errorAnswerSchema, EVENT_PING_MS, INTERNAL_TIMEOUT_MS, MAX_INTERNAL_BODY, type CascadeEvent } from './protocol.js';
import { signRequest } from './signing.js';

/** Why a link's event stream ended: the upstream closed it, refused it, went silent for three keep-alives, sent a line too long, the connection failed, or this side aborted. */
export type EventsEnd = 'closed' | 'refused' | 'silent' | 'malformed' | 'failed' | 'aborted';

/** Another node refused (its error code) or could not be reached (UNREACHABLE, TIMEOUT). */
export class CascadeCallError extends Error {
  override name = 'CascadeCallError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface InternalClientOptions {
  /** Certificates to trust beside the system's (nodes with self-signed certificates; NODE_EXTRA_CA_CERTS works too). */
  ca?: (Buffer | string)[] | undefined;
  timeoutMs?: number;
}

/** The largest event line accepted from another node's event stream. */
const MAX_EVENT_LINE = 4096;

/**
 * Signed requests to other nodes' internal API (InternalRoutes), over their internal URL: bounded
 * answers, a timeout on each, and the cascade's event stream of one link.
 */
export class InternalClient {
  readonly #self: string;
  readonly #key: Buffer;
  readonly #options: InternalClientOptions;

  constructor(self: string, key: Buffer, options: InternalClientOptions = {}) {
    this.#self = self;
    this.#key = key;
    this.#options = options;
  }

  /** A JSON request; the answer checked with `schema`. Errors: CascadeCallError. */
  async call<S extends z.ZodType>(baseUrl: string, method: 'GET' | 'POST' | 'DELETE', path: string, body: unknown, schema: S): Promise<z.output<S>> {
    const payload = Buffer.from(body === undefined ? '' : JSON.stringify(body));
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = this.#request(baseUrl, method, path, payload, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_INTERNAL_BODY) req.destroy(new CascadeCallError('INTERNAL', 'answer too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', (error) => reject(error instanceof CascadeCallError ? error : new CascadeCallError('UNREACHABLE', error.message)));
      req.end(payload);
    });
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new CascadeCallError('INTERNAL', `not JSON (HTTP ${status})`);
    }
    if (status < 200 || status >= 300) {
      const answer = errorAnswerSchema.safeParse(json);
      throw new CascadeCallError(answer.success ? answer.data.error.code : 'INTERNAL', answer.success ? answer.data.error.message : `HTTP ${status}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new CascadeCallError('INTERNAL', `unexpected answer: ${parsed.error.message.slice(0, 200)}`);
    return parsed.data;
  }

  /**
   * Follows a link's event stream until it ends, fails, stays silent for three keep-alives, or
   * `signal` aborts; resolves then with why it ended (the caller decides whether to link again).
   */
  events(baseUrl: string, path: string, onEvent: (event: CascadeEvent) => void, signal: AbortSignal): Promise<EventsEnd> {
    if (signal.aborted) return Promise.resolve('aborted');
    return new Promise<EventsEnd>((resolve) => {
      let silence: NodeJS.Timeout | undefined;
      let why: EventsEnd = 'closed';
      const done = () => {
        clearTimeout(silence);
        signal.removeEventListener('abort', abort);
        resolve(signal.aborted ? 'aborted' : why);
      };
      const req = this.#request(baseUrl, 'GET', path, Buffer.alloc(0), (res) => {
        if (res.statusCode !== 200) {
          why = 'refused';
          res.resume();
          req.destroy();
          return;
        }
        req.setTimeout(0);
        const heard = () => {
          clearTimeout(silence);
          silence = setTimeout(() => {
            why = 'silent';
            req.destroy();
          }, EVENT_PING_MS * 3);
        };
        heard();
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          heard();
          buffer += chunk;
          for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (!line.startsWith('data: ')) continue; // keep-alive comments, blank separators
            try {
              const event = cascadeEventSchema.safeParse(JSON.parse(line.slice(6)));
              if (event.success) onEvent(event.data);
            } catch {
              // a malformed line is skipped; the stream goes on
            }
          }
          if (buffer.length > MAX_EVENT_LINE) {
            why = 'malformed';
            req.destroy();
          }
        });
        res.on('close', done);
      });
      const abort = () => req.destroy();
      signal.addEventListener('abort', abort);
      req.on('error', () => {
        if (why === 'closed') why = 'failed';
        done();
      });
      req.on('close', done);
      req.end();
    });
  }

  #request(baseUrl: string, method: string, path: string, payload: Buffer, onResponse: (res: http.IncomingMessage) => void): http.ClientRequest {
    const url = new URL(baseUrl.replace(/\/+$/, '') + path);
    const headers = {
      ...signRequest(this.#key, this.#self, method, url.pathname + url.search, payload),
      ...(payload.length > 0 && { 'content-type': 'application/json', 'content-length': String(payload.length) }),
    };
    const options = { method, headers, timeout: this.#options.timeoutMs ?? INTERNAL_TIMEOUT_MS };
    const req =
      url.protocol === 'https:'
        ? https.request(url, { ...options, ...(this.#options.ca && { ca: this.#options.ca }) }, onResponse)
        : http.request(url, options, onResponse);
    req.on('timeout', () => req.destroy(new CascadeCallError('TIMEOUT', `${url.host} did not answer in time`)));
    return req;
  }
}
