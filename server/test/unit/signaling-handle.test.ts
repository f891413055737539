// handle(): authorize → validate → call → ack, exactly one ack per request, codes for every
// refusal; and the permission table it authorizes with. Plain objects stand in for the session
// (no socket is needed to be refused or to reach a handler).
import { METHODS, TeleclassError, type Ack, type Method } from '@teleclass/shared';
import { describe, expect, it } from 'vitest';
import { allowed, mayProduce, PERMISSIONS } from '../../src/lecture/permissions.js';
import type { Handlers, Session, SignalingDeps } from '../../src/signaling/context.js';
import { handle } from '../../src/signaling/handle.js';
import { testLogger } from '../helpers.js';

const observed: { method: string; outcome: string }[] = [];
const deps = { logger: testLogger(), observe: (method: string, outcome: string) => observed.push({ method, outcome }) } as unknown as SignalingDeps;
const joinedAs = (role: 'trainer' | 'site' | 'attendee') => ({ participant: { id: 'p1', role }, room: { lecture: { id: 'l1' } } }) as unknown as Session;
const notJoined = {} as Session;

async function run(method: Method, payload: unknown, session: Session, impl: (...args: unknown[]) => Promise<unknown>) {
  const acks: Ack<unknown>[] = [];
  const handlers = new Proxy({}, { get: () => impl }) as Handlers;
  await handle(method, payload, (a) => acks.push(a), session, handlers, deps);
  expect(acks).toHaveLength(1);
  return acks[0]!;
}

describe('handle()', () => {
  it('refuses before joining, and a second join', async () => {
    const called: string[] = [];
    const impl = async () => void called.push('x');
    expect(await run('giveFloor', { peerId: 'x' }, notJoined, impl)).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    expect(await run('join', {}, joinedAs('site'), impl)).toMatchObject({ ok: false, error: { code: 'ALREADY_JOINED' } });
    expect(called).toEqual([]);
  });

  it('refuses what the role may not call, without calling the use-case', async () => {
    let calls = 0;
    const answer = await run('giveFloor', { peerId: 'x' }, joinedAs('site'), async () => void calls++);
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(calls).toBe(0);
  });

  it('validates the payload (BAD_REQUEST naming the field) before calling', async () => {
    let calls = 0;
    const answer = await run('giveFloor', { peerId: 42 }, joinedAs('trainer'), async () => void calls++);
    expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((answer as { error: { message: string } }).error.message).toMatch(/^peerId: /);
    expect(calls).toBe(0);
  });

  it('answers the use-case\'s result, its coded error, or INTERNAL for anything else', async () => {
    expect(await run('giveFloor', { peerId: 'x' }, joinedAs('trainer'), async () => ({ done: 1 }))).toEqual({ ok: true, data: { done: 1 } });
    expect(await run('giveFloor', { peerId: 'x' }, joinedAs('trainer'), async () => Promise.reject(new TeleclassError('LECTURE_NOT_LIVE')))).toMatchObject({
      ok: false,
      error: { code: 'LECTURE_NOT_LIVE' },
    });
    const internal = await run('giveFloor', { peerId: 'x' }, joinedAs('trainer'), async () => Promise.reject(new Error('secret detail')));
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('secret detail');
    expect(observed.slice(-3).map((o) => o.outcome)).toEqual(['ok', 'LECTURE_NOT_LIVE', 'INTERNAL']);
  });
});

describe('the permission table', () => {
  it('covers every method; only join, resume, routerCapabilities and prepareRecv come before joining; the trainer runs the lecture', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...METHODS].sort());
    for (const m of METHODS) expect(allowed(m, undefined)).toBe(m === 'join' || m === 'resume' || m === 'routerCapabilities' || m === 'prepareRecv' ? 'ok' : 'NOT_JOINED');
    for (const m of ['startLecture', 'endLecture', 'giveFloor', 'takeFloor', 'muteParticipant', 'removeParticipant', 'admit', 'setLocked'] as const) {
      expect(allowed(m, 'trainer')).toBe('ok');
      expect(allowed(m, 'site')).toBe('FORBIDDEN');
      expect(allowed(m, 'attendee')).toBe('FORBIDDEN');
    }
    expect(allowed('raiseHand', 'trainer')).toBe('FORBIDDEN');
  });

  it('sending: the trainer anything; others camera and microphone only with the floor', () => {
    for (const source of ['camera', 'microphone', 'screen'] as const) expect(mayProduce('trainer', false, source)).toBe(true);
    for (const role of ['site', 'attendee'] as const) {
      expect(mayProduce(role, false, 'microphone')).toBe(false);
      expect(mayProduce(role, true, 'microphone')).toBe(true);
      expect(mayProduce(role, true, 'camera')).toBe(true);
      expect(mayProduce(role, true, 'screen')).toBe(false);
    }
  });
});
