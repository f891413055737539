/**
 * A recording's files are in the DATA_DIR of the node that recorded it. A page loaded from
 * another node (the recording page's video, the admin page's deletes) reaches them through its own
 * node, which asks that node over the signed internal API (http/internalRecordings.ts):
 *
 *   GET    /internal/recordings/:id/video   the composed MP4 (Range requests, ?download=1)
 *   DELETE /internal/recordings/:id/files   remove its folder (its job stops there)
 *
 * Passed through rather than answered with a redirect to the other node's PUBLIC_URL: the pages
 * load media only from their own origin (CSP `media-src 'self'`) and every answer is
 * `Cross-Origin-Resource-Policy: same-origin`, a browser drops the admin page's `Authorization`
 * header on a cross-origin redirect, and a cross-origin DELETE needs a CORS preflight — so the
 * page stays on its own node and that node does the cross-node call.
 */
import http from 'node:http';
import https from 'node:https';
import type { Request, Response } from 'express';
import { ApiError } from '../http/api/errors.js';
import type { RecordingNodes } from '../http/api/recordingsContext.js';
import type { Logger } from '../logger.js';
import { signRequest } from './cascade/signing.js';
import type { NodeInfo } from './ports.js';

/** Deadline for the other node's answer to start (a video then streams for as long as it takes). */
export const RECORDING_NODE_TIMEOUT_MS = 10_000;

/** The other node's headers a video answer keeps (the rest are this node's own). */
const PASSED_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag', 'content-disposition', 'cache-control'];

export class ClusterRecordingNodes implements RecordingNodes {
  readonly #d: { self: () => NodeInfo; known: () => NodeInfo[]; key: Buffer; ca: string[] | undefined; logger: Logger };

  constructor(deps: { self: () => NodeInfo; known: () => NodeInfo[]; key: Buffer; ca: string[] | undefined; logger: Logger }) {
    this.#d = deps;
  }

  get self(): string {
    return this.#d.self().id;
  }

  isLive(nodeId: string): boolean {
    return this.#node(nodeId) !== undefined;
  }

  #node(nodeId: string): NodeInfo | undefined {
    return this.#d.known().find((n) => n.id === nodeId);
  }

  #unavailable(nodeId: string, why: string): ApiError {
    this.#d.logger.warn({ node: nodeId, why }, "a recording's node did not answer");
    return new ApiError('NODE_UNAVAILABLE', `The recording's files are on node ${nodeId}, which did not answer (${why}); try again shortly.`.slice(0, 300));
  }

  /** A signed request to node `nodeId`'s internal API; resolves with its answer's head (the body unread). */
  #request(nodeId: string, method: string, path: string, headers: Record<string, string>, onAbort?: (abort: () => void) => void): Promise<http.IncomingMessage> {
    const node = this.#node(nodeId);
    if (!node) return Promise.reject(new ApiError('NODE_UNAVAILABLE', `The recording's files are on node ${nodeId}, which is not reachable now; try again once it is back.`));
    const url = new URL(node.internalUrl.replace(/\/+$/, '') + path);
    const options = {
      method,
      headers: { ...signRequest(this.#d.key, this.self, method, url.pathname + url.search, Buffer.alloc(0)), ...headers },
      timeout: RECORDING_NODE_TIMEOUT_MS,
    };
    return new Promise((resolve, reject) => {
      const req =
        url.protocol === 'https:' ? https.request(url, { ...options, ...(this.#d.ca && { ca: this.#d.ca }) }, resolve) : http.request(url, options, resolve);
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error) => reject(this.#unavailable(nodeId, error.message)));
      onAbort?.(() => req.destroy());
      req.end();
    });
  }

  async pipeVideo(nodeId: string, recordingId: string, req: Request, res: Response): Promise<void> {
    const query = req.query['download'] === '1' ? '?download=1' : '';
    const range = req.headers.range;
    const ifRange = req.headers['if-range'];
    let abortUpstream = () => {};
    const upstream = await this.#request(
      nodeId,
      'GET',
      `/internal/recordings/${encodeURIComponent(recordingId)}/video${query}`,
      { ...(typeof range === 'string' && { range }), ...(typeof ifRange === 'string' && { 'if-range': ifRange }) },
      (abort) => (abortUpstream = abort),
    );
    // The page went away meanwhile: nothing to pass on.
    if (req.destroyed || res.writableEnded) {
      upstream.destroy();
      return;
    }
    const status = upstream.statusCode ?? 502;
    if (status >= 500 || status === 401) {
      upstream.resume();
      throw this.#unavailable(nodeId, `HTTP ${status}`);
    }
    res.status(status);
    for (const name of PASSED_HEADERS) {
      const value = upstream.headers[name];
      if (value !== undefined) res.setHeader(name, value);
    }
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      res.on('close', () => {
        upstream.destroy();
        abortUpstream();
        done();
      });
      upstream.on('error', () => {
        res.destroy();
        done();
      });
      upstream.on('end', done);
      upstream.pipe(res);
    });
  }

  async removeFiles(nodeId: string, recordingId: string): Promise<void> {
    const answer = await this.#request(nodeId, 'DELETE', `/internal/recordings/${encodeURIComponent(recordingId)}/files`, {});
    answer.resume();
    const status = answer.statusCode ?? 502;
    // 404: that node has no such recording any more (nothing to remove there).
    if (status >= 300 && status !== 404) throw this.#unavailable(nodeId, `HTTP ${status}`);
  }
}
