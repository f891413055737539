import { useTranslation } from 'react-i18next';
import { useMemo, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { BigMessage } from '../components/BigMessage.js';
import { useRecording } from '../hooks/useRecording.js';
import { currentLanguage } from '../i18n/index.js';
import { formatDateTime } from '../view/time.js';
import { chapterList, currentChapter, formatHms, progressPercent, recordingUrls, statusText, type ChapterItem } from '../view/recordings.js';

/** A finished recording from a viewing link (`/recordings/<id>?token=…`): the video and its chapters. */
export function Recording() {
  const { t } = useTranslation();
  const { recordingId } = useParams();
  const [search] = useSearchParams();
  const page = useRecording(recordingId, search.get('token') || null);

  if (page.kind === 'loading') {
    return (
      <main className="playback">
        <p className="recordings__empty">{t('player.loading')}</p>
      </main>
    );
  }
  if (page.kind === 'problem') {
    return (
      <main className="playback" data-testid="recording-problem">
        <BigMessage title={t(page.problem.titleKey)} detail={page.problem.detailText ?? t(page.problem.detailKey, page.problem.values)} />
      </main>
    );
  }
  if (page.kind === 'waiting') {
    const { recording } = page;
    const percent = progressPercent(recording.progress);
    return (
      <main className="playback" data-testid="recording-not-ready">
        <BigMessage title={t('player.notReady')} detail={t('player.triesAgain', { status: statusText(recording.status, t) })}>
          {recording.status === 'processing' && (
            <p className="recording-row__progress" data-testid="recording-progress">
              <progress max={100} value={percent} aria-label={t('recordings.progress')} /> {percent} %
            </p>
          )}
        </BigMessage>
      </main>
    );
  }
  return <Player recording={page.recording} token={page.token} />;
}

type Ready = Extract<ReturnType<typeof useRecording>, { kind: 'ready' }>;

function Player({ recording, token }: Pick<Ready, 'recording' | 'token'>) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [time, setTime] = useState(0);
  const [failed, setFailed] = useState(false);
  const language = currentLanguage();
  const urls = recordingUrls(recording.id, token, language);
  const chapters = useMemo(
    () => chapterList(recording.chapters, recording.durationMs, language),
    [recording.chapters, recording.durationMs, language],
  );
  const current = currentChapter(chapters, time);
  const title = recording.lectureTitle || t('player.lectureRecording');

  const seek = (chapter: ChapterItem) => {
    const v = video.current;
    if (!v) return;
    v.currentTime = chapter.seconds;
    setTime(chapter.seconds);
    void v.play().catch(() => undefined);
  };

  return (
    <main className="playback">
      <header className="playback__head">
        <h1 data-testid="recording-title">{title}</h1>
        <p className="playback__meta" data-testid="recording-date">
          {t('player.recorded', { when: formatDateTime(recording.startedAt, currentLanguage()), length: formatHms(recording.durationMs) })}
        </p>
      </header>
      {failed && (
        <p className="watch__error" role="alert" data-testid="recording-video-error">
          {t('player.videoError')}
        </p>
      )}
      <div className="playback__layout">
        <video
          ref={video}
          className="playback__video"
          data-testid="recording-video"
          src={urls.video}
          controls
          preload="metadata"
          playsInline
          onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
          onError={() => setFailed(true)}
        >
          <track key={language} kind="chapters" src={urls.chapters} srcLang={language} label={t('player.chapters')} default />
        </video>
        {chapters.length > 0 && (
          <nav className="panel" aria-label={t('player.chapters')}>
            <h2 className="panel__title">{t('player.chapters')}</h2>
            <ol className="chapters" data-testid="chapters">
              {chapters.map((c, i) => (
                <li key={`${c.atMs}-${i}`}>
                  <button
                    type="button"
                    className={`chapters__item ${i === current ? 'chapters__item--current' : ''}`}
                    data-testid="chapter"
                    data-at={c.seconds}
                    aria-current={i === current ? 'true' : undefined}
                    onClick={() => seek(c)}
                  >
                    <span className="chapters__at">{c.label}</span>
                    <span>{c.title}</span>
                  </button>
                </li>
              ))}
            </ol>
          </nav>
        )}
      </div>
    </main>
  );
}
