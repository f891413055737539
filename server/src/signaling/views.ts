import type { ChatMessageView } from '@teleclass/shared';
import type { ChatRecord } from '../store/Store.js';

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
