import { execFile } from 'node:child_process';
import dgram from 'node:dgram';

const bind = (port: number) =>
  new Promise<dgram.Socket>((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
const close = (s: dgram.Socket) => new Promise<void>((resolve) => s.close(() => resolve()));

/** A free UDP port P on 127.0.0.1 with P + 1 free too (RTP and RTCP), for a process to bind next. */
export async function freeUdpPortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const rtp = await bind(0);
    const port = (rtp.address() as { port: number }).port;
    const rtcp = port < 65535 ? await bind(port + 1).catch(() => undefined) : undefined;
    await close(rtp);
    if (rtcp) {
      await close(rtcp);
      return port;
    }
  }
  throw new Error('no free UDP port pair on 127.0.0.1');
}

/**
 * Whether a process on this machine has bound UDP `port` on 127.0.0.1, asked of the kernel with
 * iproute2's `ss` (netlink; /proc/net/udp is empty in some sandboxes). undefined when `ss` is
 * missing or fails: the caller then waits a fixed moment instead.
 */
export function udpPortBound(port: number): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    execFile('ss', ['-H', '-u', '-l', '-n', 'sport', '=', `:${port}`], { timeout: 2000 }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim().length > 0);
    });
  });
}
