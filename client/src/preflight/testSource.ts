/**
 * The network test's media: a 640×360 canvas of coarse random noise at 30 fps (nothing for the
 * encoder to compress, so it sends as much as its bandwidth estimate and `maxBitrate` allow) and a
 * quiet 440 Hz tone. Neither needs the camera or the microphone. No React here.
 */
export interface TestSource {
  video: MediaStreamTrack;
  audio: MediaStreamTrack | null;
  stop(): void;
}

const WIDTH = 640;
const HEIGHT = 360;
/** Noise is drawn at 1/4 size and scaled up without smoothing: cheap to draw, still incompressible. */
const CELLS = 4;
const FPS = 30;

export function openTestSource(): TestSource {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  const small = document.createElement('canvas');
  small.width = WIDTH / CELLS;
  small.height = HEIGHT / CELLS;
  const smallCtx = small.getContext('2d')!;
  const image = smallCtx.createImageData(small.width, small.height);
  const pixels = new Uint32Array(image.data.buffer);
  const draw = () => {
    for (let i = 0; i < pixels.length; i++) pixels[i] = (Math.random() * 0xffffff) | 0xff000000;
    smallCtx.putImageData(image, 0, 0);
    ctx.drawImage(small, 0, 0, WIDTH, HEIGHT);
  };
  draw();
  const timer = setInterval(draw, 1000 / FPS);
  const video = canvas.captureStream(FPS).getVideoTracks()[0]!;

  let audio: MediaStreamTrack | null = null;
  let audioCtx: AudioContext | null = null;
  try {
    audioCtx = new AudioContext();
    const osc = audioCtx.createOscillator();
    const gain = audioCtx.createGain();
    gain.gain.value = 0.05;
    const out = audioCtx.createMediaStreamDestination();
    osc.connect(gain).connect(out);
    osc.start();
    audio = out.stream.getAudioTracks()[0] ?? null;
  } catch {
    audio = null; // no WebAudio: the test sends video only
  }
  return {
    video,
    audio,
    stop() {
      clearInterval(timer);
      video.stop();
      audio?.stop();
      void audioCtx?.close().catch(() => undefined);
    },
  };
}
