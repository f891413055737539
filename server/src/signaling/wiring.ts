import type { LectureRoom } from '../lecture/LectureRegistry.js';
import type { Notifier } from './context.js';

/** Turns a lecture's domain and media events into notifications. */
export function wireRoom({ lecture, media }: LectureRoom, notify: Notifier): void {
  const id = lecture.id;
  lecture.on('participantjoined', (p) => notify.lecture(id, 'participantJoined', p.view(), p.id));
  lecture.on('participantleft', (p) => notify.lecture(id, 'participantLeft', { peerId: p.id }));
  lecture.on('statechanged', (view) => notify.lecture(id, 'lectureState', view));
  lecture.on('handschanged', (hands) => notify.lecture(id, 'hands', { hands }));
  lecture.on('stagechanged', (stage) => notify.lecture(id, 'stage', { stage }));
  lecture.on('invitationschanged', (invited) => notify.lecture(id, 'invitations', { invited }));
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
  media.on('produceradded', (view) => here(id, 'producerAdded', view, view.peerId));
  media.on('producerclosed', (producerId) => here(id, 'producerClosed', { producerId }));
  media.on('producerpaused', (producerId, paused) => here(id, 'producerPaused', { producerId, paused }));
  media.on('producerhealth', (producerId, flowing) => here(id, 'producerHealth', { producerId, flowing }));
  media.on('activespeaker', (peerId) => here(id, 'activeSpeaker', { peerId }));
  media.on('mediareset', (peerId) => notify.peer(peerId, 'mediaReset', { reason: 'media server restarted' }));
  media.on('receivepriority', (peerId, view) => notify.peer(peerId, 'receivePriority', view));
  media.on('consumerclosed', (peerId, consumerId, producerId) => notify.peer(peerId, 'consumerClosed', { consumerId, producerId }));
}
