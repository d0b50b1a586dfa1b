import type { InjectionToken, ModuleMetadata } from '@nestjs/common';
import type { DiskObserver } from './wrappers/observed.disk';

/** What the app adds to the disks config describes. */
export interface StorageModuleOptions {
  /** Told of every operation on every disk, e.g. to record metrics by disk and operation. */
  observer?: DiskObserver;
}

export interface StorageModuleAsyncOptions<Deps extends unknown[]> {
  /** Modules that provide what `inject` names. */
  imports?: ModuleMetadata['imports'];
  inject?: { [K in keyof Deps]: InjectionToken<Deps[K]> };
  useFactory?: (...deps: Deps) => StorageModuleOptions | Promise<StorageModuleOptions>;
}

export const STORAGE_MODULE_OPTIONS = Symbol('STORAGE_MODULE_OPTIONS');
