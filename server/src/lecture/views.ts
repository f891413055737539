import type { ChatMessageView, RemovalView } from '@teleclass/shared';
import type { ChatRecord, RemovalRecord } from '../store/Store.js';

export function removalViews(records: readonly RemovalRecord[]): RemovalView[] {
  return records.map((r) => ({ identity: r.identity, displayName: r.name, role: r.role, removedAt: r.removedAt }));
}

export function chatView(r: ChatRecord): ChatMessageView {
  return {
    id: r.id,
    authorId: r.authorIdentity,
    authorName: r.authorName,
    authorRole: r.authorRole,
    site: r.site,
    text: r.text,
    isQuestion: r.isQuestion,
    answeredAt: r.answeredAt,
    createdAt: r.createdAt,
  };
}
