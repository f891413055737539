/**
 * Node's EventEmitter as mediasoup-client uses it (its EnhancedEventEmitter extends it; the
 * package depends on `events` under the name `events-alias`), for the pages' build
 * (client/vite.config.ts resolves `events-alias` here; tests use the package): ~1.5 kB brotli
 * less than the `events` package, which also carries Node's warnings, domains, async iterators
 * and `once(emitter, name)`. The same behaviour for the methods it calls: listeners run in order
 * on a copy of the list (a listener added or removed during an emit does not change that emit),
 * `once` listeners are removed before they run and can be removed by the function given, `emit`
 * answers whether any listener ran and throws an `error` event that nobody listens to, and the
 * `newListener`/`removeListener` events are not emitted (nothing here listens to them).
 * client/test/eventsShim.test.ts checks it against the package.
 */
'use strict';

class EventEmitter {
  constructor() {
    this._events = new Map();
  }

  setMaxListeners() {
    return this; // no leak warnings in the pages
  }

  getMaxListeners() {
    return Infinity;
  }

  _add(name, listener, prepend) {
    if (typeof listener !== 'function') throw new TypeError('The "listener" argument must be of type function');
    const list = this._events.get(name);
    if (!list) this._events.set(name, [listener]);
    else if (prepend) list.unshift(listener);
    else list.push(listener);
    return this;
  }

  on(name, listener) {
    return this._add(name, listener, false);
  }

  addListener(name, listener) {
    return this._add(name, listener, false);
  }

  prependListener(name, listener) {
    return this._add(name, listener, true);
  }

  _once(name, listener) {
    if (typeof listener !== 'function') throw new TypeError('The "listener" argument must be of type function');
    const wrapper = (...args) => {
      this.removeListener(name, wrapper);
      return listener.apply(this, args);
    };
    wrapper.listener = listener;
    return wrapper;
  }

  once(name, listener) {
    return this._add(name, this._once(name, listener), false);
  }

  prependOnceListener(name, listener) {
    return this._add(name, this._once(name, listener), true);
  }

  removeListener(name, listener) {
    const list = this._events.get(name);
    if (!list) return this;
    // The last one added goes first, as Node does.
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        if (list.length === 1) this._events.delete(name);
        else this._events.set(name, [...list.slice(0, i), ...list.slice(i + 1)]);
        break;
      }
    }
    return this;
  }

  off(name, listener) {
    return this.removeListener(name, listener);
  }

  // All of them when called with no name; with one, even `undefined`, that event's only (as Node
  // counts arguments: mediasoup-client's own removeAllListeners(eventName) passes one on).
  removeAllListeners(...name) {
    if (name.length === 0) this._events.clear();
    else this._events.delete(name[0]);
    return this;
  }

  emit(name, ...args) {
    const list = this._events.get(name);
    if (!list) {
      if (name !== 'error') return false;
      const error = args[0];
      if (error instanceof Error) throw error;
      const unhandled = new Error(`Unhandled error.${error ? ` (${error.message})` : ''}`);
      unhandled.context = error;
      throw unhandled;
    }
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }

  listenerCount(name) {
    return this._events.get(name)?.length ?? 0;
  }

  listeners(name) {
    return (this._events.get(name) ?? []).map((listener) => listener.listener ?? listener);
  }

  rawListeners(name) {
    return [...(this._events.get(name) ?? [])];
  }

  eventNames() {
    return [...this._events.keys()];
  }
}

module.exports = EventEmitter;
module.exports.EventEmitter = EventEmitter;
module.exports.default = EventEmitter;
