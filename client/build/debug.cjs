/**
 * The `debug` package as mediasoup-client, awaitqueue and h264-profile-level-id use it (their
 * loggers: debug(namespace), `.log` set to a console method, `.enabled`), for the pages' build
 * (client/vite.config.ts resolves `debug` here; tests use the package): ~1.4 kB brotli less than
 * debug's browser build with `ms`. The same switch: `localStorage.debug` (or `DEBUG`) with the
 * same patterns (`mediasoup-client:*`, commas or spaces, `-` to leave out), read at load and set
 * again by `enable()`; the same format strings (`%o`, `%s` … are the console's), the namespace
 * before and the time since that logger's last line after (in ms), without colours.
 * client/test/debugShim.test.ts checks it.
 */
'use strict';

let names = [];
let skips = [];
const store = () => {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
};

function parse(spec) {
  names = [];
  skips = [];
  for (const part of String(spec || '').trim().split(/[\s,]+/)) {
    if (!part) continue;
    const re = new RegExp('^' + part.replace(/^-/, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?') + '$');
    (part[0] === '-' ? skips : names).push(re);
  }
}

function isEnabled(name) {
  return !skips.some((re) => re.test(name)) && names.some((re) => re.test(name));
}

function createDebug(namespace) {
  let last = 0;
  let forced;
  function debug(...args) {
    if (!debug.enabled) return;
    const now = Date.now();
    const ms = last ? now - last : 0;
    last = now;
    if (args[0] instanceof Error) args[0] = args[0].stack || args[0].message;
    if (typeof args[0] !== 'string') args.unshift('%O');
    args[0] = `${namespace} ${args[0]} +${ms}ms`;
    (debug.log || console.debug || console.log).apply(console, args);
  }
  debug.namespace = namespace;
  debug.log = undefined;
  debug.extend = (sub, delimiter = ':') => createDebug(namespace + delimiter + sub);
  debug.destroy = () => false;
  Object.defineProperty(debug, 'enabled', {
    get: () => forced ?? isEnabled(namespace),
    set: (value) => {
      forced = value;
    },
  });
  return debug;
}

createDebug.enable = (spec) => {
  try {
    if (spec) store()?.setItem('debug', spec);
    else store()?.removeItem('debug');
  } catch {
    // storage refused (private mode): enabled for this page only
  }
  parse(spec);
};
createDebug.disable = () => {
  const was = [...names.map((re) => re.source), ...skips.map((re) => '-' + re.source)].join(',');
  createDebug.enable('');
  return was;
};
createDebug.enabled = isEnabled;
createDebug.default = createDebug;

try {
  parse(store()?.getItem('debug') || store()?.getItem('DEBUG'));
} catch {
  // no storage: everything off, as with debug itself
}

module.exports = createDebug;
