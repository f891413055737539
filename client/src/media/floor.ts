/**
 * Hands, the floor and the chat as the session keeps them (what pages derive from them: view/floor.ts, view/chatFilter.ts): small pure functions over the
 * snapshot, unit-tested in node.
 */
import type { ChatMessageView } from '@teleclass/shared';
import type { SessionState } from './sessionState.js';

/** At most this many chat messages are kept in memory (the oldest are dropped). */
export const CHAT_KEPT = 500;

type FloorInput = Pick<SessionState, 'self' | 'stage' | 'hands'>;

/** This participant has the floor: its camera and microphone must be sent. */
export function isOnStage({ self, stage }: Pick<SessionState, 'self' | 'stage'>): boolean {
  return self !== null && stage.some((s) => s.peerId === self.id);
}

/** This participant's hand is up. */
export function isHandRaised({ self, hands }: FloorInput): boolean {
  return self !== null && hands.some((h) => h.peerId === self.id);
}

/** Adds a message or replaces the one with its id (an update); oldest first, at most CHAT_KEPT. */
export function upsertMessage(chat: readonly ChatMessageView[], message: ChatMessageView): ChatMessageView[] {
  const index = chat.findIndex((m) => m.id === message.id);
  let next: ChatMessageView[];
  if (index !== -1) {
    next = chat.map((m, i) => (i === index ? message : m));
  } else {
    next = [...chat, message];
    // Usually already last; a message that crossed another on the wire is put in its place.
    if (chat.length > 0 && chat[chat.length - 1]!.createdAt > message.createdAt) {
      next.sort((a, b) => a.createdAt - b.createdAt);
    }
  }
  return next.length > CHAT_KEPT ? next.slice(next.length - CHAT_KEPT) : next;
}
