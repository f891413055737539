// The pages' build swaps mediasoup-client's EventEmitter (the `events` package, as `events-alias`)
// for client/build/events.cjs (README, "Weak connections"). It must behave as the package does for
// what mediasoup-client calls: the order listeners run in, once, prepend, removal (by the function
// given, during an emit), the answers of emit, listenerCount, listeners and rawListeners, and an
// `error` event nobody listens to.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

type Listener = (...args: unknown[]) => void;
interface Emitter {
  on(name: string, l: Listener): Emitter;
  addListener(name: string, l: Listener): Emitter;
  prependListener(name: string, l: Listener): Emitter;
  once(name: string, l: Listener): Emitter;
  prependOnceListener(name: string, l: Listener): Emitter;
  off(name: string, l: Listener): Emitter;
  removeListener(name: string, l: Listener): Emitter;
  removeAllListeners(name?: string): Emitter;
  emit(name: string, ...args: unknown[]): boolean;
  listenerCount(name: string): number;
  listeners(name: string): Listener[];
  rawListeners(name: string): Listener[];
  setMaxListeners(n: number): Emitter;
}
type EmitterClass = new () => Emitter;

const require = createRequire(import.meta.url);
const fromMediasoup = createRequire(require.resolve('mediasoup-client'));
const Real = (fromMediasoup('events-alias') as { EventEmitter: EmitterClass }).EventEmitter;
const Shim = (require('../build/events.cjs') as { EventEmitter: EmitterClass }).EventEmitter;

const NAMES = ['a', 'b', 'error'] as const;
type Op =
  | { op: 'on' | 'addListener' | 'prependListener' | 'once' | 'prependOnceListener'; name: string; id: number; during: number }
  | { op: 'off' | 'removeListener'; name: string; id: number }
  | { op: 'removeAll'; name: string | undefined } // 'none': called with no argument; undefined: with `undefined`
  | { op: 'emit'; name: string; arg: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('on', 'addListener', 'prependListener', 'once', 'prependOnceListener'), name: fc.constantFrom(...NAMES), id: fc.nat(5), during: fc.nat(3) }),
  fc.record({ op: fc.constantFrom('off', 'removeListener'), name: fc.constantFrom(...NAMES), id: fc.nat(5) }),
  fc.record({ op: fc.constant('removeAll'), name: fc.option(fc.constantFrom(...NAMES, 'none'), { nil: undefined }) }),
  fc.record({ op: fc.constant('emit'), name: fc.constantFrom(...NAMES), arg: fc.nat(9) }),
) as fc.Arbitrary<Op>;

/** Runs `ops` on a new emitter of `Class`: what listeners saw and what the emitter answered, step by step. */
function run(Class: EmitterClass, ops: Op[]): string[] {
  const emitter = new Class().setMaxListeners(Infinity);
  const log: string[] = [];
  // Listener `id` is the same function each time it is named, so off() finds it; `during` makes
  // some listeners add or remove another one while an emit runs.
  const made = new Map<number, Listener>();
  const listener = (id: number, during = 0): Listener => {
    if (!made.has(id)) {
      made.set(id, (...args) => {
        log.push(`${id}(${args.join(',')})`);
        if (during === 1) emitter.on('a', listener(id + 10));
        if (during === 2) emitter.off('a', listener((id + 1) % 6));
      });
    }
    return made.get(id)!;
  };
  const names = (name: string | undefined) => NAMES.map((n) => `${n}:${emitter.listenerCount(n)}`).join(' ') + ` ${name}`;
  for (const step of ops) {
    try {
      switch (step.op) {
        case 'emit':
          log.push(`emit ${String(emitter.emit(step.name, step.arg))}`);
          break;
        case 'removeAll':
          if (step.name === 'none') emitter.removeAllListeners();
          else emitter.removeAllListeners(step.name);
          break;
        case 'off':
        case 'removeListener':
          emitter[step.op](step.name, listener(step.id));
          break;
        default:
          emitter[step.op](step.name, listener(step.id, step.during));
      }
    } catch (error) {
      log.push(`threw ${(error as Error).message}`);
    }
    log.push(names(step.name));
    const ids = (list: Listener[]) => list.map((l) => [...made.entries()].find(([, f]) => f === l)?.[0] ?? 'wrapper').join(',');
    log.push(`listeners ${ids(emitter.listeners('a'))} raw ${emitter.rawListeners('a').length}`);
  }
  return log;
}

describe('the pages’ EventEmitter (client/build/events.cjs)', () => {
  it('does what the events package does, for any sequence of calls', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        expect(run(Shim, ops)).toEqual(run(Real, ops));
      }),
      { numRuns: 400 },
    );
  });

  it('throws an error event nobody listens to, as the package does', () => {
    for (const Class of [Real, Shim]) {
      expect(() => new Class().emit('error', new Error('boom'))).toThrow('boom');
      expect(() => new Class().emit('error', { message: 'text' })).toThrow('Unhandled error. (text)');
      expect(() => new Class().emit('error')).toThrow('Unhandled error.');
    }
  });

  it('is found different when it is (the check can fail)', () => {
    class Reversed extends Shim {
      override emit(name: string, ...args: unknown[]): boolean {
        const raw = this.rawListeners(name).reverse();
        for (const l of raw) l.apply(this, args);
        return raw.length > 0;
      }
    }
    const ops: Op[] = [
      { op: 'on', name: 'a', id: 1, during: 0 },
      { op: 'on', name: 'a', id: 2, during: 0 },
      { op: 'emit', name: 'a', arg: 0 },
    ];
    expect(run(Reversed, ops)).not.toEqual(run(Real, ops));
  });
});
