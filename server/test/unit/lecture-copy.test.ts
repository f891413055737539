// A node's copy of the origin's room (cluster mode): applyOrigin (lecture/roomCopy.ts) takes the origin's
// participants of other nodes, floor, hands and state, keeps this node's own participants, and
// emits what changed — a participant of this node that lost the floor stops sending (stageleft).
import { describe, expect, it } from 'vitest';
import { Lecture } from '../../src/lecture/Lecture.js';
import { Participant } from '../../src/lecture/Participant.js';
import { applyOrigin, roomState } from '../../src/lecture/roomCopy.js';

const lecture = () =>
  new Lecture({ id: 'L', title: 'T', scheduledStart: new Date().toISOString(), state: 'waiting', locked: false, startedAt: null, endedAt: null, stageSize: 2 });

/** The origin: a trainer of its own and a classroom of node `ganja`. */
function origin() {
  const o = lecture();
  const trainer = new Participant({ role: 'trainer', displayName: 'Dr', identity: 'trainer' });
  o.join(trainer);
  return { o, trainer };
}

describe('a copy of the origin\'s room', () => {
  it('takes the other nodes\' participants, keeps its own, and follows the floor, hands and state', () => {
    const { o, trainer } = origin();
    const edge = lecture();
    const kiosk = new Participant({ role: 'site', displayName: 'Ganja', identity: 'site:Ganja', site: 'Ganja' });
    edge.join(kiosk);
    // The origin learns of the kiosk (room.joined) and the lecture goes live, the kiosk raises its hand.
    o.join(new Participant({ role: 'site', displayName: 'Ganja', identity: 'site:Ganja', site: 'Ganja', remote: { node: 'ganja', id: kiosk.id, joinedAt: kiosk.joinedAt } }));
    o.start();
    o.raiseHand(kiosk.id);

    const events: string[] = [];
    for (const e of ['participantjoined', 'participantleft', 'handschanged', 'stagechanged', 'stageleft', 'statechanged'] as const) edge.on(e, () => events.push(e));
    applyOrigin(edge, roomState(o, 'baku'), 'ganja');
    expect(edge.participants.map((p) => [p.identity, p.node])).toEqual([
      ['site:Ganja', null],
      ['trainer', 'baku'],
    ]);
    expect(edge.trainer?.id).toBe(trainer.id);
    expect(edge.state).toBe('live');
    expect(edge.hands().map((h) => h.peerId)).toEqual([kiosk.id]);
    expect(events).toEqual(['participantjoined', 'handschanged', 'statechanged']);
    // Other nodes' people do not keep a node's room open.
    expect(edge.isEmpty).toBe(false);
    expect(edge.localParticipants).toEqual([kiosk]);

    // The floor given on the origin: the copy agrees (the kiosk's own node lets it send).
    o.giveFloor(kiosk.id);
    events.length = 0;
    applyOrigin(edge, roomState(o, 'baku'), 'ganja');
    expect(edge.onStage(kiosk.id)).toBe(true);
    expect(edge.hands()).toEqual([]);
    expect(events).toEqual(['handschanged', 'stagechanged']);

    // Taken back: the kiosk stops sending here.
    const left: Participant[] = [];
    edge.on('stageleft', (p) => left.push(p));
    o.takeFloor(kiosk.id);
    applyOrigin(edge, roomState(o, 'baku'), 'ganja');
    expect(edge.onStage(kiosk.id)).toBe(false);
    expect(left).toEqual([kiosk]);

    // The same state again changes nothing; the trainer gone from the origin leaves the copy.
    events.length = 0;
    applyOrigin(edge, roomState(o, 'baku'), 'ganja');
    expect(events).toEqual([]);
    o.leave(trainer.id);
    applyOrigin(edge, roomState(o, 'baku'), 'ganja');
    expect(edge.trainer).toBeUndefined();
    expect(events).toContain('participantleft');
  });

  it('a node with only other nodes\' participants is empty; its own participants never leave by a copy', () => {
    const { o } = origin();
    const edge = lecture();
    applyOrigin(edge, roomState(o, 'baku'), 'ganja');
    expect(edge.participants).toHaveLength(1);
    expect(edge.isEmpty).toBe(true);
    const mine = new Participant({ role: 'attendee', displayName: 'Leyla', identity: 'attendee:1' });
    edge.join(mine);
    applyOrigin(edge, roomState(o, 'baku'), 'ganja'); // the origin does not know it yet
    expect(edge.participant(mine.id)).toBe(mine);
  });

  it("the copy's lobby is the origin's: other nodes' waiting people come and go with it, this node's own stay, and only its own keep the room open", () => {
    const { o } = origin();
    o.setLocked(true);
    const edge = lecture();
    // Someone waits on ganja (this edge), someone on sheki (another edge): the origin's lobby holds both.
    edge.waitInLobby('w-ganja', 'Aysel', 'attendee:a');
    o.waitInLobby('w-ganja', 'Aysel', 'attendee:a', { node: 'ganja', since: 1 });
    o.waitInLobby('w-sheki', 'Bahram', 'attendee:b', { node: 'sheki', since: 2 });
    const deltas: unknown[] = [];
    edge.on('lobbychanged', (d) => deltas.push(d));
    applyOrigin(edge, roomState(o, 'baku'), 'ganja');
    expect(edge.lobby().map((w) => w.displayName).sort()).toEqual(['Aysel', 'Bahram']);
    expect(edge.lobbyEntry('w-ganja')?.node).toBeUndefined();
    expect(edge.lobbyEntry('w-sheki')?.node).toBe('sheki');
    expect(deltas).toEqual([{ added: [{ peerId: 'w-sheki', displayName: 'Bahram', since: 2 }], removed: [] }]);
    // Bahram left sheki's lobby: gone from the copy; Aysel (this node's, unknown to a later origin) stays.
    o.leaveLobby('w-sheki');
    o.leaveLobby('w-ganja');
    deltas.length = 0;
    applyOrigin(edge, roomState(o, 'baku'), 'ganja');
    expect(edge.lobby().map((w) => w.displayName)).toEqual(['Aysel']);
    expect(deltas).toEqual([{ added: [], removed: ['w-sheki'] }]);
    expect(edge.isEmpty).toBe(false);
    edge.leaveLobby('w-ganja');
    o.waitInLobby('w-sheki2', 'Bahram', 'attendee:b', { node: 'sheki', since: 3 });
    applyOrigin(edge, roomState(o, 'baku'), 'ganja');
    expect(edge.lobby()).toHaveLength(1);
    expect(edge.isEmpty).toBe(true);
  });
});
