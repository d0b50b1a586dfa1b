import pino from 'pino';
import { PinoLoggerService } from '@depot/observability';

describe('PinoLoggerService', () => {
  const lines: Array<Record<string, unknown>> = [];
  const service = new PinoLoggerService(
    pino(
      { level: 'warn', base: undefined, timestamp: false },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    ),
  );
  beforeEach(() => lines.splice(0));

  it("writes Nest's calls with their context, and an error's stack", () => {
    service.warn({ fileId: 'f1', msg: 'slow' }, 'FilesProcessor');
    service.error('boom', 'Error: boom\n    at x', 'Worker');
    expect(lines).toEqual([
      { level: 40, context: 'FilesProcessor', fileId: 'f1', msg: 'slow' },
      { level: 50, context: 'Worker', stack: 'Error: boom\n    at x', msg: 'boom' },
    ]);
  });

  it('neither writes nor reads a message at a level that is off', () => {
    let reads = 0;
    const message = {
      get fileId(): string {
        reads += 1;
        return 'f1';
      },
    };
    service.log(message, 'FilesProcessor');
    service.debug(message);
    expect(lines).toEqual([]);
    expect(reads).toBe(0);
  });
});
