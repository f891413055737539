import { describe, expect, it } from 'vitest';
import type { ChatMessageView, HandView, PeerView, StageView } from '@teleclass/shared';
import { CHAT_KEPT, isHandRaised, isOnStage, upsertMessage } from '../src/media/floor.js';
import { arrangeRemote } from '../src/media/remoteTracks.js';
import { sendsSound } from '../src/view/floor.js';
import { countQuestions } from '../src/view/questions.js';
import type { RemoteMedia, SelfView } from '../src/media/sessionState.js';
import { createI18n } from '../src/i18n/index.js';
import { authorLabel, filterChat } from '../src/view/chatFilter.js';

const en = createI18n('en').t;

const self: SelfView = { id: 'me', role: 'site', displayName: 'Ganja', site: 'Ganja', joinedAt: 1, soundBlocked: false, identity: 'site:Ganja' };
const stageOf = (peerId: string, displayName = peerId, role: StageView['role'] = 'site'): StageView => ({
  peerId,
  displayName,
  role,
  site: role === 'site' ? displayName : null,
  since: 1,
});
const hand = (peerId: string): HandView => ({ peerId, displayName: peerId, role: 'site', site: peerId, raisedAt: 1 });
const peer = (id: string, role: PeerView['role']): PeerView => ({ id, role, displayName: id, site: null, joinedAt: 1, soundBlocked: false });
const media = (consumerId: string, peerId: string, kind: 'audio' | 'video', source: RemoteMedia['source'], paused = false): RemoteMedia => ({
  consumerId,
  producerId: `p-${consumerId}`,
  peerId,
  kind,
  source,
  track: { id: consumerId } as MediaStreamTrack,
  paused,
});
const message = (id: string, createdAt: number, patch: Partial<ChatMessageView> = {}): ChatMessageView => ({
  id,
  authorId: 'attendee:1',
  authorName: 'Leyla',
  authorRole: 'attendee',
  site: null,
  text: id,
  isQuestion: false,
  answeredAt: null,
  createdAt,
  ...patch,
});

describe('the floor', () => {
  it('knows when oneself is on stage or has a hand up', () => {
    expect(isOnStage({ self, stage: [stageOf('other')] })).toBe(false);
    expect(isOnStage({ self, stage: [stageOf('other'), stageOf('me')] })).toBe(true);
    expect(isOnStage({ self: null, stage: [stageOf('me')] })).toBe(false);
    expect(isHandRaised({ self, stage: [], hands: [hand('x'), hand('me')] })).toBe(true);
    expect(isHandRaised({ self, stage: [], hands: [hand('x')] })).toBe(false);
  });
});

describe('arrangeRemote', () => {
  const peers = [peer('trainer', 'trainer'), peer('sheki', 'site'), peer('leyla', 'attendee')];

  it("keeps the trainer's camera, slides and microphone apart from the stage's", () => {
    const remote = arrangeRemote(
      [
        media('t-cam', 'trainer', 'video', 'camera'),
        media('t-mic', 'trainer', 'audio', 'microphone'),
        media('t-screen', 'trainer', 'video', 'screen'),
        media('s-cam', 'sheki', 'video', 'camera'),
        media('s-mic', 'sheki', 'audio', 'microphone'),
      ],
      [stageOf('sheki', 'Sheki')],
      peers,
      'me',
    );
    expect(remote.camera?.consumerId).toBe('t-cam');
    expect(remote.screen?.consumerId).toBe('t-screen');
    expect(remote.audio.map((a) => a.consumerId)).toEqual(['t-mic', 's-mic']);
    expect(remote.stage).toEqual([
      expect.objectContaining({ peerId: 'sheki', displayName: 'Sheki', camera: expect.objectContaining({ consumerId: 's-cam' }), microphone: expect.objectContaining({ consumerId: 's-mic' }) }),
    ]);
  });

  it('lists people on stage in stage order before their media arrives, leaving oneself out', () => {
    const remote = arrangeRemote([], [stageOf('me', 'Ganja'), stageOf('leyla', 'Leyla', 'attendee')], peers, 'me');
    expect(remote.stage.map((f) => [f.peerId, f.camera, f.microphone])).toEqual([['leyla', null, null]]);
  });

  it("never shows a participant's camera as the trainer's, even just after it left the stage", () => {
    const remote = arrangeRemote([media('t-cam', 'trainer', 'video', 'camera'), media('s-cam', 'sheki', 'video', 'camera')], [], peers, 'me');
    expect(remote.camera?.consumerId).toBe('t-cam');
    expect(remote.stage).toEqual([]);
  });

  it('takes the newest track of a kind (a reconnect briefly has two)', () => {
    const remote = arrangeRemote(
      [media('old', 'trainer', 'video', 'camera'), media('new', 'trainer', 'video', 'camera')],
      [],
      peers,
      null,
    );
    expect(remote.camera?.consumerId).toBe('new');
  });

  it('tells whether someone on stage is heard', () => {
    const heard = arrangeRemote([media('m', 'sheki', 'audio', 'microphone')], [stageOf('sheki')], peers, null);
    const muted = arrangeRemote([media('m', 'sheki', 'audio', 'microphone', true)], [stageOf('sheki')], peers, null);
    const silent = arrangeRemote([], [stageOf('sheki')], peers, null);
    expect(sendsSound(heard, 'sheki')).toBe(true);
    expect(sendsSound(muted, 'sheki')).toBe(false);
    expect(sendsSound(silent, 'sheki')).toBe(false);
    expect(sendsSound(heard, 'nobody')).toBe(false);
  });
});

describe('chat', () => {
  it('adds new messages, replaces updated ones and keeps the order of creation', () => {
    let chat = upsertMessage([], message('a', 1));
    chat = upsertMessage(chat, message('c', 3));
    chat = upsertMessage(chat, message('b', 2)); // crossed on the wire
    chat = upsertMessage(chat, message('c', 3)); // the answer and the notification of one message
    chat = upsertMessage(chat, message('a', 1, { isQuestion: true, answeredAt: 9 }));
    expect(chat.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(chat[0]!.answeredAt).toBe(9);
  });

  it(`keeps the newest ${CHAT_KEPT} messages`, () => {
    let chat: ChatMessageView[] = [];
    for (let i = 0; i < CHAT_KEPT + 5; i++) chat = upsertMessage(chat, message(`m${i}`, i));
    expect(chat).toHaveLength(CHAT_KEPT);
    expect(chat[0]!.id).toBe('m5');
  });

  it('counts and filters questions', () => {
    const chat = [message('a', 1), message('q1', 2, { isQuestion: true }), message('q2', 3, { isQuestion: true, answeredAt: 4 })];
    expect(countQuestions(chat)).toEqual({ total: 2, answered: 1, open: 1 });
    expect(filterChat(chat, 'all').map((m) => m.id)).toEqual(['a', 'q1', 'q2']);
    expect(filterChat(chat, 'questions').map((m) => m.id)).toEqual(['q1', 'q2']);
    expect(filterChat(chat, 'open').map((m) => m.id)).toEqual(['q1']);
  });

  it('labels authors by role', () => {
    expect(authorLabel({ authorName: 'Leyla', authorRole: 'attendee', site: null }, en)).toBe('Leyla');
    expect(authorLabel({ authorName: 'Ganja', authorRole: 'site', site: 'Ganja' }, en)).toBe('Ganja (classroom)');
    expect(authorLabel({ authorName: 'Dr. Aliyev', authorRole: 'trainer', site: null }, en)).toBe('Dr. Aliyev (trainer)');
    expect(authorLabel({ authorName: 'Dr. Aliyev', authorRole: 'trainer', site: null }, createI18n('az').t)).toBe('Dr. Aliyev (təlimçi)');
  });
});
