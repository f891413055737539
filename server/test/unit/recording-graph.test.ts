import { describe, expect, it } from 'vitest';
import { chapterRanges, chaptersVtt, ffmetadata, vttTime } from '../../src/recording/chapters.js';
import { compositionDurationMs, planComposition } from '../../src/recording/composeGraph.js';
import type { RecordingRecord, RecordingTrack } from '../../src/store/Store.js';

const track = (over: Partial<RecordingTrack> & Pick<RecordingTrack, 'file'>): RecordingTrack => ({
  kind: 'video', source: 'camera', role: 'trainer', name: 'Dr. Aliyev', startMs: 0, endMs: 10_000, bytes: 1, ...over,
});

const LECTURE: Pick<RecordingRecord, 'startedAt' | 'endedAt' | 'tracks'> = {
  startedAt: 1_000_000,
  endedAt: 1_010_000,
  tracks: [
    track({ file: 'cam.mkv' }),
    track({ file: 'mic.mka', kind: 'audio', source: 'microphone' }),
    track({ file: 'slides.mkv', source: 'screen', startMs: 3000, endMs: 7000 }),
    track({ file: 'ganja-mic.mka', kind: 'audio', source: 'microphone', role: 'site', name: 'Ganja', startMs: 6000, endMs: 9000 }),
  ],
};
const PROBED = { 'cam.mkv': 10_000, 'mic.mka': 10_000, 'slides.mkv': 4000, 'ganja-mic.mka': 3000 };

describe('planComposition (the filter graph)', () => {
  it('lays out camera, slides with the camera in the corner, and every microphone at its offset', () => {
    const plan = planComposition(LECTURE, PROBED);
    expect(plan.durationMs).toBe(10_000);
    expect(plan.inputs).toEqual(['cam.mkv', 'mic.mka', 'slides.mkv', 'ganja-mic.mka']);
    expect(plan.skipped).toEqual([]);
    const f = plan.filter;
    expect(f).toContain('color=c=black:s=1280x720:r=30:d=10.000');
    // camera full frame, then split for the corner copy
    // every input scaled to the canvas frame by frame (sizes change mid-file), at a constant 30 fps
    const fitted = 'scale=1280:720:force_original_aspect_ratio=decrease:eval=frame,pad=1280:720:(ow-iw)/2:(oh-ih)/2:color=black:eval=frame,setsar=1,format=yuv420p,fps=30';
    expect(f).toContain(`[0:v]${fitted},trim=duration=10.000,setpts=PTS-STARTPTS+0.000/TB,split=2[cam0][camsrc0]`);
    expect(plan.videoInputs).toEqual([0, 2]);
    expect(f).toContain('split=2[cam0][camsrc0]');
    expect(f).toContain("[bg0][cam0]overlay=x=0:y=0:enable='between(t,0.000,10.000)':eof_action=pass[bg1]");
    // slides from 3 s to 7 s, fitted to the canvas
    expect(f).toContain(`[2:v]${fitted},trim=duration=4.000,setpts=PTS-STARTPTS+3.000/TB[slides0]`);
    expect(f).toContain("[bg1][slides0]overlay=x=0:y=0:enable='between(t,3.000,7.000)'");
    // the 320×180 camera bottom-right (24 px margin) only while the slides are up
    expect(f).toContain('[camsrc0]scale=320:180[pip0]');
    expect(f).toContain("[bg2][pip0]overlay=x=936:y=516:enable='between(t,3.000,7.000)'");
    expect(f).toContain('[bg3]format=yuv420p[vout]');
    // audio: both microphones over a 10 s silent bed, the classroom's delayed by 6 s, not normalised
    expect(f).toContain('anullsrc=r=48000:cl=stereo,atrim=duration=10.000[silence]');
    expect(f).toMatch(/\[1:a\]atrim=duration=10\.000,asetpts=PTS-STARTPTS,.*adelay=delays=0:all=1\[mic0\]/);
    expect(f).toMatch(/\[3:a\]atrim=duration=3\.000,asetpts=PTS-STARTPTS,.*adelay=delays=6000:all=1\[mic1\]/);
    expect(f).toContain('[silence][mic0][mic1]amix=inputs=3:duration=first:dropout_transition=0:normalize=0[aout]');
  });

  it('is black with silence when nothing was on, and skips tracks it cannot use', () => {
    const plan = planComposition(
      {
        startedAt: 0,
        endedAt: 5000,
        tracks: [
          track({ file: 'site-cam.mkv', role: 'site', name: 'Ganja' }), // classrooms' cameras are not in the layout
          track({ file: 'broken.mka', kind: 'audio', source: 'microphone' }),
          track({ file: 'late.mka', kind: 'audio', source: 'microphone', startMs: 6000, endMs: 7000 }),
        ],
      },
      { 'site-cam.mkv': 5000, 'broken.mka': null, 'late.mka': 1000 },
    );
    expect(plan.inputs).toEqual([]);
    expect(plan.skipped.map((s) => s.file)).toEqual(['site-cam.mkv', 'broken.mka', 'late.mka']);
    expect(plan.filter).toContain('[bg0]format=yuv420p[vout]');
    expect(plan.filter).toContain('[silence]amix=inputs=1:');
  });

  it('ends an interrupted track (endMs null) where its file ends, and the recording with its longest track', () => {
    const record = {
      startedAt: 0,
      endedAt: null,
      tracks: [
        track({ file: 'cam.mkv', endMs: null }),
        track({ file: 'mic.mka', kind: 'audio', source: 'microphone', startMs: 500, endMs: null }),
      ],
    };
    const probed = { 'cam.mkv': 3200, 'mic.mka': 4000 };
    expect(compositionDurationMs(record, probed)).toBe(4500);
    const plan = planComposition(record, probed);
    expect(plan.placed.map((p) => [p.fromMs, p.toMs])).toEqual([[0, 3200], [500, 4500]]);
    expect(plan.filter).toContain("enable='between(t,0.000,3.200)'");
    expect(plan.filter).toContain('adelay=delays=500:all=1');
  });

  it('does not put the camera in the corner when it was off during the slides, and cuts tracks at the end', () => {
    const plan = planComposition(
      {
        startedAt: 0,
        endedAt: 8000,
        tracks: [track({ file: 'cam.mkv', endMs: 2000 }), track({ file: 'slides.mkv', source: 'screen', startMs: 3000, endMs: 12_000 })],
      },
      { 'cam.mkv': 2000, 'slides.mkv': 9000 },
    );
    expect(plan.filter).not.toContain('split');
    expect(plan.filter).not.toContain('pip');
    expect(plan.filter).toContain("[bg1][slides0]overlay=x=0:y=0:enable='between(t,3.000,8.000)'");
  });

  it('shows the corner camera in every slide window it overlaps', () => {
    const plan = planComposition(
      {
        startedAt: 0,
        endedAt: 20_000,
        tracks: [
          track({ file: 'cam.mkv', endMs: 20_000 }),
          track({ file: 's1.mkv', source: 'screen', startMs: 2000, endMs: 4000 }),
          track({ file: 's2.mkv', source: 'screen', startMs: 10_000, endMs: 15_000 }),
        ],
      },
      { 'cam.mkv': 20_000, 's1.mkv': 2000, 's2.mkv': 5000 },
    );
    expect(plan.filter).toContain("enable='between(t,2.000,4.000)+between(t,10.000,15.000)'");
  });
});

describe('chapters', () => {
  const chapters = [
    { atMs: 6000, kind: 'floor' as const, names: ['Gəncə 1'] },
    { atMs: 0, kind: 'start' as const },
    { atMs: 3000, kind: 'slides' as const },
    { atMs: 3400, kind: 'floor' as const, names: ['Şəki', 'Aynur Məmmədova'] },
    { atMs: 12_000, kind: 'answered' as const, text: 'after the end' },
  ];

  it('sorts, merges bursts, drops points past the end and covers the whole video', () => {
    expect(chapterRanges(chapters, 10_000, 'en')).toEqual([
      { startMs: 0, endMs: 3000, title: 'Lecture start' },
      { startMs: 3000, endMs: 6000, title: 'Floor: Şəki, Aynur Məmmədova' },
      { startMs: 6000, endMs: 10_000, title: 'Floor: Gəncə 1' },
    ]);
    expect(chapterRanges([], 5000, 'en')).toEqual([{ startMs: 0, endMs: 5000, title: 'Lecture start' }]);
    expect(chapterRanges([{ atMs: 400, kind: 'slides' }], 5000, 'en')).toEqual([{ startMs: 0, endMs: 5000, title: 'Slides' }]);
    expect(chapterRanges(chapters, 0, 'en')).toEqual([]);
  });

  it('puts the stored kinds into the language asked for; nothing stored is a sentence', () => {
    const ranges = (language: 'az' | 'ru' | 'en') =>
      chapterRanges(
        [
          { atMs: 0, kind: 'start' },
          { atMs: 2000, kind: 'floor', names: ['Şəki'] },
          { atMs: 4000, kind: 'floor', names: [] },
          { atMs: 6000, kind: 'answered', text: 'Büdcə nə vaxt?' },
          { atMs: 8000, kind: 'interrupted' },
        ],
        10_000,
        language,
      ).map((r) => r.title);
    expect(ranges('az')).toEqual([
      'Mühazirənin başlanğıcı',
      'Söz: Şəki',
      'Söz yenidən təlimçidədir',
      'Cavablandırılan sual: Büdcə nə vaxt?',
      'Fasilə: server işləmirdi, bu hissə yazılmayıb',
    ]);
    expect(ranges('ru')).toEqual([
      'Начало лекции',
      'Слово: Şəki',
      'Слово снова у преподавателя',
      'Вопрос с ответом: Büdcə nə vaxt?',
      'Перерыв: сервер не работал, эта часть не записана',
    ]);
    expect(ranges('en')[2]).toBe('Floor back to the trainer');
  });

  it('keeps the English title of a chapter stored before kinds when it names someone', () => {
    const old = [
      { atMs: 0, kind: 'start' as const, title: 'Lecture start' },
      { atMs: 2000, kind: 'floor' as const, title: 'Floor: Ganja' },
      { atMs: 4000, kind: 'answered' as const, title: 'Answered: when?' },
    ];
    expect(chapterRanges(old, 6000, 'ru').map((r) => r.title)).toEqual(['Начало лекции', 'Floor: Ganja', 'Answered: when?']);
  });

  it('writes ffmetadata with escaped titles', () => {
    const text = ffmetadata([{ startMs: 0, endMs: 2500, title: 'Q=A; #1 \\ ok' }], 'Budget law');
    expect(text).toBe(';FFMETADATA1\ntitle=Budget law\n\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=2500\ntitle=Q\\=A\\; \\#1 \\\\ ok\n');
  });

  it('writes WebVTT chapter cues', () => {
    expect(vttTime(3_723_045)).toBe('01:02:03.045');
    expect(chaptersVtt(chapterRanges(chapters.slice(0, 3), 10_000, 'en'))).toBe(
      'WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.000\nLecture start\n\n2\n00:00:03.000 --> 00:00:06.000\nSlides\n\n3\n00:00:06.000 --> 00:00:10.000\nFloor: Gəncə 1\n',
    );
    expect(chaptersVtt([{ startMs: 0, endMs: 1000, title: 'a --> b' }])).toContain('a → b');
  });
});
