import { Injectable } from '@nestjs/common';
import type { HealthIndicator } from '@depot/observability';
import { StorageService } from './storage.service';

/** Readiness: the default disk can be used (its folder is writable, its bucket answers). */
@Injectable()
export class StorageHealthIndicator implements HealthIndicator {
  readonly name = 'storage';

  constructor(private readonly storage: StorageService) {}

  check(): Promise<void> {
    return this.storage.disk().check();
  }
}
