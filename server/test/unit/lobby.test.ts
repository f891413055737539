// The lobby of a locked lecture (Lobby, held by Lecture): its cap, admissions and a node's copy
// of the other nodes' waiting people.
import { describe, expect, it } from 'vitest';
import { Lecture } from '../../src/lecture/Lecture.js';
import { Lobby, type LobbyEntry } from '../../src/lecture/Lobby.js';

const entry = (peerId: string, identity = `id-${peerId}`, node?: string): LobbyEntry => ({ peerId, displayName: peerId, identity, since: 1, ...(node && { node }) });

describe('Lobby', () => {
  it('holds at most its cap; admitting someone not waiting is NOT_FOUND', () => {
    const lobby = new Lobby(2);
    lobby.add(entry('a'));
    lobby.add(entry('b'));
    expect(() => lobby.add(entry('c'))).toThrow(expect.objectContaining({ code: 'LIMIT' }));
    expect(lobby.ids()).toEqual(['a', 'b']);
    expect(() => lobby.admit('nobody')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(lobby.admit('a').identity).toBe('id-a');
    expect(lobby.isAdmitted('id-a')).toBe(true);
    lobby.revoke('id-a');
    expect(lobby.isAdmitted('id-a')).toBe(false);
  });

  it("replaces the other nodes' waiting people and keeps this node's own", () => {
    const lobby = new Lobby();
    lobby.add(entry('mine'));
    lobby.add(entry('gone', 'g', 'ganja-1'));
    lobby.add(entry('kept', 'k', 'ganja-1'));
    expect(lobby.hasOwn()).toBe(true);
    const change = lobby.replaceOthers([entry('kept', 'k', 'ganja-1'), entry('new', 'n', 'sheki-1')]);
    expect(change).toEqual({ added: [{ peerId: 'new', displayName: 'new', since: 1 }], removed: ['gone'] });
    expect(lobby.ids().sort()).toEqual(['kept', 'mine', 'new']);
    lobby.remove('mine');
    expect(lobby.hasOwn()).toBe(false);
  });

  it('in a locked lecture: an admitted identity no longer waits; unlocking admits everyone waiting', () => {
    const lecture = new Lecture({ id: 'l', title: 't', scheduledStart: '2026-12-01T09:00:00Z', state: 'live', locked: true, startedAt: 1, endedAt: null, stageSize: 2, maxLobby: 5 });
    const changes: unknown[] = [];
    lecture.on('lobbychanged', (d) => changes.push(d));
    expect(lecture.mustWait('attendee', 'id-a')).toBe(true);
    expect(lecture.mustWait('site', 'id-site')).toBe(false);
    lecture.waitInLobby('a', 'Leyla', 'id-a');
    lecture.waitInLobby('b', 'Kamran', 'id-b');
    expect(lecture.admit('a')).toBe('a');
    expect(lecture.mustWait('attendee', 'id-a')).toBe(false);
    expect(lecture.lobby().map((l) => l.peerId)).toEqual(['b']);
    expect(lecture.setLocked(false)).toEqual(['b']);
    expect(lecture.lobby()).toEqual([]);
    expect(changes).toHaveLength(4);
  });
});
