import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

export default defineConfig(() => ({
  plugins: [react(), precompress()],
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
