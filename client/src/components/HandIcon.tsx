/** A raised hand, drawn (kiosks often have no emoji font). */
export function HandIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12.5 2a1.5 1.5 0 0 1 1.5 1.5V11h.5V4.5a1.5 1.5 0 0 1 3 0V12h.5V7.5a1.5 1.5 0 0 1 3 0V15a7 7 0 0 1-7 7h-1.2a6.5 6.5 0 0 1-4.9-2.2L3.4 14.6a1.5 1.5 0 0 1 2.2-2L8 15V5.5a1.5 1.5 0 0 1 3 0V11h.5V3.5A1.5 1.5 0 0 1 12.5 2Z"
      />
    </svg>
  );
}
