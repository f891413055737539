import type { Method, Role } from '@teleclass/shared';

const EVERYONE = ['trainer', 'site', 'attendee'] as const satisfies readonly Role[];
const TRAINER = ['trainer'] as const satisfies readonly Role[];
const AUDIENCE = ['site', 'attendee'] as const satisfies readonly Role[];
const SITE = ['site'] as const satisfies readonly Role[];

/**
 * Who may call what: the one table of the server's roles. `join`, `resume`,
 * `routerCapabilities` and `prepareRecv` (asked by the page as it loads) are the calls before joining;
 * every other needs a joined participant. Sending media is further limited at run time: a site
 * or attendee may only open a sending transport and produce while it has the floor
 * (`mayProduce`), so a classroom's microphone is never forwarded otherwise.
 */
export const PERMISSIONS: Record<Method, 'before-join' | readonly Role[]> = {
  join: 'before-join',
  routerCapabilities: 'before-join',
  prepareRecv: 'before-join',
  resume: 'before-join',
  studioFeed: TRAINER,
  setProgram: TRAINER,
  leave: EVERYONE,
  createTransport: EVERYONE,
  connectTransport: EVERYONE,
  restartIce: EVERYONE,
  produce: EVERYONE,
  pauseProducer: EVERYONE,
  resumeProducer: EVERYONE,
  closeProducer: EVERYONE,
  consume: EVERYONE,
  resumeConsumer: EVERYONE,
  pauseConsumer: EVERYONE,
  closeConsumer: EVERYONE,
  setPreferredLayers: EVERYONE,
  setViewport: EVERYONE,
  reportPlayback: AUDIENCE,
  setReceiveMode: AUDIENCE,
  startLecture: TRAINER,
  endLecture: TRAINER,
  startRecording: TRAINER,
  stopRecording: TRAINER,
  setLocked: TRAINER,
  admit: TRAINER,
  raiseHand: AUDIENCE,
  lowerHand: AUDIENCE,
  dismissHand: TRAINER,
  giveFloor: TRAINER,
  takeFloor: TRAINER,
  answerFloor: AUDIENCE,
  muteParticipant: TRAINER,
  removeParticipant: TRAINER,
  restoreParticipant: TRAINER,
  sendChat: EVERYONE,
  markAnswered: TRAINER,
  getAttendance: TRAINER,
  recordingLink: EVERYONE,
  reportQuality: SITE,
  reportPreflight: TRAINER,
};

export function allowed(method: Method, role: Role | undefined): 'ok' | 'NOT_JOINED' | 'ALREADY_JOINED' | 'FORBIDDEN' {
  const rule = PERMISSIONS[method];
  if (rule === 'before-join') return role === undefined ? 'ok' : 'ALREADY_JOINED';
  if (role === undefined) return 'NOT_JOINED';
  return rule.includes(role) ? 'ok' : 'FORBIDDEN';
}

/** Sources each role may send: the trainer everything; a participant with the floor camera and microphone. */
export function mayProduce(role: Role, onStage: boolean, source: 'camera' | 'microphone' | 'screen'): boolean {
  if (role === 'trainer') return true;
  return onStage && source !== 'screen';
}
