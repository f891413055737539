// ICE restarts without races (issue 18 item 4), on the client's LazyTransport with a signaling
// stand-in whose answers the test releases in any order: only the newest round's credentials
// are ever given to the transport; an answer for a transport that closed or was replaced is
// dropped; a restart whose request fails (the connection went) rejects, so the caller knows the
// server may hold credentials it never saw. And the watchdog can restart at once (a resume).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { types } from 'mediasoup-client';
import { TeleclassError } from '@teleclass/shared';
import { LazyTransport } from '../src/media/transports.js';
import { TransportWatchdog } from '../src/media/TransportWatchdog.js';
import type { SignalingClient } from '../src/signaling/SignalingClient.js';

interface Asked {
  transportId: string;
  answer(ufrag: string): void;
  fail(error: Error): void;
}

function fakeSignaling() {
  const asked: Asked[] = [];
  const signaling = {
    request: (_method: string, payload: { transportId: string }) =>
      new Promise((resolve, reject) => {
        asked.push({
          transportId: payload.transportId,
          answer: (ufrag) => resolve({ iceParameters: { usernameFragment: ufrag, password: 'p', iceLite: true } }),
          fail: reject,
        });
      }),
  } as unknown as SignalingClient;
  return { signaling, asked };
}

function fakeTransport(id: string) {
  const applied: string[] = [];
  const transport = {
    id,
    closed: false,
    async restartIce({ iceParameters }: { iceParameters: types.IceParameters }) {
      applied.push(iceParameters.usernameFragment);
    },
    close() {
      this.closed = true;
    },
  };
  return { transport: transport as unknown as types.Transport & { closed: boolean }, applied };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
beforeEach(() => vi.spyOn(console, 'warn').mockImplementation(() => undefined));
afterEach(() => vi.restoreAllMocks());

describe('LazyTransport.restartIce', () => {
  it('applies only the newest round: an older answer arriving last is ignored', async () => {
    const { signaling, asked } = fakeSignaling();
    const { transport, applied } = fakeTransport('t1');
    const lazy = new LazyTransport(signaling, async () => transport);
    await lazy.get();
    const first = lazy.restartIce();
    const second = lazy.restartIce();
    expect(asked).toHaveLength(2);
    asked[1]!.answer('round-2');
    await second;
    asked[0]!.answer('round-1'); // late: the transport already moved on
    await first;
    expect(applied).toEqual(['round-2']);
  });

  it('in order, both answers apply (each was the newest when it came)', async () => {
    const { signaling, asked } = fakeSignaling();
    const { transport, applied } = fakeTransport('t1');
    const lazy = new LazyTransport(signaling, async () => transport);
    await lazy.get();
    const first = lazy.restartIce();
    asked[0]!.answer('a');
    await first;
    const second = lazy.restartIce();
    asked[1]!.answer('b');
    await second;
    expect(applied).toEqual(['a', 'b']);
  });

  it('drops an answer for a transport closed meanwhile', async () => {
    const { signaling, asked } = fakeSignaling();
    const { transport, applied } = fakeTransport('t1');
    const lazy = new LazyTransport(signaling, async () => transport);
    await lazy.get();
    const pending = lazy.restartIce();
    lazy.close();
    asked[0]!.answer('late');
    await pending;
    expect(applied).toEqual([]);
  });

  it('rejects with the code when the request goes unanswered, so the caller can restart again later', async () => {
    const { signaling, asked } = fakeSignaling();
    const { transport, applied } = fakeTransport('t1');
    const lazy = new LazyTransport(signaling, async () => transport);
    await lazy.get();
    const pending = lazy.restartIce();
    asked[0]!.fail(new TeleclassError('DISCONNECTED'));
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
    // Again on the new connection: the server's current credentials are applied.
    const again = lazy.restartIce();
    asked[1]!.answer('current');
    await again;
    expect(applied).toEqual(['current']);
  });
});

describe('TransportWatchdog.restartNow', () => {
  it('restarts at once, without the grace time, and rebuilds if the transport does not come back', async () => {
    vi.useFakeTimers();
    try {
      const calls: string[] = [];
      const dog = new TransportWatchdog({
        restartIce: async (d) => void calls.push(`restartIce ${d}`),
        rebuild: (d) => calls.push(`rebuild ${d}`),
      });
      dog.restartNow('recv', 'disconnected');
      expect(calls).toEqual(['restartIce recv']);
      expect(dog.recovering).toBe(true);
      dog.update('recv', 'connected');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(calls).toEqual(['restartIce recv']);
      dog.restartNow('send', 'failed');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(calls).toEqual(['restartIce recv', 'restartIce send', 'rebuild send']);
      // A transport restarted while connected that stays connected is fine: no rebuild.
      dog.restartNow('recv', 'connected');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(calls).toEqual(['restartIce recv', 'restartIce send', 'rebuild send', 'restartIce recv']);
      expect(dog.recovering).toBe(false);
    } finally {
      vi.useRealTimers();
    }
    await tick();
  });
});
