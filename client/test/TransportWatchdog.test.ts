import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DISCONNECTED_GRACE_MS, ICE_RESTART_TIMEOUT_MS, TransportWatchdog, type Direction } from '../src/media/TransportWatchdog.js';

function setup(restart: () => Promise<void> = () => Promise.resolve()) {
  const calls: string[] = [];
  const recovering: boolean[] = [];
  const dog = new TransportWatchdog({
    restartIce: (d: Direction) => {
      calls.push(`restartIce ${d}`);
      return restart();
    },
    rebuild: (d: Direction) => calls.push(`rebuild ${d}`),
    onRecovering: (r) => recovering.push(r),
  });
  return { dog, calls, recovering };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('TransportWatchdog', () => {
  it('gives a disconnected transport its grace time, then restarts ICE; connected again ends it', async () => {
    const { dog, calls, recovering } = setup();
    dog.update('recv', 'connected');
    dog.update('recv', 'disconnected');
    expect(dog.recovering).toBe(true);
    await vi.advanceTimersByTimeAsync(DISCONNECTED_GRACE_MS - 1);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['restartIce recv']);
    dog.update('recv', 'connected');
    await vi.advanceTimersByTimeAsync(ICE_RESTART_TIMEOUT_MS * 2);
    expect(calls).toEqual(['restartIce recv']);
    expect(dog.recovering).toBe(false);
    expect(recovering).toEqual([true, false]);
  });

  it('a disconnected transport that heals alone within the grace time is left alone', async () => {
    const { dog, calls } = setup();
    dog.update('send', 'disconnected');
    await vi.advanceTimersByTimeAsync(DISCONNECTED_GRACE_MS / 2);
    dog.update('send', 'connected');
    await vi.advanceTimersByTimeAsync(DISCONNECTED_GRACE_MS * 3);
    expect(calls).toEqual([]);
  });

  it('restarts ICE at once on failed, and rebuilds when it is not connected within the timeout', async () => {
    const { dog, calls } = setup();
    dog.update('send', 'failed');
    expect(calls).toEqual(['restartIce send']);
    dog.update('send', 'connecting');
    await vi.advanceTimersByTimeAsync(ICE_RESTART_TIMEOUT_MS);
    expect(calls).toEqual(['restartIce send', 'rebuild send']);
    expect(dog.recovering).toBe(false);
  });

  it('rebuilds at once when the ICE restart request fails', async () => {
    const { dog, calls } = setup(() => Promise.reject(new Error('NOT_FOUND')));
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    dog.update('recv', 'failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['restartIce recv', 'rebuild recv']);
    await vi.advanceTimersByTimeAsync(ICE_RESTART_TIMEOUT_MS * 2);
    expect(calls).toEqual(['restartIce recv', 'rebuild recv']);
  });

  it('reset() drops every timer (the media was detached)', async () => {
    const { dog, calls } = setup();
    dog.update('recv', 'disconnected');
    dog.update('send', 'failed');
    dog.reset();
    await vi.advanceTimersByTimeAsync(DISCONNECTED_GRACE_MS + ICE_RESTART_TIMEOUT_MS);
    expect(calls).toEqual(['restartIce send']);
    expect(dog.recovering).toBe(false);
  });
});
