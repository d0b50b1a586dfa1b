import { Module } from '@nestjs/common';
import { ConfigModule } from '@depot/config';
import { TenancyModule } from '@depot/tenancy';
import { AuthGuard } from './auth.guard';
import { CredentialsService } from './credentials.service';

/**
 * Import this in every api module whose controllers use `@AdminOnly()` or
 * `@RequireScopes()`: it gives their guard what it needs to authenticate.
 */
@Module({
  imports: [TenancyModule, ConfigModule],
  providers: [AuthGuard, CredentialsService],
  exports: [AuthGuard, CredentialsService, TenancyModule],
})
export class AuthModule {}
