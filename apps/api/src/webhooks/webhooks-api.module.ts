import { Module } from '@nestjs/common';
import { WebhooksModule } from '@depot/webhooks';
import { AuthModule } from '../http/auth.module';
import { WebhooksController } from './webhooks.controller';

@Module({
  imports: [AuthModule, WebhooksModule],
  controllers: [WebhooksController],
})
export class WebhooksApiModule {}
