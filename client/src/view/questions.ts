/** The chat's questions, counted for the moderator's filters and the studio's Chat tab badge. */
import type { ChatMessageView } from '@teleclass/shared';

export interface QuestionCounts {
  total: number;
  answered: number;
  open: number;
}

export function countQuestions(chat: readonly Pick<ChatMessageView, 'isQuestion' | 'answeredAt'>[]): QuestionCounts {
  const questions = chat.filter((m) => m.isQuestion);
  const answered = questions.filter((m) => m.answeredAt !== null).length;
  return { total: questions.length, answered, open: questions.length - answered };
}
