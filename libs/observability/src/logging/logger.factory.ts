import pino, { type Logger } from 'pino';
import type { AppConfig, LogConfig } from '@depot/config';
import { currentLogContext } from './log-context';

export type { Logger } from 'pino';

/** Paths that carry a bearer token of their own: signed download links and upload links. */
const TOKEN_PATH = /^(\/v1\/(?:downloads|upload-links)\/)[^/?#]+/;

/** A request path fit for logs: a link's token is replaced, the rest kept. */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_PATH, '$1[redacted]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

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
    // Replaces Fastify's own `req` serializer: the same fields, with link tokens kept out of the logs.
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: request.url === undefined ? undefined : redactUrl(request.url),
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
