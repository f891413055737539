/**
 * The studio's own capture: camera and microphone (with the chosen devices) and the shared
 * screen. It owns the tracks and is the only place that stops them.
 */
import type { DeviceOption } from './sessionState.js';
import { CAMERA_CONSTRAINTS, MICROPHONE_CONSTRAINTS, SCREEN_CONSTRAINTS } from './encodings.js';

export class LocalMedia {
  readonly #devices: MediaDevices;
  #camera: MediaStreamTrack | null = null;
  #microphone: MediaStreamTrack | null = null;
  #screen: MediaStreamTrack | null = null;
  #cameraId: string | null = null;
  #microphoneId: string | null = null;

  constructor(devices: MediaDevices) {
    this.#devices = devices;
  }

  get camera(): MediaStreamTrack | null {
    return this.#camera;
  }
  get microphone(): MediaStreamTrack | null {
    return this.#microphone;
  }
  get screen(): MediaStreamTrack | null {
    return this.#screen;
  }
  get cameraId(): string | null {
    return this.#cameraId;
  }
  get microphoneId(): string | null {
    return this.#microphoneId;
  }

  /**
   * Opens the camera and the microphone that are not open yet. Both in one prompt first; if that
   * fails, each alone, so a studio without a camera can still be heard. Throws when a device could
   * not be opened (what could be opened stays open).
   */
  async start(): Promise<void> {
    if (this.#camera && this.#microphone) return;
    try {
      const stream = await this.#devices.getUserMedia({
        video: this.#camera ? false : this.#videoConstraints(this.#cameraId),
        audio: this.#microphone ? false : this.#audioConstraints(this.#microphoneId),
      });
      for (const track of stream.getTracks()) this.#adopt(track);
    } catch (error) {
      const results = await Promise.allSettled([
        this.#camera ? Promise.resolve() : this.switchCamera(this.#cameraId),
        this.#microphone ? Promise.resolve() : this.switchMicrophone(this.#microphoneId),
      ]);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason ?? error;
    }
  }

  /** Opens another camera (null: the default one); the old track is stopped first. */
  async switchCamera(deviceId: string | null): Promise<MediaStreamTrack> {
    this.#camera?.stop();
    this.#camera = null;
    const stream = await this.#devices.getUserMedia({ video: this.#videoConstraints(deviceId), audio: false });
    return this.#adopt(stream.getVideoTracks()[0]!);
  }

  async switchMicrophone(deviceId: string | null): Promise<MediaStreamTrack> {
    const enabled = this.#microphone?.enabled ?? true;
    this.#microphone?.stop();
    this.#microphone = null;
    const stream = await this.#devices.getUserMedia({ video: false, audio: this.#audioConstraints(deviceId) });
    const track = this.#adopt(stream.getAudioTracks()[0]!);
    track.enabled = enabled;
    return track;
  }

  /** The preview stream: a new object on every change, so views re-attach. */
  previewStream(): MediaStream | null {
    const tracks = [this.#camera, this.#microphone].filter((t): t is MediaStreamTrack => t !== null);
    return tracks.length > 0 ? new MediaStream(tracks) : null;
  }

  /** Cameras and microphones (labels are known once access was granted). */
  async listDevices(): Promise<{ cameras: DeviceOption[]; microphones: DeviceOption[] }> {
    const all = await this.#devices.enumerateDevices();
    const pick = (kind: MediaDeviceKind, name: string) =>
      all
        .filter((d) => d.kind === kind && d.deviceId !== '')
        .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${name} ${i + 1}` }));
    return { cameras: pick('videoinput', 'Camera'), microphones: pick('audioinput', 'Microphone') };
  }

  /** Asks the browser for a screen or window; the track is tuned for slides. */
  async startScreen(): Promise<MediaStreamTrack> {
    const stream = await this.#devices.getDisplayMedia(SCREEN_CONSTRAINTS);
    const track = stream.getVideoTracks()[0]!;
    track.contentHint = 'detail';
    this.#screen?.stop();
    this.#screen = track;
    return track;
  }

  stopScreen(): void {
    this.#screen?.stop();
    this.#screen = null;
  }

  stop(): void {
    for (const track of [this.#camera, this.#microphone, this.#screen]) track?.stop();
    this.#camera = this.#microphone = this.#screen = null;
  }

  #adopt(track: MediaStreamTrack): MediaStreamTrack {
    const deviceId = track.getSettings().deviceId ?? null;
    if (track.kind === 'video') {
      this.#camera?.stop();
      this.#camera = track;
      this.#cameraId = deviceId;
    } else {
      this.#microphone?.stop();
      this.#microphone = track;
      this.#microphoneId = deviceId;
    }
    return track;
  }

  #videoConstraints(deviceId: string | null): MediaTrackConstraints {
    return deviceId ? { ...CAMERA_CONSTRAINTS, deviceId: { exact: deviceId } } : CAMERA_CONSTRAINTS;
  }

  #audioConstraints(deviceId: string | null): MediaTrackConstraints {
    return deviceId ? { ...MICROPHONE_CONSTRAINTS, deviceId: { exact: deviceId } } : MICROPHONE_CONSTRAINTS;
  }
}
