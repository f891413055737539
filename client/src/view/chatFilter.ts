/** Which chat messages a panel shows. */
import type { ChatMessageView } from '@teleclass/shared';

export type ChatFilter = 'all' | 'questions' | 'open';

export function filterChat(chat: readonly ChatMessageView[], filter: ChatFilter): ChatMessageView[] {
  if (filter === 'questions') return chat.filter((m) => m.isQuestion);
  if (filter === 'open') return chat.filter((m) => m.isQuestion && m.answeredAt === null);
  return [...chat];
}

/** Who wrote a message, as shown: "Leyla", "Ganja (classroom)", "Dr. Aliyev (trainer)". */
export function authorLabel(message: Pick<ChatMessageView, 'authorName' | 'authorRole' | 'site'>): string {
  if (message.authorRole === 'trainer') return `${message.authorName} (trainer)`;
  if (message.authorRole === 'site') return `${message.site ?? message.authorName} (classroom)`;
  return message.authorName;
}
