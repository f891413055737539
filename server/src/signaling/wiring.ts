import type { LectureRoom } from '../lecture/LectureRegistry.js';
import type { Notifier } from './context.js';

/**
 * Turns a lecture's domain and media events into notifications. Each node tells its own people
 * (`here`): in a cluster every node's Lecture is the room as the lecture's origin holds it (a copy
 * on the other nodes, cluster/roomLink.ts), so each node's people hear of a change when their own
 * node has it — a classroom told it has the floor finds its node agreeing. On one node `here` is
 * everyone.
 */
export function wireRoom({ lecture, media }: LectureRoom, notify: Notifier): void {
  const id = lecture.id;
  const room: Notifier['lecture'] = notify.here ?? notify.lecture;
  lecture.on('participantjoined', (p) => room(id, 'participantJoined', p.view(), p.id));
  lecture.on('participantleft', (p) => room(id, 'participantLeft', { peerId: p.id }));
  lecture.on('participantupdated', (p) => room(id, 'participantUpdated', p.view(), p.id));
  lecture.on('statechanged', (view) => room(id, 'lectureState', view));
  lecture.on('handschanged', (hands) => room(id, 'hands', { hands }));
  lecture.on('stagechanged', (stage) => room(id, 'stage', { stage }));
  lecture.on('invitationschanged', (invited) => room(id, 'invitations', { invited }));
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
