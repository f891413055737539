import { TeleclassError } from '@teleclass/shared';
import type { Handler, SignalingDeps } from '../context.js';

function ingestOf(deps: SignalingDeps) {
  if (!deps.ingest) throw new TeleclassError('INVALID_STATE', 'Studio feeds are not enabled on this server.');
  return deps.ingest;
}

/** The studio's origin as the trainer's browser reached it (PUBLIC_URL wins, as for links). */
function origin(session: Parameters<Handler<'studioFeed'>>[0], deps: SignalingDeps): string {
  const host = session.socket.handshake.headers.host ?? 'localhost';
  return deps.ingest && /^[a-z0-9.[\]:-]+$/i.test(host) ? `https://${host}` : 'https://localhost';
}

export const studioFeed: Handler<'studioFeed'> = async (session, _req, deps) => {
  const ingest = ingestOf(deps);
  const lectureId = session.room.lecture.id;
  return { ...ingest.stateOf(lectureId), credentials: await ingest.credentials(lectureId, deps.publicUrl ?? origin(session, deps)) };
};

export const setProgram: Handler<'setProgram'> = async (session, req, deps) =>
  (await ingestOf(deps).feedOf(session.room.lecture.id)).setProgram(req.program);
