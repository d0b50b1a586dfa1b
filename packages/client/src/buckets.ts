import type { Transport } from './transport.js';
import type { Bucket, BucketSettings, NewBucket, Usage } from './types.js';

/** The tenant's buckets (`files:write` to change them, `files:read` to read). */
export class BucketsApi {
  constructor(private readonly transport: Transport) {}

  create(body: NewBucket): Promise<Bucket> {
    return this.transport.data(this.transport.api.POST('/v1/buckets', { body }));
  }

  async list(): Promise<Bucket[]> {
    return (await this.transport.data(this.transport.api.GET('/v1/buckets'))).items;
  }

  get(name: string): Promise<Bucket> {
    return this.transport.data(this.transport.api.GET('/v1/buckets/{name}', { params: { path: { name } } }));
  }

  /** Changes only the settings given. */
  update(name: string, body: BucketSettings): Promise<Bucket> {
    return this.transport.data(
      this.transport.api.PATCH('/v1/buckets/{name}', { params: { path: { name } }, body }),
    );
  }

  /** Deletes an empty bucket; with `force`, its files first (through the normal delete path). */
  delete(name: string, options: { force?: boolean } = {}): Promise<void> {
    return this.transport.done(
      this.transport.api.DELETE('/v1/buckets/{name}', {
        params: { path: { name }, query: options.force ? { force: true } : {} },
      }),
    );
  }

  /** What the tenant holds, in total and by bucket, and its quota. */
  usage(): Promise<Usage> {
    return this.transport.data(this.transport.api.GET('/v1/usage'));
  }
}
