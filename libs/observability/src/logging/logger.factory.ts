import pino, { type Logger } from 'pino';
import type { AppConfig, LogConfig } from '@depot/config';
import { currentLogContext } from './log-context';
import { redactUrl } from './redact-url';

/** The fields of a request Fastify logs: its own serializer's, with tokens in the URL redacted. */
interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export type { Logger } from 'pino';

/**
 * The process's root logger: JSON lines, pretty only where `log.pretty` is on
 * (development). Every line carries the app's name and the current request or job ids.
 */
export function createLogger(app: Pick<AppConfig, 'env'>, log: LogConfig, service: string): Logger {
  return pino({
    level: log.level,
    base: { service, env: app.env },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => ({ ...currentLogContext() }),
    // Fastify takes the logger's own serializers over its defaults.
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
      censor: '[redacted]',
    },
    ...(log.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,env' },
          },
        }
      : {}),
  });
}
