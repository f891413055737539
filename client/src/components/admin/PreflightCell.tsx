import type { SiteStatus } from '@teleclass/shared';
import { formatDateTime } from '../../view/time.js';
import { useT } from '../../i18n/useLanguage.js';

/**
 * A pre-flight check's results in one cell: camera, microphone peak, speaker, network figures (of
 * the test stream to the SFU: round trip, loss, bitrate received, the browser's estimate; or
 * marked as HTTPS only), when.
 */
export function PreflightCell({ result, testId }: { result: SiteStatus['preflight']; testId: string }) {
  const { t, language } = useT();
  if (!result) return <span data-testid={testId}>{t('preflight.never')}</span>;
  const ok = (v: boolean) => (v ? '✓' : '✗');
  const n = (v: number | null, unit: string) => (v === null ? '—' : `${Math.round(v)} ${unit}`);
  const good = result.camera && result.speaker && result.micLevel > 0.02;
  return (
    <span className={`network__preflight network__preflight--${good ? 'ok' : 'bad'}`} data-testid={testId} data-ok={good} data-via={result.via ?? 'https'}>
      {t('preflight.summary', {
        camera: ok(result.camera),
        mic: Math.round(result.micLevel * 100),
        speaker: ok(result.speaker),
        rtt: n(result.rttMs, 'ms'),
        loss: result.lossPct === null ? '—' : `${result.lossPct.toFixed(1)} %`,
        kbps: n(result.bitrateKbps, 'kbit/s'),
      })}
      {typeof result.estimateKbps === 'number' && ` · ${t('preflight.estimate', { kbps: n(result.estimateKbps, 'kbit/s') })}`}
      {result.via === 'https' && ` · ${t('preflight.viaHttps')}`}
      <span className="network__when">{formatDateTime(result.at, language)}</span>
    </span>
  );
}
