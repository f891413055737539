import type { LectureView } from '@teleclass/shared';
import type { LectureRoom } from '../lecture/LectureRegistry.js';
import type { Participant } from '../lecture/Participant.js';
import type { Notifier } from './context.js';

/**
 * How long a change of the lecture's counts alone (someone came or went) may wait to be told to
 * the trainer and the classrooms, so that people arriving together make one `lectureState`
 * instead of one each; any other change of the lecture's state is told to everyone at once (and
 * carries the counts). Everyone else (attendees, the lobby) is not told a change of the counts
 * alone at all: their pages show no counts, and a `lectureState` to a full lecture is a write to
 * every socket in one turn of the event loop (up to 60 ms with 550 people on the benchmark's
 * harness core), which held the joins of a lecture filling up behind it every few seconds. Their
 * view's counts are those of their join or of the last change of state.
 */
export const COUNTS_EVERY_MS = 500;

/**
 * Turns a lecture's domain and media events into notifications. Each node tells its own people
 * (`here`): in a cluster every node's Lecture is the room as the lecture's origin holds it (a copy
 * on the other nodes, cluster/roomLink.ts), so each node's people hear of a change when their own
 * node has it — a classroom told it has the floor finds its node agreeing. On one node `here` is
 * everyone.
 */
export function wireRoom(lectureRoom: LectureRoom, notify: Notifier): void {
  const { lecture, media, presence } = lectureRoom;
  const id = lecture.id;
  const room: Notifier['lecture'] = notify.here ?? notify.lecture;
  // Attendees hear of another attendee only once it is shown (Presence); the trainer and the
  // classrooms hear of everyone. Each node tells its own people (notify.peer reaches this node's).
  const tell = (p: Participant, name: 'participantJoined' | 'participantLeft' | 'participantUpdated', data: unknown) => {
    if (presence.isPublic(p)) return room(id, name, data as never, p.id);
    for (const w of presence.watchers()) if (w.id !== p.id) notify.peer(w.id, name, data as never);
  };
  /** Shows an attendee to everyone (given the floor, invited, sending media) before what shows it is told. */
  const show = (peerId: string) => {
    const p = lecture.participant(peerId);
    // The trainer and the classrooms knew it already: to them it comes again, the same view.
    if (p && presence.show(p)) room(id, 'participantJoined', p.view(), p.id);
  };
  lecture.on('participantjoined', (p) => tell(p, 'participantJoined', p.view()));
  lecture.on('participantleft', (p) => {
    tell(p, 'participantLeft', { peerId: p.id });
    presence.forget(p.id);
  });
  lecture.on('participantupdated', (p) => tell(p, 'participantUpdated', p.view()));
  // The last state told to everyone; counts-only changes since then go to the watchers on a timer.
  let told: LectureView | null = null;
  let watchersTimer: ReturnType<typeof setTimeout> | null = null;
  const tellState = (view: LectureView) => {
    if (watchersTimer) clearTimeout(watchersTimer);
    watchersTimer = null;
    told = view;
    room(id, 'lectureState', view);
  };
  lecture.on('statechanged', (view) => {
    if (!told || !onlyCountsDiffer(told, view)) return tellState(view);
    if (watchersTimer) return;
    watchersTimer = setTimeout(() => {
      watchersTimer = null;
      if (lectureRoom.closed) return;
      const now = lecture.view();
      for (const w of presence.watchers()) notify.peer(w.id, 'lectureState', now);
    }, COUNTS_EVERY_MS);
    watchersTimer.unref?.();
  });
  lecture.on('handschanged', (hands) => room(id, 'hands', { hands }));
  lecture.on('stagechanged', (stage) => {
    for (const s of stage) show(s.peerId);
    room(id, 'stage', { stage });
  });
  lecture.on('invitationschanged', (invited) => {
    for (const s of invited) show(s.peerId);
    room(id, 'invitations', { invited });
  });
  lecture.on('floordeclined', (p) => {
    const trainer = lecture.trainer;
    if (trainer) notify.peer(trainer.id, 'floorDeclined', { peerId: p.id, displayName: p.displayName });
  });
  lecture.on('lobbychanged', (delta) => {
    const trainer = lecture.trainer;
    if (trainer) notify.peer(trainer.id, 'lobby', delta);
  });
  // Media events reach this node's people only: in a cluster every node announces the producers it
  // holds (copies pulled from other nodes included), so a viewer hears of a stream once it can consume it here.
  const here: Notifier['lecture'] = notify.here ?? notify.lecture;
  media.on('produceradded', (view) => {
    show(view.peerId);
    here(id, 'producerAdded', view, view.peerId);
  });
  media.on('producerclosed', (producerId) => here(id, 'producerClosed', { producerId }));
  media.on('producerpaused', (producerId, paused) => here(id, 'producerPaused', { producerId, paused }));
  media.on('producerhealth', (producerId, flowing) => here(id, 'producerHealth', { producerId, flowing }));
  media.on('activespeaker', (peerId) => here(id, 'activeSpeaker', { peerId }));
  media.on('mediareset', (peerId) => notify.peer(peerId, 'mediaReset', { reason: 'media server restarted' }));
  media.on('receivepriority', (peerId, view) => notify.peer(peerId, 'receivePriority', view));
  media.on('consumerclosed', (peerId, consumerId, producerId) => notify.peer(peerId, 'consumerClosed', { consumerId, producerId }));
}

/** Whether two views of the lecture differ in their counts only. */
function onlyCountsDiffer(a: LectureView, b: LectureView): boolean {
  for (const key of Object.keys(b) as (keyof LectureView)[]) {
    if (key !== 'counts' && a[key] !== b[key]) return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}
