import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger.js';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
  /** Where they came from, for the log. */
  certPath: string;
  generated: boolean;
}

const DEV_CERT = 'teleclass-dev-cert.pem';
const DEV_KEY = 'teleclass-dev-key.pem';
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

/** localhost and every address of this machine, so other machines on the LAN can connect too. */
function subjectAltNames(): string {
  const ips = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const nic of list ?? []) if (!nic.address.startsWith('fe80')) ips.add(nic.address);
  }
  return ['DNS:localhost', `DNS:${os.hostname()}`, ...[...ips].map((ip) => `IP:${ip}`)].join(',');
}

function usable(certPath: string): boolean {
  try {
    const cert = new X509Certificate(readFileSync(certPath));
    return Date.parse(cert.validTo) - Date.now() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

/**
 * The certificate from TLS_CERT/TLS_KEY when given; otherwise a self-signed one in the certs
 * folder, generated (with Debian's openssl) on first start and again when it is about to expire.
 */
export function loadTls(
  opts: { certFile?: string | undefined; keyFile?: string | undefined; certsDir: string },
  logger: Logger,
): TlsFiles {
  if (opts.certFile && opts.keyFile) {
    return { cert: readFileSync(opts.certFile), key: readFileSync(opts.keyFile), certPath: opts.certFile, generated: false };
  }
  const certPath = path.join(opts.certsDir, DEV_CERT);
  const keyPath = path.join(opts.certsDir, DEV_KEY);
  let generated = false;
  if (!existsSync(keyPath) || !usable(certPath)) {
    mkdirSync(opts.certsDir, { recursive: true });
    const san = subjectAltNames();
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-days', '365', '-subj', '/CN=Teleclass development certificate',
        '-addext', `subjectAltName=${san}`, '-addext', 'extendedKeyUsage=serverAuth',
        '-keyout', keyPath, '-out', certPath,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    generated = true;
    logger.warn({ certPath, san }, 'generated a self-signed TLS certificate; browsers will ask to trust it (set TLS_CERT and TLS_KEY for a real one)');
  }
  return { cert: readFileSync(certPath), key: readFileSync(keyPath), certPath, generated };
}
