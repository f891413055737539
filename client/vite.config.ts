import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm start` serves the built client itself. For `vite client` during development, signaling and
// the admin API are proxied to that server (TELECLASS_URL, default https://localhost:8443, self-signed).
const target = process.env['TELECLASS_URL'] ?? 'https://localhost:8443';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/socket.io': { target, ws: true, secure: false, changeOrigin: true },
      '/api': { target, secure: false, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // react + mediasoup-client + zod come to ~650 kB (~170 kB gzipped), loaded once per kiosk.
    chunkSizeWarningLimit: 1000,
  },
});
