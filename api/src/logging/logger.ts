import { pino, type Logger } from 'pino';
import type { AppConfig } from '../config/config.ts';

export function createLogger(level: AppConfig['logLevel']): Logger {
  return pino({
    level,
    redact: {
      // Personal data must never reach the logs either.
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.reporter', '*.phone', '*.email', 'password'],
      censor: '[redacted]',
    },
  });
}
