import type { TFunction } from 'i18next';
import { useEffect } from 'react';
import type { Preflight } from '../preflight/usePreflight.js';
import { useT } from '../i18n/useLanguage.js';
import { formatTime } from '../view/time.js';

/** The network figures: of the test stream to the SFU, or of the HTTPS fallback (see checks.ts). */
function networkLine(r: NonNullable<Preflight['result']>, t: TFunction): string {
  if (r.rttMs === null) return t('preflight.noNetwork');
  if (r.via !== 'sfu') return t('preflight.network', { rtt: r.rttMs, kbps: r.bitrateKbps ?? '—' });
  return t('preflight.networkSfu', { rtt: r.rttMs, loss: r.lossPct?.toFixed(1) ?? '—', kbps: r.bitrateKbps ?? '—', estimate: r.estimateKbps ?? '—' });
}

/** The pre-flight check: a Check button, the camera's picture and a microphone meter while it runs, the results after. */
export function PreflightPanel({ preflight }: { preflight: Preflight }) {
  const { t, language } = useT();
  const { running, step, level, stream, result, videoRef } = preflight;
  useEffect(() => {
    if (videoRef.current) videoRef.current.srcObject = stream;
  }, [stream, videoRef]);
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  return (
    <section className="preflight" data-testid="preflight" data-running={running}>
      <div className="preflight__head">
        <h2 className="preflight__title">{t('preflight.title')}</h2>
        <button type="button" className="button button--small" data-testid="preflight-run" disabled={running} onClick={preflight.run}>
          {running ? t(`preflight.step.${step ?? 'camera'}`) : t('preflight.check')}
        </button>
      </div>
      {running && (
        <div className="preflight__live">
          <video ref={videoRef} className="preflight__video" data-testid="preflight-video" autoPlay muted playsInline />
          <div className="preflight__meter" role="meter" aria-label={t('preflight.micMeter')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)}>
            <div className="preflight__meter-bar" style={{ width: `${Math.round(level * 100)}%` }} />
          </div>
          {step === 'speaker' && <p className="preflight__hint">{t('preflight.toneHint')}</p>}
        </div>
      )}
      {result && !running && (
        <ul className="preflight__result" data-testid="preflight-result" data-camera={result.camera} data-speaker={result.speaker}>
          <li>{t('preflight.camera', { mark: mark(result.camera) })}</li>
          <li>{t('preflight.microphone', { level: Math.round(result.micLevel * 100) })}</li>
          <li>{t('preflight.speaker', { mark: mark(result.speaker) })}</li>
          <li data-testid="preflight-network" data-via={result.via ?? 'https'}>{networkLine(result, t)}</li>
          <li className="preflight__when">
            {t('preflight.at', { time: formatTime(result.at, language) })}
            {preflight.reportFailed && ` · ${t('preflight.notReported')}`}
          </li>
        </ul>
      )}
    </section>
  );
}
