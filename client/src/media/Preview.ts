/**
 * The studio's preview: opens camera and microphone before going live, keeps the device lists
 * current (also when a device is plugged in or out) and switches devices, handing the new track
 * to whoever sends it. It writes the `local` part of the session's snapshot.
 */
import { deviceError } from './errors.js';
import { LocalMedia } from './LocalMedia.js';
import type { DeviceOption, SessionState } from './sessionState.js';
import type { Store } from './Store.js';

export type TrackChanged = (source: 'camera' | 'microphone', track: MediaStreamTrack) => Promise<void>;

export class Preview {
  readonly media: LocalMedia;
  readonly #mediaDevices: MediaDevices;
  readonly #store: Store<SessionState>;
  readonly #onTrackChanged: TrackChanged;
  #devices: { cameras: DeviceOption[]; microphones: DeviceOption[] } = { cameras: [], microphones: [] };
  #watching = false;
  #disposed = false;
  readonly #onDeviceChange = () => void this.#refreshDevices();

  constructor(mediaDevices: MediaDevices, store: Store<SessionState>, onTrackChanged: TrackChanged) {
    this.media = new LocalMedia(mediaDevices);
    this.#mediaDevices = mediaDevices;
    this.#store = store;
    this.#onTrackChanged = onTrackChanged;
  }

  /** Opens what is not open yet; a failure is shown, not thrown. */
  async start(): Promise<void> {
    if (this.#disposed) return;
    try {
      await this.media.start();
    } catch (error) {
      if (!this.#disposed) this.#store.update({ error: deviceError(error) });
    }
    if (this.#disposed) {
      this.media.stop(); // left while the browser was opening the devices
      return;
    }
    if (!this.#watching) {
      this.#watching = true;
      this.#mediaDevices.addEventListener('devicechange', this.#onDeviceChange);
    }
    await this.#refreshDevices();
  }

  /** Opens another device; if it fails, the previous one is opened again. */
  async switch(source: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const media = this.media;
    const previous = source === 'camera' ? media.cameraId : media.microphoneId;
    if (this.#disposed || previous === deviceId) return;
    const open = (id: string | null) => (source === 'camera' ? media.switchCamera(id) : media.switchMicrophone(id));
    let track: MediaStreamTrack | null;
    try {
      track = await open(deviceId);
    } catch (error) {
      this.#store.update({ error: deviceError(error) });
      track = await open(previous).catch(() => null);
    }
    if (this.#disposed) {
      this.media.stop();
      return;
    }
    if (track) await this.#onTrackChanged(source, track);
    this.sync();
  }

  /** Copies the open tracks and device lists into the snapshot. */
  sync(): void {
    if (this.#disposed) return;
    const media = this.media;
    this.#store.update((s) => ({
      local: {
        ...s.local,
        ...this.#devices,
        preview: media.previewStream(),
        screen: media.screen ? new MediaStream([media.screen]) : null,
        cameraId: media.cameraId,
        microphoneId: media.microphoneId,
      },
    }));
  }

  /** Releases camera, microphone and screen (the lecture ended). */
  stop(): void {
    this.media.stop();
    this.sync();
  }

  dispose(): void {
    this.stop();
    this.#disposed = true;
    this.#mediaDevices.removeEventListener('devicechange', this.#onDeviceChange);
  }

  async #refreshDevices(): Promise<void> {
    try {
      this.#devices = await this.media.listDevices();
    } catch {
      // Listing devices is a convenience; the preview works without it.
    }
    this.sync();
  }
}
