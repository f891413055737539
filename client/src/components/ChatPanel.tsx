import { useTranslation } from 'react-i18next';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Check } from 'lucide-react';
import type { ChatMessageView } from '@teleclass/shared';
import { CHAT_MAX_LENGTH } from '@teleclass/shared/limits';
import { countQuestions } from '../view/questions.js';
import { authorLabel, filterChat, type ChatFilter } from '../view/chatFilter.js';
import { clockTime } from '../view/time.js';

export interface ChatPanelProps {
  chat: readonly ChatMessageView[];
  /** One's own identity, to mark one's own messages. */
  selfIdentity: string | null;
  /** The trainer: filters questions and marks them answered (and does not ask). */
  moderator?: boolean;
  disabled?: boolean;
  onSend: (text: string, question: boolean) => Promise<boolean>;
  onMarkAnswered?: (messageId: string) => void;
}

/** Chat and questions: the messages (newest at the bottom) and a line to write. */
export function ChatPanel({ chat, selfIdentity, moderator, disabled, onSend, onMarkAnswered }: ChatPanelProps) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<ChatFilter>('all');
  const [text, setText] = useState('');
  const [question, setQuestion] = useState(false);
  const [sending, setSending] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  const shown = filterChat(chat, filter);
  const questions = countQuestions(chat);

  // Follow new messages while the reader is at the bottom.
  const lastId = shown.at(-1)?.id;
  useEffect(() => {
    const el = list.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 120) el.scrollTop = el.scrollHeight;
  }, [lastId]);

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || sending || disabled) return;
    setSending(true);
    const sent = await onSend(trimmed, !moderator && question);
    setSending(false);
    if (sent) {
      setText('');
      setQuestion(false);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) void send(event);
  };

  return (
    <section className="chat" aria-label={t('chat.label')}>
      <header className="chat__head">
        {moderator ? (
          <div className="chat__filters" role="tablist" aria-label={t('chat.show')}>
            <FilterButton current={filter} value="all" onSelect={setFilter} label={t('chat.all', { count: chat.length })} />
            <FilterButton current={filter} value="questions" onSelect={setFilter} label={t('chat.questions', { count: questions.total })} testId="chat-filter-questions" />
            <FilterButton current={filter} value="open" onSelect={setFilter} label={t('chat.unanswered', { count: questions.open })} />
          </div>
        ) : (
          <span className="chat__summary" data-testid="chat-questions">
            {questions.total === 0 ? t('chat.noQuestions') : t('chat.questionSummary', { count: questions.total, answered: questions.answered })}
          </span>
        )}
      </header>
      <ol className="chat__list" ref={list}>
        {shown.length === 0 && <li className="chat__empty">{t(filter === 'all' ? 'chat.noMessages' : 'chat.noQuestionsHere')}</li>}
        {shown.map((m) => (
          <li
            key={m.id}
            className={`chat__message ${m.isQuestion ? 'chat__message--question' : ''} ${m.authorId === selfIdentity ? 'chat__message--own' : ''}`}
            data-testid="chat-message"
            data-question={m.isQuestion}
            data-answered={m.answeredAt !== null}
          >
            <div className="chat__meta">
              <span className="chat__author">{authorLabel(m, t)}</span>
              <time className="chat__time">{clockTime(m.createdAt)}</time>
              {m.isQuestion && (
                <span className={`badge ${m.answeredAt !== null ? 'badge--ok' : 'badge--question'}`} data-testid="question-badge">
                  {m.answeredAt !== null ? (
                    <>
                      {t('chat.answered')} <Check className="icon" aria-hidden="true" />
                    </>
                  ) : (
                    t('chat.question')
                  )}
                </span>
              )}
            </div>
            <p className="chat__text">{m.text}</p>
            {moderator && m.isQuestion && m.answeredAt === null && onMarkAnswered && (
              <button type="button" className="button button--small" data-testid="mark-answered" onClick={() => onMarkAnswered(m.id)}>
                {t('chat.markAnswered')}
              </button>
            )}
          </li>
        ))}
      </ol>
      <form className="chat__form" onSubmit={(event) => void send(event)}>
        <textarea
          className="chat__input"
          data-testid="chat-input"
          value={text}
          rows={2}
          maxLength={CHAT_MAX_LENGTH}
          placeholder={t(moderator ? 'chat.placeholderModerator' : 'chat.placeholder')}
          disabled={disabled}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="chat__row">
          {!moderator && (
            <label className="chat__question">
              <input type="checkbox" data-testid="chat-question" checked={question} disabled={disabled} onChange={(event) => setQuestion(event.target.checked)} />
              {t('chat.askAsQuestion')}
            </label>
          )}
          {text.length > CHAT_MAX_LENGTH - 100 && <span className="chat__left">{t('chat.left', { count: CHAT_MAX_LENGTH - text.length })}</span>}
          <button type="submit" className="button button--primary button--small" data-testid="chat-send" disabled={disabled || sending || text.trim() === ''}>
            {t('chat.send')}
          </button>
        </div>
      </form>
    </section>
  );
}

function FilterButton(props: { current: ChatFilter; value: ChatFilter; label: string; testId?: string; onSelect: (f: ChatFilter) => void }) {
  const selected = props.current === props.value;
  return (
    <button
      type="button"
      role="tab"
      aria-selected={selected}
      className={`chip ${selected ? 'chip--on' : ''}`}
      data-testid={props.testId}
      onClick={() => props.onSelect(props.value)}
    >
      {props.label}
    </button>
  );
}
