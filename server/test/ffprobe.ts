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
