// What ffprobe (Debian's) says of a media file.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Probe {
  durationS: number;
  streams: { codec_name: string; codec_type: string }[];
  chapters: { start_time: string; end_time: string; tags?: { title?: string } }[];
  /** Packets actually read (a file cut by a crash may have no duration in its header). */
  packets: number;
}

export async function ffprobe(file: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', [
    '-v', 'error', '-count_packets', '-show_entries', 'format=duration:stream=codec_name,codec_type,nb_read_packets',
    '-show_chapters', '-of', 'json', file,
  ]);
  const json = JSON.parse(stdout) as {
    format?: { duration?: string };
    streams?: (Probe['streams'][number] & { nb_read_packets?: string })[];
    chapters?: Probe['chapters'];
  };
  let durationS = Number(json.format?.duration);
  if (!Number.isFinite(durationS)) {
    // No duration in the header (cut off): the last packet's end.
    const { stdout: last } = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file]);
    const ends = last.trim().split('\n').map((l) => l.split(',').map(Number)).map(([pts = 0, d = 0]) => pts + d);
    durationS = Math.max(0, ...ends.filter(Number.isFinite));
  }
  return {
    durationS,
    streams: json.streams ?? [],
    chapters: json.chapters ?? [],
    packets: (json.streams ?? []).reduce((sum, s) => sum + Number(s.nb_read_packets ?? 0), 0),
  };
}

/**
 * Seconds of black picture in a video by ffmpeg's blackdetect (runs of at least `minSeconds`,
 * a pixel is black below 10 % luma, a picture when 98 % of its pixels are), and its length.
 */
export async function blackSeconds(file: string, minSeconds = 0.5): Promise<{ black: number; duration: number; spans: [number, number][] }> {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner', '-nostdin', '-threads', '1', '-i', file, '-an', '-filter_threads', '1',
    '-vf', `blackdetect=d=${minSeconds}:pix_th=0.10`, '-f', 'null', '-',
  ], { maxBuffer: 64 * 1024 * 1024 });
  const spans = [...stderr.matchAll(/black_start:([\d.]+) black_end:([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
  const { durationS } = await ffprobe(file);
  return { black: spans.reduce((s, [a, b]) => s + (b - a), 0), duration: durationS, spans };
}

/** The frame sizes of a video's key frames, in order, with a change only listed once: ['640x360@0', '1280x720@3', …]. */
export async function keyFrameSizes(file: string): Promise<string[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-skip_frame', 'nokey', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time,width,height', '-of', 'csv=p=0', file]);
  const out: string[] = [];
  let last = '';
  for (const line of stdout.trim().split('\n')) {
    const [pts, w, h] = line.split(',');
    if (`${w}x${h}` !== last) out.push(`${w}x${h}@${Math.round(Number(pts))}`);
    last = `${w}x${h}`;
  }
  return out;
}
