/**
 * A session resumed on a new connection (SessionEntry): the server kept the participant, and its
 * answer is the lecture as it is now. The snapshot takes it over (what was missed while away:
 * chat, the floor, hands, state changes); what is received follows the server's producers; media
 * that kept flowing is not touched — ICE is restarted only on a transport that lost its
 * connection (SessionRecovery.resumed); a transport the server no longer has (its worker died
 * meanwhile) means new transports for everything (a media reset).
 */
import type { ResponseOf } from '@teleclass/shared';
import type { Broadcast } from './Broadcast.js';
import type { Reception } from './Reception.js';
import type { MediaLink } from './sessionContext.js';
import type { SessionRecovery } from './SessionRecovery.js';
import type { SessionState } from './sessionState.js';
import type { StageSender } from './StageSender.js';
import type { Store } from './Store.js';

export type ResumeAnswer = ResponseOf<'resume'>;

export interface ResumeParts {
  store: Store<SessionState>;
  reception: Reception;
  broadcast: Broadcast | null;
  sender: StageSender | null;
  recovery: SessionRecovery;
  onEnded(): void;
}

export function applyResume(answer: ResumeAnswer, parts: ResumeParts, link: MediaLink): void {
  const { store, reception, recovery } = parts;
  const before = store.get().transports;
  store.update({
    phase: 'joined',
    self: answer.self,
    lecture: answer.lecture,
    peers: answer.peers.filter((p) => p.id !== answer.self.id),
    hands: answer.hands,
    stage: answer.stage,
    lobby: answer.lobby,
    removed: answer.removed,
    invited: answer.invited,
    stalledProducers: answer.producers.filter((p) => !p.flowing).map((p) => p.id),
    chat: answer.chat,
  });
  console.info(`[teleclass] session resumed after ${answer.awayMs} ms away`);
  if (answer.lecture.state === 'ended') {
    recovery.resumed();
    parts.onEnded();
    return;
  }
  const gone = (['send', 'recv'] as const).filter((d) => before[d] !== null && !answer.transports.some((t) => t.direction === d));
  if (gone.length > 0) {
    recovery.reset();
    recovery.mediaReset(link, `the server no longer has our ${gone.join(' and ')} transport`);
    reception.reconcile(answer.producers); // a new receiver: the old consumers are gone with the transports
    return;
  }
  reception.reconcile(answer.producers, answer.consumers);
  recovery.resumed();
}
