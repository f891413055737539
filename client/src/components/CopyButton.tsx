import { useTranslation } from 'react-i18next';
import { Check } from 'lucide-react';
import { useEffect, useState } from 'react';

/** Copies text: the Clipboard API, or a hidden textarea and execCommand where it is missing. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, page not focused…): try the old way.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

export function CopyButton({ text, testId, label }: { text: string; testId: string; label?: string }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (result === null) return;
    const timer = setTimeout(() => setResult(null), 2000);
    return () => clearTimeout(timer);
  }, [result]);
  return (
    <button
      type="button"
      className="button button--small"
      data-testid={testId}
      onClick={() => void copyText(text).then((ok) => setResult(ok ? 'copied' : 'failed'))}
    >
      {result === 'copied' ? (
        <>
          {t('common.copied')} <Check className="icon" aria-hidden="true" />
        </>
      ) : result === 'failed' ? (
        t('common.copyFailed')
      ) : (
        (label ?? t('common.copy'))
      )}
    </button>
  );
}
