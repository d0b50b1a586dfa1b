import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, type Repository } from 'typeorm';
import { ApiConfig } from '@depot/config';
import { BucketEntity } from './buckets/bucket.entity';
import type { FileEntity } from './entities/file.entity';
import { type FileView, type FileViewSource, toFileView } from './file.view';
import type { ListedFile } from './files.repository';

/** Where public files are served: `GET {publicUrl}/v1/public/files/{id}`. */
export const PUBLIC_FILES_PATH = 'v1/public/files';

type BucketFacts = Pick<BucketEntity, 'id' | 'name' | 'public'>;

/**
 * Files as the api and webhooks show them: with their bucket's name and, in a public
 * bucket, the `publicUrl` (built on the file id, never on a name, so it cannot be guessed).
 * A page of files costs one query for its buckets; a listed page, none.
 */
@Injectable()
export class FileViewsService {
  private readonly publicBase: string;

  constructor(
    @InjectRepository(BucketEntity) private readonly buckets: Repository<BucketEntity>,
    api: ApiConfig,
  ) {
    this.publicBase = `${api.publicUrl.replace(/\/+$/, '')}/${PUBLIC_FILES_PATH}`;
  }

  /** The public address of a file of a public bucket. */
  publicUrl(fileId: string): string {
    return `${this.publicBase}/${fileId}`;
  }

  async one(file: FileEntity, manager?: EntityManager): Promise<FileView> {
    const [view] = await this.many([file], manager);
    return view!;
  }

  async many(files: readonly FileEntity[], manager?: EntityManager): Promise<FileView[]> {
    const ids = [...new Set(files.map((file) => file.bucketId).filter((id): id is string => id !== null))];
    const repository = manager ? manager.getRepository(BucketEntity) : this.buckets;
    const found: BucketFacts[] =
      ids.length === 0
        ? []
        : await repository.find({ select: { id: true, name: true, public: true }, where: { id: In(ids) } });
    const byId = new Map(found.map((bucket) => [bucket.id, bucket]));
    return files.map((file) => this.view(file, file.bucketId ? byId.get(file.bucketId) : undefined));
  }

  /** The view of a file whose bucket is at hand (a fresh upload's): no query. */
  inBucket(file: FileEntity, bucket: Pick<BucketEntity, 'name' | 'public'>): FileView {
    return this.view(file, bucket);
  }

  /** The views of listed files, which carry their bucket already. */
  listed(files: readonly ListedFile[]): FileView[] {
    return files.map((file) => this.view(file, file.bucket ?? undefined));
  }

  private view(file: FileViewSource, bucket: Pick<BucketFacts, 'name' | 'public'> | undefined): FileView {
    return toFileView(file, {
      bucket: bucket?.name ?? null,
      publicUrl: bucket?.public && file.status !== 'deleted' ? this.publicUrl(file.id) : undefined,
    });
  }
}
