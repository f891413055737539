import { Hand } from 'lucide-react';

/** A raised hand, drawn as an SVG (kiosks often have no emoji font). */
export function HandIcon({ className }: { className?: string }) {
  return <Hand className={className} width="1em" height="1em" aria-hidden="true" focusable="false" />;
}
