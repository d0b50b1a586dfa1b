import { type SchedulerConfig } from '@depot/config';
import { describeTasks } from '@depot/scheduling';
import { CronSchedule, InvalidCronError } from '../../../libs/scheduling/src/cron-schedule';
import { tickJobId } from '../../../libs/scheduling/src/task-dispatcher.service';

const at = (iso: string) => new Date(iso);

describe('CronSchedule', () => {
  it('maps a firing to its tick: on time, late, or a hair early', () => {
    const everyFiveSeconds = CronSchedule.parse('*/5 * * * * *');
    expect(everyFiveSeconds.tickAt(at('2026-11-28T12:00:10.000Z'))).toEqual(at('2026-11-28T12:00:10.000Z'));
    expect(everyFiveSeconds.tickAt(at('2026-11-28T12:00:10.420Z'))).toEqual(at('2026-11-28T12:00:10.000Z'));
    expect(everyFiveSeconds.tickAt(at('2026-11-28T12:00:09.998Z'))).toEqual(at('2026-11-28T12:00:10.000Z'));
    expect(everyFiveSeconds.tickAt(at('2026-11-28T12:00:14.800Z'))).toEqual(at('2026-11-28T12:00:10.000Z'));
  });

  it('reads five fields as minute-first and six as seconds-first, in UTC', () => {
    expect(CronSchedule.parse('5 0 * * *').nextRuns(at('2026-11-28T12:00:00Z'), 3)).toEqual([
      at('2026-11-29T00:05:00Z'),
      at('2026-11-30T00:05:00Z'),
      at('2026-12-01T00:05:00Z'),
    ]);
    expect(CronSchedule.parse('*/1 * * * * *').nextRuns(at('2026-11-28T12:00:00.500Z'), 2)).toEqual([
      at('2026-11-28T12:00:01Z'),
      at('2026-11-28T12:00:02Z'),
    ]);
    expect(CronSchedule.parse('* * * * *').tickAt(at('2026-11-28T12:34:56.789Z'))).toEqual(
      at('2026-11-28T12:34:00Z'),
    );
  });

  it('refuses what either cron library cannot read', () => {
    for (const expression of ['61 * * * *', '* * * *', 'H * * * *', 'every minute', '* * * * * * *']) {
      expect(() => CronSchedule.parse(expression)).toThrow(InvalidCronError);
    }
  });

  it('derives job ids from task and tick, without ":"', () => {
    expect(tickJobId('requeueStuck', at('2026-11-28T12:00:00Z'))).toBe('requeueStuck-1795867200000');
  });

  it('describes each task with its next three runs', () => {
    const config = {
      port: 0,
      host: '127.0.0.1',
      tasks: {
        retentionSweep: { cron: '*/5 * * * *', enabled: true },
        requeueStuck: { cron: '* * * * *', enabled: false },
        usageReport: { cron: '5 0 * * *', enabled: true },
      },
      keepRunsForDays: 30,
    } satisfies SchedulerConfig;
    const tasks = describeTasks(config, at('2026-11-28T12:01:00Z'));
    expect(tasks.map(({ task, enabled }) => [task, enabled])).toEqual([
      ['retentionSweep', true],
      ['requeueStuck', false],
      ['usageReport', true],
    ]);
    expect(tasks[0]!.nextRuns).toEqual([
      at('2026-11-28T12:05:00Z'),
      at('2026-11-28T12:10:00Z'),
      at('2026-11-28T12:15:00Z'),
    ]);
  });
});
