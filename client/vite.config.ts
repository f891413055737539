import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// `npm start` serves the built client itself. For `vite client` during development, signaling and
// the admin API are proxied to that server (TELECLASS_URL, default https://localhost:8443, self-signed).
const target = process.env['TELECLASS_URL'] ?? 'https://localhost:8443';

/** Text assets worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|json|svg|txt)$/;

/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9) beside every text asset once
 * the build is written, so the server sends pre-compressed bytes at no CPU cost per request
 * (server/src/http/staticClient.ts picks one by the request's Accept-Encoding).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'teleclass-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
        const file = path.join(entry.parentPath, entry.name);
        const bytes = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

/** mediasoup-client's Device module: everything the pages use of the package. */
const MEDIASOUP_INDEX = createRequire(import.meta.url).resolve('mediasoup-client');
const MEDIASOUP_DEVICE = path.join(path.dirname(MEDIASOUP_INDEX), 'Device.js');
const MEDIASOUP_REMOTE_SDP = path.join(path.dirname(MEDIASOUP_INDEX), 'handlers', 'sdp', 'RemoteSdp.js');
const MEDIASOUP_VERSION = (JSON.parse(readFileSync(path.join(path.dirname(MEDIASOUP_INDEX), '..', 'package.json'), 'utf8')) as { version: string }).version;
const NO_REACT_NATIVE = '\0teleclass:mediasoup-client-no-react-native';
const MEDIASOUP_VERSION_ONLY = '\0teleclass:mediasoup-client-version';

/**
 * mediasoup-client in the pages' build without what no browser runs. The package is CommonJS, so
 * nothing of it is tree-shaken: its index also loads FakeHandler and its test parameters (for
 * Node tests), and its Device the React Native handler (used only where `navigator.product` is
 * "ReactNative"). The pages import only `Device` (and types), so `mediasoup-client` resolves to
 * its Device module, the SDP writer's import of the index (for the version it names in the SDP)
 * to the version alone, and Device's React Native handler to a stub that refuses. Chrome111,
 * Chrome74 (Chromium 107–110, e.g. Windows 7's last Chrome), Firefox120 and Safari12 stay.
 * Tests (vitest) use the whole package.
 */
function browserOnlyMediasoup(): Plugin {
  return {
    name: 'teleclass-browser-only-mediasoup',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'mediasoup-client') return MEDIASOUP_DEVICE;
      if (source === './handlers/ReactNative106' && importer === MEDIASOUP_DEVICE) return NO_REACT_NATIVE;
      if (source === '../../' && importer === MEDIASOUP_REMOTE_SDP) return MEDIASOUP_VERSION_ONLY;
      return null;
    },
    load(id) {
      if (id === NO_REACT_NATIVE) return `export class ReactNative106 { static createFactory() { throw new Error('React Native is not served by this build'); } }`;
      if (id === MEDIASOUP_VERSION_ONLY) return `export const version = ${JSON.stringify(MEDIASOUP_VERSION)};`;
      return null;
    },
  };
}

const requireHere = createRequire(import.meta.url);
/** engine.io-client's ES build (socket.io-client's transport layer). */
const ENGINE_IO_ESM = path.join(path.dirname(createRequire(requireHere.resolve('socket.io-client')).resolve('engine.io-client')), '..', 'esm');
const WEBSOCKET_ONLY = '\0teleclass:engine.io-websocket-only';
const ENGINE_WEBSOCKET_ONLY = '\0teleclass:engine.io-client';
const esm = (file: string) => JSON.stringify(path.join(ENGINE_IO_ESM, file));

/**
 * socket.io-client's engine loads all its transports whatever the options ask for: HTTP
 * long-polling and WebTransport as well as WebSocket (~2.5 kB brotli). Every page connects with
 * `transports: ['websocket']` (SignalingClient.connect), so in the pages' build the engine's table
 * of transports holds the WebSocket one only, and socket.io-client gets the engine's parts from
 * their modules rather than from its index, which loads the others (socket.io-client's own
 * re-exports of the transport classes are left undefined: nothing here uses them). Tests
 * (vitest) use the whole package.
 */
function websocketOnlyEngine(): Plugin {
  return {
    name: 'teleclass-websocket-only-engine',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './transports/index.js' && importer === path.join(ENGINE_IO_ESM, 'socket.js')) return WEBSOCKET_ONLY;
      if (source === 'engine.io-client' && importer?.includes(`${path.sep}socket.io-client${path.sep}`)) return ENGINE_WEBSOCKET_ONLY;
      return null;
    },
    load(id) {
      if (id === WEBSOCKET_ONLY) return `import { WS } from ${esm('transports/websocket.js')};\nexport const transports = { websocket: WS };`;
      if (id === ENGINE_WEBSOCKET_ONLY) {
        return [
          `export { Socket } from ${esm('socket.js')};`,
          `export { installTimerFunctions } from ${esm('util.js')};`,
          `export { nextTick } from ${esm('globals.js')};`,
          `export { parse } from ${esm('contrib/parseuri.js')};`,
          `export { WS as WebSocket } from ${esm('transports/websocket.js')};`,
          `export const Fetch = undefined, NodeXHR = undefined, XHR = undefined, NodeWebSocket = undefined, WebTransport = undefined;`,
        ].join('\n');
      }
      return null;
    },
  };
}

/** `debug` in the pages' build: client/build/debug.cjs (the same switch and format, ~1.4 kB brotli less). */
const SMALL_DEBUG = path.join(path.dirname(fileURLToPath(import.meta.url)), 'build', 'debug.cjs');

/** mediasoup-client's EventEmitter (`events-alias`) in the pages' build: client/build/events.cjs (~1.5 kB brotli less). */
const SMALL_EVENTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'build', 'events.cjs');

function smallDebug(): Plugin {
  return {
    name: 'teleclass-small-debug',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer?.includes('node_modules')) return null;
      if (source === 'debug') return SMALL_DEBUG;
      if (source === 'events-alias') return SMALL_EVENTS;
      return null;
    },
  };
}

/** React Router's production build (its package's exports name only the development one). */
const REACT_ROUTER_PRODUCTION = path.join(path.dirname(requireHere.resolve('react-router')), '..', 'production', 'index.mjs');
const REACT_USE_SYNC_EXTERNAL_STORE = '\0teleclass:use-sync-external-store';

/**
 * Two libraries' development-time parts out of the pages' build. React Router ships a production
 * build beside the development one its `exports` point to (the same code with its development
 * warnings off), and react-i18next's `use-sync-external-store/shim` is a polyfill for React
 * before 18 that hands over React's own `useSyncExternalStore` when there is one — always, with
 * React 19 — so it is React's own here. ~1 kB brotli. Tests use the packages as they are.
 */
function productionLibraries(): Plugin {
  return {
    name: 'teleclass-production-libraries',
    apply: 'build',
    enforce: 'pre',
    resolveId(source) {
      if (source === 'react-router') return REACT_ROUTER_PRODUCTION;
      if (source === 'use-sync-external-store/shim') return REACT_USE_SYNC_EXTERNAL_STORE;
      return null;
    },
    load(id) {
      return id === REACT_USE_SYNC_EXTERNAL_STORE ? `export { useSyncExternalStore } from 'react';` : null;
    },
  };
}

const PAGES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'src', 'pages');
const page = (name: string) => path.join(PAGES, `${name}.tsx`);

/**
 * The weak-link pages' code in as few files as possible. Left to itself the bundler makes a chunk
 * of every set of modules the same pages share, so the watch and kiosk pages each fetched a dozen
 * files, some of a few hundred bytes; each costs its own compression context and import lines
 * (together ~2 kB brotli). From the module graph (static imports), apart from what the entry holds:
 * - `lecture`: what both the watch and the kiosk page load and the admin, home and recording
 *   pages do not (the session, mediasoup-client, socket.io, the stage);
 * - `common`: what both load and one of those pages loads too (react-i18next's hook, the language
 *   switch, the clock, icons), so that those pages do not fetch the lecture code;
 * - `Watch`, `Kiosk`: what one of the two alone loads (the page, its panels, the kiosk's
 *   pre-flight check), leaving out what the classroom page (Site, which the kiosk shows when a
 *   lecture is live) or those other pages load as well.
 * The studio loads `lecture` and parts of these; the other pages are split as the bundler chooses.
 */
function lectureChunks() {
  const sets = { lecture: new Set<string>(), common: new Set<string>(), Watch: new Set<string>(), Kiosk: new Set<string>() };
  const plugin: Plugin = {
    name: 'teleclass-lecture-chunks',
    apply: 'build',
    buildEnd() {
      const reach = (from: string[]): Set<string> => {
        const seen = new Set<string>();
        const todo = [...from];
        while (todo.length > 0) {
          const id = todo.pop()!;
          if (seen.has(id)) continue;
          seen.add(id);
          todo.push(...(this.getModuleInfo(id)?.importedIds ?? []));
        }
        return seen;
      };
      const entry = reach([...this.getModuleIds()].filter((id) => this.getModuleInfo(id)?.isEntry));
      const watch = reach([page('Watch')]);
      const kiosk = reach([page('Kiosk')]);
      const site = reach([page('Site')]);
      const others = reach(['Admin', 'Home', 'Recording'].map(page));
      for (const id of new Set([...watch, ...kiosk])) {
        if (entry.has(id)) continue;
        if (watch.has(id) && kiosk.has(id)) sets[others.has(id) ? 'common' : 'lecture'].add(id);
        else if (others.has(id) || site.has(id)) continue;
        else sets[watch.has(id) ? 'Watch' : 'Kiosk'].add(id);
      }
    },
  };
  const groups = Object.entries(sets).map(([name, set]) => ({ name, test: (id: string) => set.has(id) }));
  return { plugin, groups };
}
const chunks = lectureChunks();

export default defineConfig(() => ({
  plugins: [react(), precompress(), browserOnlyMediasoup(), websocketOnlyEngine(), smallDebug(), productionLibraries(), chunks.plugin],
  server: {
    proxy: {
      '/socket.io': { target, ws: true, secure: false, changeOrigin: true },
      '/api': { target, secure: false, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the build: nothing to leak (the server refuses *.map anyway).
    sourcemap: false,
    // No module-preload polyfill (~0.4 kB brotli on every page): it fetches `<link rel=modulepreload>`
    // for browsers without it, and without it Vite's loader asks those browsers for `rel=preload`
    // instead, so a page's chunks are still fetched side by side everywhere.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: { includeDependenciesRecursively: false, groups: chunks.groups },
        // A catalog's file says its language and area (`az-lecture-<hash>.js`; client/src/i18n/catalogs.ts).
        chunkFileNames: (chunk) => {
          const catalog = /[\\/]i18n[\\/](\w+)[\\/](\w+)\.json$/.exec(chunk.facadeModuleId ?? '');
          return catalog ? `assets/${catalog[2]}-${catalog[1]}-[hash].js` : 'assets/[name]-[hash].js';
        },
      },
    },
  },
}));
