import type { QueueName, QueueProcessor } from '@depot/queue';
import { processorCoverageProblems } from '../../../libs/queue/src/processor-coverage.check';

const processor = (queueName: QueueName, name: string): QueueProcessor<QueueName> =>
  ({ queueName, constructor: { name } }) as unknown as QueueProcessor<QueueName>;

describe('processor coverage', () => {
  it('accepts exactly one processor per queue', () => {
    expect(
      processorCoverageProblems([
        processor('files', 'A'),
        processor('webhooks', 'B'),
        processor('maintenance', 'C'),
      ]),
    ).toEqual([]);
  });

  it('names each queue with no processor or with more than one', () => {
    expect(
      processorCoverageProblems([
        processor('files', 'A'),
        processor('files', 'B'),
        processor('webhooks', 'C'),
      ]),
    ).toEqual(['queue "files" has 2 processors (A, B)', 'queue "maintenance" has no processor']);
  });
});
