import { Module } from '@nestjs/common';
import { TenancyModule } from '@depot/tenancy';
import { AuthGuard } from './auth.guard';

/**
 * Import this in every api module whose controllers use `@AdminOnly()` or
 * `@RequireScopes()`: it gives their guard what it needs to authenticate.
 */
@Module({
  imports: [TenancyModule],
  providers: [AuthGuard],
  exports: [AuthGuard, TenancyModule],
})
export class AuthModule {}
