/** Which chat messages a panel shows. */
import type { ChatMessageView } from '@teleclass/shared';
import type { TFunction } from 'i18next';

export type ChatFilter = 'all' | 'questions' | 'open';

export function filterChat(chat: readonly ChatMessageView[], filter: ChatFilter): ChatMessageView[] {
  if (filter === 'questions') return chat.filter((m) => m.isQuestion);
  if (filter === 'open') return chat.filter((m) => m.isQuestion && m.answeredAt === null);
  return [...chat];
}

/** Who wrote a message, as shown: "Leyla", "Ganja (classroom)", "Dr. Aliyev (trainer)" (in the reader's language). */
export function authorLabel(message: Pick<ChatMessageView, 'authorName' | 'authorRole' | 'site'>, t: TFunction): string {
  if (message.authorRole === 'trainer') return t('chat.author.trainer', { name: message.authorName });
  if (message.authorRole === 'site') return t('chat.author.site', { name: message.site ?? message.authorName });
  return message.authorName;
}
