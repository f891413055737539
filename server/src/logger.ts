import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** pino: pretty lines on a terminal, JSON lines otherwise (files, journald, CI). */
export function createLogger(level: LevelWithSilent, pretty = process.stdout.isTTY === true): Logger {
  return pino({
    level,
    base: { service: 'teleclass' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } }
      : {}),
  });
}
