import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule, DatabaseConfig, StorageConfig } from '@depot/config';
import { dataSourceOptions } from './data-source.options';
import { DatabaseHealthIndicator } from './database.health';
import { SchemaHealthIndicator } from './schema.health';
import { KeysetCursors } from './keyset-pagination';
import { TransactionRunner } from './transaction.runner';

/**
 * The TypeORM connection. Entities are registered by the domain libs that own them
 * (`TypeOrmModule.forFeature`), so each app connects only what it hosts.
 */
@Module({
  imports: [
    ConfigModule,
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule],
      inject: [DatabaseConfig],
      useFactory: (config: DatabaseConfig) => ({
        ...dataSourceOptions(config),
        autoLoadEntities: true,
        // The app's preflight has already shown the database answers; fail fast after that.
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [
    TransactionRunner,
    DatabaseHealthIndicator,
    SchemaHealthIndicator,
    {
      provide: KeysetCursors,
      // Keyed from the signing secret (see KeysetCursors): rotating it retires old cursors with it.
      useFactory: (storage: StorageConfig) =>
        new KeysetCursors([storage.signingSecret, ...storage.previousSigningSecrets]),
      inject: [StorageConfig],
    },
  ],
  exports: [TransactionRunner, DatabaseHealthIndicator, SchemaHealthIndicator, KeysetCursors],
})
export class DatabaseModule {}
