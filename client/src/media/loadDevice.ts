import type { Device, types } from 'mediasoup-client';

/** A mediasoup-client Device loaded with the router's capabilities, or null when this browser cannot take part. */
export async function loadDevice(create: () => Promise<Device>, routerRtpCapabilities: types.RtpCapabilities): Promise<Device | null> {
  try {
    const device = await create();
    await device.load({ routerRtpCapabilities });
    return device;
  } catch (error) {
    console.error('[teleclass] this browser cannot load the media device', error);
    return null;
  }
}
