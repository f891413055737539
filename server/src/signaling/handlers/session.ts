import { TeleclassError, type ResponseOf } from '@teleclass/shared';
import { linkExpiry, newAttendeeIdentity, SHARED_ATTENDEE_IDENTITY } from '../../auth/tokens.js';
import { joinRoom } from '../../lecture/join.js';
import { joinAnswered, joinTrace } from '../../lecture/joinTrace.js';
import { routerRtpCapabilities } from '../../media/codecs.js';
import { leaveLecture } from '../attachment.js';
import type { Handler, JoinedSession, Session } from '../context.js';

function displayNameFor(session: Session, typed: string | undefined): string {
  const { role, name, site } = session.claims;
  if (role === 'site') return site ?? name ?? 'Classroom';
  if (role === 'trainer') return name ?? 'Trainer';
  const chosen = name ?? typed;
  if (!chosen) throw new TeleclassError('BAD_REQUEST', 'displayName: a name is needed');
  return chosen;
}

/**
 * One join at a time per connection: a second `join` while one is under way is refused, so two
 * joins sent at once can never both add a participant (the "already joined" check of the
 * permission table only sees a participant once a join has finished). The rules of joining,
 * and their checks after each await, are the room's (lecture/join.ts).
 */
export const join: Handler<'join'> = async (session, req, deps) => {
  if (session.joining) throw new TeleclassError('ALREADY_JOINED', 'A join is already under way.');
  session.joining = true;
  const lectureId = session.claims.lectureId;
  try {
    const displayName = displayNameFor(session, req.displayName);
    const room = await deps.registry.getOrCreate(lectureId);
    const claims = personalClaims(session, displayName);
    const expiry = () => linkExpiry(room.lecture.scheduledStart, deps.linkValidityHours);
    const outcome = await joinRoom(room, session.via, {
      identity: claims.identity,
      role: claims.role,
      site: claims.site ?? null,
      displayName,
      lobbyId: session.lobbyId,
      sessionToken: async () => (claims === session.claims ? null : deps.tokens.sign(claims, expiry())),
      openRecv: req.openRecv,
      rtpCapabilities: req.rtpCapabilities,
      dtlsParameters: req.dtlsParameters,
      prepared: session.prepared,
      trace: joinTrace(session.socket.id),
    });
    session.claims = claims;
    const resumeToken = outcome.status === 'joined' && session.participant ? deps.resumes.issue(room, session.participant) : null;
    if (outcome.status === 'joined') joinAnswered(session.socket.id, outcome.self.id);
    return { ...outcome, deviceToken: session.newDeviceToken, resumeToken };
  } finally {
    session.joining = false;
    // A prepared receiving transport is the participant's once taken over; a joined connection
    // that did not take it (no `openRecv`, an ended lecture) lets it go. In the lobby it waits.
    if (session.prepared?.adopted) session.prepared = undefined;
    else if (session.participant) session.prepared?.release();
    deps.registry.releaseIfEmpty(lectureId); // nobody got in (an error): do not keep the room open
  }
};

/**
 * A viewer's receiving transport opened (and connected) before the join press, for the join to
 * take over (lecture/preparedRecv.ts): one per connection, the first MAX_PARTICIPANTS of a
 * lecture, not for the studio nor an ended lecture. Its place in its lecture's line and on this
 * connection is taken before the first await, so a join sent right after it finds it (and waits
 * for it). Still wanted (the connection open, not joined without it) is checked after each await.
 */
export const prepareRecv: Handler<'prepareRecv'> = async (session, req, deps) => {
  if (session.claims.role === 'trainer') throw new TeleclassError('FORBIDDEN', 'The studio opens a receiving transport only when it watches someone.');
  if (session.prepared?.open || session.prepared?.adopted) throw new TeleclassError('INVALID_STATE', 'A receiving transport is already prepared on this connection.');
  const { lectureId } = session.claims;
  const prepared = deps.prepared.add(lectureId);
  session.prepared = prepared;
  try {
    const room = await deps.registry.getOrCreate(lectureId);
    if (session.closed) throw new TeleclassError('DISCONNECTED');
    if (!prepared.open && !prepared.adopted) throw new TeleclassError('INVALID_STATE', 'The connection joined without it meanwhile.');
    if (room.closed) throw new TeleclassError('NOT_FOUND', 'This lecture does not exist (any more).');
    if (room.lecture.state === 'ended') throw new TeleclassError('INVALID_STATE', 'This lecture has ended.');
    if (prepared.open) deps.prepared.assertWithin(prepared, room.lecture.maxParticipants);
    const transport = await prepared.start(room, req, { ttlMs: deps.preparedRecvMs, trace: joinTrace(session.socket.id) });
    return { transportId: transport.id };
  } catch (error) {
    prepared.abandon();
    throw error;
  }
};

/**
 * The router's RTP capabilities before joining (the page loads its device while the name screen
 * shows): the same on every router, so no lecture room is opened for it (media/codecs.ts).
 */
export const routerCapabilities: Handler<'routerCapabilities'> = async () => ({
  routerRtpCapabilities: routerRtpCapabilities() as ResponseOf<'routerCapabilities'>['routerRtpCapabilities'],
});

/** A person who came through the shared attendee link gets a personal identity (and token). */
function personalClaims(session: Session, displayName: string): Session['claims'] {
  const { claims } = session;
  if (claims.role !== 'attendee' || claims.identity !== SHARED_ATTENDEE_IDENTITY) return claims;
  return { ...claims, identity: newAttendeeIdentity(), name: displayName };
}

/**
 * The same participant again on this new connection (its old one was lost): the room's use-case
 * checks the token and everything else (lecture/resume.ts); RESUME_REFUSED sends the client to
 * `join`. Refused while a join (or another resume) is under way on this connection.
 */
export const resume: Handler<'resume'> = async (session, req, deps) => {
  if (session.joining) throw new TeleclassError('ALREADY_JOINED', 'A join is already under way.');
  if (session.lobbyId) throw new TeleclassError('INVALID_STATE', 'This connection waits in the lobby.');
  const { lectureId, identity } = session.claims;
  // The resume reads the store: no join (nor a second resume) on this connection meanwhile.
  session.joining = true;
  try {
    return await deps.resumes.resume(req.resumeToken, session.via, { lectureId, identity });
  } finally {
    session.joining = false;
    if (session.participant) session.prepared?.release(); // the resumed participant has its own
  }
};

export const leave: Handler<'leave'> = async (session, _req, deps) => {
  leaveLecture(session as JoinedSession, deps, 'left');
  return {};
};
