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

/**
 * socket.io-client's engine loads all its transports whatever the options ask for: HTTP
 * long-polling and WebTransport as well as WebSocket (~1.4 kB brotli; the XHR module stays, the
 * engine's index exports it and it registers an unload listener). Every page connects with
 * `transports: ['websocket']` (SignalingClient.connect), so in the pages' build the engine's table
 * of transports holds the WebSocket one only. Tests (vitest) use the whole package.
 */
function websocketOnlyEngine(): Plugin {
  return {
    name: 'teleclass-websocket-only-engine',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './transports/index.js' && importer === path.join(ENGINE_IO_ESM, 'socket.js')) return WEBSOCKET_ONLY;
      return null;
    },
    load(id) {
      if (id !== WEBSOCKET_ONLY) return null;
      return `import { WS } from ${JSON.stringify(path.join(ENGINE_IO_ESM, 'transports', 'websocket.js'))};\nexport const transports = { websocket: WS };`;
    },
  };
}

/** `debug` in the pages' build: client/build/debug.cjs (the same switch and format, ~1.4 kB brotli less). */
const SMALL_DEBUG = path.join(path.dirname(fileURLToPath(import.meta.url)), 'build', 'debug.cjs');

function smallDebug(): Plugin {
  return {
    name: 'teleclass-small-debug',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === 'debug' && importer?.includes('node_modules') ? SMALL_DEBUG : null;
    },
  };
}

export default defineConfig(() => ({
  plugins: [react(), precompress(), browserOnlyMediasoup(), websocketOnlyEngine(), smallDebug()],
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
  },
}));
