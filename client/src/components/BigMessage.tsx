import type { ReactNode } from 'react';

/** A state to read from the back of the room: one large line, an optional smaller one. */
export function BigMessage({ title, detail, children }: { title: string; detail?: string; children?: ReactNode }) {
  return (
    <div className="big-message" role="status">
      <h1 className="big-message__title">{title}</h1>
      {detail && <p className="big-message__detail">{detail}</p>}
      {children}
    </div>
  );
}
