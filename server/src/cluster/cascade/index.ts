import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Router } from 'express';
import type { Config } from '../../config.js';
import { internalCascadeRoutes } from '../../http/internalCascade.js';
import type { LectureRegistry } from '../../lecture/LectureRegistry.js';
import type { Logger } from '../../logger.js';
import type { NodePipeOptions } from '../../media/NodePipes.js';
import type { NodeDirectory, OriginDirectory } from '../ports.js';
import { Cascade } from './Cascade.js';
import { InternalClient } from './InternalClient.js';
import { cascadeKey } from './signing.js';

export { Cascade } from './Cascade.js';

/** Pipes' listen address, announced address and caps from the configuration (`announced`: the address ICE candidates carry). */
export function pipeOptions(config: Config, announced: string | undefined): NodePipeOptions {
  const listenIp = config.PIPE_LISTEN_IP ?? config.RTC_LISTEN_IP;
  const wildcard = listenIp === '0.0.0.0' || listenIp === '::';
  return {
    listenIp,
    announcedAddress: config.PIPE_ANNOUNCED_ADDRESS ?? config.RTC_ANNOUNCED_ADDRESS ?? (wildcard ? announced : undefined),
    maxPipes: config.CASCADE_MAX_PIPES_PER_LECTURE,
    maxProducersPerPipe: config.CASCADE_MAX_PRODUCERS_PER_PIPE,
  };
}

/**
 * The media cascade of a cluster node: its Cascade and the internal routes the other nodes call
 * (mounted at /internal/cascade). Requests are signed with a key derived from the shared JWT_SECRET.
 */
export function startCascade(deps: {
  config: Config;
  logger: Logger;
  registry: LectureRegistry;
  nodes: NodeDirectory;
  origins: OriginDirectory;
  secret: string;
  /** This node's certificate: trusted for the other nodes' internal URLs too (nodes sharing one self-signed certificate). */
  ownCertificate?: Buffer;
}): { cascade: Cascade; routes: Router; key: Buffer; ca: string[] | undefined } {
  const key = cascadeKey(deps.secret);
  const ca = deps.ownCertificate ? [...rootCertificates, ...extraCertificates(deps.logger), deps.ownCertificate.toString('utf8')] : undefined;
  const cascade = new Cascade({
    registry: deps.registry,
    nodes: deps.nodes,
    origins: deps.origins,
    client: new InternalClient(deps.nodes.self().id, key, { ca }),
    upstream: deps.config.NODE_UPSTREAM,
    maxLinks: deps.config.CASCADE_MAX_LINKS,
    logger: deps.logger,
  });
  // The key and trust are the other internal calls' too (a recording's files on another node: cluster/recordingNodes.ts).
  return { cascade, routes: internalCascadeRoutes(cascade, key, deps.logger.child({ component: 'cascade' })), key, ca };
}

/** NODE_EXTRA_CA_CERTS (the certificates Node.js trusts beside its own): kept when a custom trust list is given. */
function extraCertificates(logger: Logger): string[] {
  const file = process.env['NODE_EXTRA_CA_CERTS'];
  if (!file) return [];
  try {
    return [readFileSync(file, 'utf8')];
  } catch (error) {
    logger.warn({ err: error, file }, 'NODE_EXTRA_CA_CERTS could not be read');
    return [];
  }
}
