/**
 * The composition of a recording as an ffmpeg filter graph: a pure function of the record and the
 * probed lengths of its raw files, so it can be tested without running ffmpeg.
 *
 * Video (1280×720, 30 fps, black where nothing is shown; every input scaled to the canvas frame
 * by frame, so size, layer, frame-rate changes and gaps in a raw file never blank it):
 *   1. the trainer's camera, full frame (scaled to fit), while it was on;
 *   2. slides (every 'screen' video track), full frame (scaled to fit) over it while shared;
 *   3. the trainer's camera small in the bottom-right corner while slides and camera overlap.
 * Audio: every microphone track (the trainer's and every floor speaker's), each delayed to its
 * offset, mixed without normalisation over a silent bed as long as the recording.
 */
import type { RecordingRecord, RecordingTrack } from '../store/Store.js';

export interface Layout {
  width: number;
  height: number;
  fps: number;
  /** The small camera over slides. */
  pip: { width: number; height: number; margin: number };
}

export const DEFAULT_LAYOUT: Layout = { width: 1280, height: 720, fps: 30, pip: { width: 320, height: 180, margin: 24 } };

/** Where a track plays in the composed video, in ms from the recording's start. */
export interface PlacedTrack {
  track: RecordingTrack;
  /** Index of the `-i` input. */
  input: number;
  fromMs: number;
  toMs: number;
}

export interface CompositionPlan {
  durationMs: number;
  /** The raw files to pass as `-i`, in order (names inside the recording's folder). */
  inputs: string[];
  /** Which of `inputs` are video (they are read with `-reinit_filter 0`). */
  videoInputs: number[];
  placed: PlacedTrack[];
  /** Tracks left out, with why (unreadable file, outside the recording, not used in the layout). */
  skipped: { file: string; reason: string }[];
  /** The -filter_complex graph; its outputs are [vout] and [aout]. */
  filter: string;
}

export type ProbedLengths = Readonly<Record<string, number | null>>;

/** Seconds with millisecond precision, as ffmpeg expressions take them. */
const sec = (ms: number) => (ms / 1000).toFixed(3);

/** Where a track ends when the recorder did not say (cut by a crash): where its file ends. */
function trackEndMs(track: RecordingTrack, probed: number | null | undefined): number | null {
  if (track.endMs !== null && Number.isFinite(track.endMs)) return track.endMs;
  return probed ? track.startMs + probed : null;
}

/**
 * How long the composed video is: the recording's own length when it was stopped (endedAt),
 * else (interrupted) up to the end of its longest track.
 */
export function compositionDurationMs(record: Pick<RecordingRecord, 'startedAt' | 'endedAt' | 'tracks'>, probed: ProbedLengths): number {
  if (record.endedAt !== null && record.endedAt > record.startedAt) return record.endedAt - record.startedAt;
  let end = 0;
  for (const t of record.tracks) end = Math.max(end, trackEndMs(t, probed[t.file]) ?? 0);
  return end;
}

const role = (t: RecordingTrack) => `${t.kind}:${t.source}`;
const isTrainerCamera = (t: RecordingTrack) => t.role === 'trainer' && role(t) === 'video:camera';
const isSlides = (t: RecordingTrack) => role(t) === 'video:screen';
const isMicrophone = (t: RecordingTrack) => role(t) === 'audio:microphone';

/** Intersections of `a` with each window of `bs`. */
function overlaps(a: { fromMs: number; toMs: number }, bs: readonly { fromMs: number; toMs: number }[]) {
  return bs
    .map((b) => ({ fromMs: Math.max(a.fromMs, b.fromMs), toMs: Math.min(a.toMs, b.toMs) }))
    .filter((w) => w.toMs > w.fromMs);
}

const between = (windows: readonly { fromMs: number; toMs: number }[]) =>
  windows.map((w) => `between(t,${sec(w.fromMs)},${sec(w.toMs)})`).join('+');

/**
 * Every frame scaled to fit inside w×h (aspect ratio kept), centred on black, square pixels,
 * yuv420p, `fps` frames a second. Evaluated frame by frame: a raw camera file changes size
 * whenever the sender switches simulcast layer or adapts its resolution (640×360 → 1280×720 →
 * 320×180 …), and its frame rate and gaps vary; whatever comes in, the same canvas-sized,
 * constant-rate stream comes out. (ffmpeg must not rebuild the graph on such a change: see
 * `-reinit_filter 0` in compose.ts.)
 */
export const fitFrames = (w: number, h: number, fps: number) =>
  `scale=${w}:${h}:force_original_aspect_ratio=decrease:eval=frame,` +
  `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black:eval=frame,setsar=1,format=yuv420p,fps=${fps}`;

/** A track's frames on the canvas, cut to its window and moved to its place on the recording's timeline. */
const placeVideo = (p: PlacedTrack, layout: Layout) =>
  `[${p.input}:v]${fitFrames(layout.width, layout.height, layout.fps)},` +
  `trim=duration=${sec(p.toMs - p.fromMs)},setpts=PTS-STARTPTS+${sec(p.fromMs)}/TB`;

export function planComposition(
  record: Pick<RecordingRecord, 'startedAt' | 'endedAt' | 'tracks'>,
  probed: ProbedLengths,
  layout: Layout = DEFAULT_LAYOUT,
): CompositionPlan {
  const durationMs = compositionDurationMs(record, probed);
  const placed: PlacedTrack[] = [];
  const skipped: CompositionPlan['skipped'] = [];
  const inputs: string[] = [];
  for (const track of record.tracks) {
    const used = isTrainerCamera(track) || isSlides(track) || isMicrophone(track);
    const length = probed[track.file];
    const end = trackEndMs(track, length);
    const reason = !used
      ? 'not part of the layout'
      : !length
        ? 'the file is missing or holds no media'
        : end === null || end <= track.startMs
          ? 'empty'
          : track.startMs >= durationMs
            ? 'starts after the recording ends'
            : undefined;
    if (reason) {
      skipped.push({ file: track.file, reason });
      continue;
    }
    placed.push({ track, input: inputs.length, fromMs: Math.max(0, track.startMs), toMs: Math.min(end!, durationMs) });
    inputs.push(track.file);
  }

  const { width: W, height: H, fps, pip } = layout;
  const D = sec(durationMs);
  const chains: string[] = [`color=c=black:s=${W}x${H}:r=${fps}:d=${D},format=yuv420p[bg0]`];
  let bg = 0;
  const over = (label: string, options: string) => {
    chains.push(`[bg${bg}][${label}]overlay=${options}:eof_action=pass[bg${bg + 1}]`);
    bg++;
  };

  const cameras = placed.filter((p) => isTrainerCamera(p.track));
  const slides = placed.filter((p) => isSlides(p.track));
  const small: { label: string; windows: ReturnType<typeof overlaps> }[] = [];
  cameras.forEach((p, i) => {
    const windows = overlaps(p, slides);
    if (windows.length === 0) {
      chains.push(`${placeVideo(p, layout)}[cam${i}]`);
    } else {
      chains.push(`${placeVideo(p, layout)},split=2[cam${i}][camsrc${i}]`);
      chains.push(`[camsrc${i}]scale=${pip.width}:${pip.height}[pip${i}]`);
      small.push({ label: `pip${i}`, windows });
    }
    over(`cam${i}`, `x=0:y=0:enable='${between([p])}'`);
  });
  slides.forEach((p, i) => {
    chains.push(`${placeVideo(p, layout)}[slides${i}]`);
    over(`slides${i}`, `x=0:y=0:enable='${between([p])}'`);
  });
  for (const s of small) {
    over(s.label, `x=${W - pip.width - pip.margin}:y=${H - pip.height - pip.margin}:enable='${between(s.windows)}'`);
  }
  chains.push(`[bg${bg}]format=yuv420p[vout]`);

  const mics = placed.filter((p) => isMicrophone(p.track));
  chains.push(`anullsrc=r=48000:cl=stereo,atrim=duration=${D}[silence]`);
  mics.forEach((p, i) => {
    const delay = Math.round(p.fromMs);
    chains.push(
      `[${p.input}:a]atrim=duration=${sec(p.toMs - p.fromMs)},asetpts=PTS-STARTPTS,aresample=48000:async=1:first_pts=0,` +
        `aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,adelay=delays=${delay}:all=1[mic${i}]`,
    );
  });
  const mixInputs = ['[silence]', ...mics.map((_, i) => `[mic${i}]`)].join('');
  chains.push(`${mixInputs}amix=inputs=${mics.length + 1}:duration=first:dropout_transition=0:normalize=0[aout]`);

  const videoInputs = placed.filter((p) => p.track.kind === 'video').map((p) => p.input);
  return { durationMs, inputs, videoInputs, placed, skipped, filter: chains.join(';\n') };
}
