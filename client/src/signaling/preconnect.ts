/**
 * The page's connection, opened as it loads (an attendee's name screen) before the join press, as
 * Jitsi and LiveKit pre-connect: the socket.io connection (TLS, WebSocket, the handshake with the
 * token the page already has) and the mediasoup-client Device loaded with the router's
 * capabilities (`routerCapabilities`) are done while the person types, and its receiving
 * transport opened and connected (`prepareRecv`), so the join press is one round trip from media
 * (`join { rtpCapabilities }` brings the consumers on that transport). The session takes the
 * connection over when it starts with the same token (`takePreconnected`); else it is closed.
 */
import { Device, type types } from 'mediasoup-client';
import type { RequestOf } from '@teleclass/shared';
import { loadDevice } from '../media/loadDevice.js';
import { pageDtlsIdentity } from '../media/dtlsIdentity.js';
import { SignalingClient } from './SignalingClient.js';

/** Each connection's device, loaded once with the capabilities asked before joining. */
const preloads = new WeakMap<SignalingClient, Promise<Device | null>>();

/**
 * The device of this connection, loaded with the router's capabilities asked before joining
 * (asked once per client; sent when it connects). null: not available (the request failed, or
 * this browser cannot load a device): the join answer's capabilities are used then, as before.
 */
export function preloadDevice(signaling: SignalingClient, create: () => Promise<Device>): Promise<Device | null> {
  let preload = preloads.get(signaling);
  if (!preload) {
    preload = signaling
      .request('routerCapabilities', {})
      .then(
        ({ routerRtpCapabilities }) => loadDevice(create, routerRtpCapabilities as types.RtpCapabilities),
        () => null,
      )
      .then(async (device) => {
        if (!device) preloads.delete(signaling); // asked again on the next join (e.g. it timed out before the server was up)
        else await prepareReception(signaling, device);
        return device;
      });
    preloads.set(signaling, preload);
  }
  return preload;
}

/**
 * The receiving transport opened (and connected with the page's own certificate) before the join
 * press (`prepareRecv`), so the join takes it over and only its consumes stand between the press
 * and media. Sent, not awaited: the device resolves once it is on its way, so a join waiting for
 * the device always follows it on the connection (the server then waits for it). A refusal or a
 * failure only means the join opens one, as without it.
 */
async function prepareReception(signaling: SignalingClient, device: Device): Promise<void> {
  const identity = await pageDtlsIdentity().catch(() => null);
  signaling
    .request('prepareRecv', {
      rtpCapabilities: device.recvRtpCapabilities as RequestOf<'prepareRecv'>['rtpCapabilities'],
      ...(identity && { dtlsParameters: identity.dtlsParameters }),
    })
    .catch(() => undefined);
}

/** One page, one lecture: at most one connection waits for its session. */
let held: { token: string; signaling: SignalingClient } | null = null;

/** Opens the connection (and loads the device) for a join with `token` that may follow. */
export function preconnect(token: string): void {
  if (held?.token === token && held.signaling.status !== 'closed') return;
  dropPreconnection();
  const signaling = SignalingClient.connect(token);
  held = { token, signaling };
  void preloadDevice(signaling, () => Device.factory());
  void pageDtlsIdentity(); // made while the person types too (see media/dtlsIdentity.ts)
}

/**
 * The connection opened for `token`, handed over once (null: none, or for another token, or
 * refused at its handshake — a fresh one then reports the refusal to the session).
 */
export function takePreconnected(token: string): SignalingClient | null {
  const taken = held;
  held = null;
  if (!taken) return null;
  if (taken.token === token && taken.signaling.status !== 'closed' && !taken.signaling.refusal) return taken.signaling;
  taken.signaling.close();
  return null;
}

/** The page goes without joining: its connection closes. */
export function dropPreconnection(): void {
  held?.signaling.close();
  held = null;
}
