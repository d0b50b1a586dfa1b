import { Module } from '@nestjs/common';
import { QueueModule } from '@depot/queue';
import { AuthModule } from '../http/auth.module';
import { QueuesController } from './queues.controller';

/** The operator's admin routes under /v1/admin. */
@Module({
  imports: [AuthModule, QueueModule],
  controllers: [QueuesController],
})
export class AdminApiModule {}
