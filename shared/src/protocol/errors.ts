import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.js';

export * from '../errors.js';

export const errorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

export const ackSchema = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: z.object({ code: errorCodeSchema, message: z.string() }) }),
  ]);
