import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One claimed tick of a scheduled task. The unique (task, scheduled_at) pair is what makes
 * a tick fire once across any number of scheduler replicas: only the insert that wins enqueues.
 */
@Entity({ name: 'scheduler_runs' })
@Index('ux_scheduler_runs_task_scheduled', ['task', 'scheduledAt'], { unique: true })
@Index('ix_scheduler_runs_scheduled', ['scheduledAt'])
export class SchedulerRunEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 64 })
  task!: string;

  @Column('timestamptz')
  scheduledAt!: Date;

  @Column('timestamptz', { nullable: true })
  enqueuedAt!: Date | null;

  @Column('varchar', { length: 255, nullable: true })
  jobId!: string | null;

  /** Which scheduler process claimed the tick (host and pid). */
  @Column('varchar', { length: 255 })
  claimedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
