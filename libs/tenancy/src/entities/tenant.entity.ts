import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

const bigintNumber = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  /** The most bytes the tenant may keep (files not deleted, uploads in flight included); null: no cap. */
  @Column('bigint', { nullable: true, transformer: bigintNumber })
  quotaMaxBytes!: number | null;

  /** The most files the tenant may keep; null: no cap. */
  @Column('bigint', { nullable: true, transformer: bigintNumber })
  quotaMaxFiles!: number | null;

  /**
   * Bytes held: the sizes of the tenant's files that are not deleted, plus bytes reserved by
   * uploads still streaming. Kept by the files domain's UsageCounters in the same
   * transaction as each file row change; never computed by a scan.
   */
  @Column('bigint', { default: 0, transformer: bigintNumber })
  usedBytes!: number;

  /** Files held (not deleted), uploads in flight included. */
  @Column('bigint', { default: 0, transformer: bigintNumber })
  usedFiles!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
