/**
 * Child process of the list benchmark, raw side: Fastify + pg answering
 * `GET /v1/files?bucket=&prefix=&limit=&cursor=` as Depot does, with nothing else: the API
 * key by its prefix and a constant-time hash check, the bucket by tenant and name, then the
 * same keyset query on `(created_at, id)` through `ix_files_bucket_created`, answered as
 * JSON Files with the last id as the cursor (unsigned: the raw side skips the HMAC). Same
 * pool size as the api. Writes `BENCH_RESULT {"port": ...}` once listening.
 *
 * Packages only (and the shared raw-server.ts), so that it runs compiled (`compileForNode`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { serveForBench } from './raw-server';

const KEY = /^Bearer (dpk_[0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

interface Query {
  bucket?: string;
  prefix?: string;
  limit?: string;
  cursor?: string;
}

async function main(): Promise<void> {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.POOL_SIZE ?? 10),
  });
  const app = Fastify({ logger: false });
  app.get<{ Querystring: Query }>('/v1/files', async (request, reply) => {
    const authorization = request.headers.authorization ?? '';
    const match = KEY.exec(authorization);
    if (!match) return reply.status(401).send({ status: 401 });
    const key = (
      await pool.query<{ tenant_id: string; key_hash: string; scopes: string[]; revoked_at: Date | null }>(
        'SELECT tenant_id, key_hash, scopes, revoked_at FROM api_keys WHERE prefix = $1',
        [match[1]],
      )
    ).rows[0];
    const presented = createHash('sha256').update(authorization.slice('Bearer '.length)).digest();
    if (!key || !timingSafeEqual(presented, Buffer.from(key.key_hash, 'hex')) || key.revoked_at) {
      return reply.status(401).send({ status: 401 });
    }
    if (!key.scopes.includes('files:read')) return reply.status(403).send({ status: 403 });
    const { bucket: bucketName = 'default', prefix = '', cursor } = request.query;
    const limit = Math.min(Number(request.query.limit ?? 50), 100);
    const bucket = (
      await pool.query<{ id: string; name: string }>(
        'SELECT id, name FROM buckets WHERE tenant_id = $1 AND name = $2',
        [key.tenant_id, bucketName],
      )
    ).rows[0];
    if (!bucket) return reply.status(404).send({ status: 404 });
    const pattern = `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    const after = cursor
      ? `AND (f.created_at, f.id) < (SELECT a.created_at, a.id FROM files a WHERE a.id = $5 AND a.tenant_id = $1)`
      : '';
    const rows = (
      await pool.query<Record<string, unknown>>(
        `SELECT f.id, f.name, f.size, f.received_bytes, f.content_type, f.detected_type, f.sha256, f.status,
                f.failure_reason, f.metadata, f.expires_at, f.created_at, f.updated_at
           FROM files f
          WHERE f.tenant_id = $1 AND f.bucket_id = $2 AND f.name LIKE $3 ESCAPE '\\'
            AND f.status NOT IN ('deleted', 'uploading') AND (f.expires_at IS NULL OR f.expires_at > now()) ${after}
          ORDER BY f.created_at DESC, f.id DESC
          LIMIT $4`,
        cursor
          ? [key.tenant_id, bucket.id, pattern, limit + 1, cursor]
          : [key.tenant_id, bucket.id, pattern, limit + 1],
      )
    ).rows;
    const items = rows.slice(0, limit).map((file) => ({
      id: file.id,
      bucket: bucket.name,
      name: file.name,
      size: file.size === null ? null : Number(file.size),
      receivedBytes: file.received_bytes === null ? null : Number(file.received_bytes),
      contentType: file.content_type,
      detectedType: file.detected_type,
      sha256: file.sha256,
      status: file.status,
      failureReason: file.failure_reason,
      metadata: file.metadata,
      expiresAt: file.expires_at,
      createdAt: file.created_at,
      updatedAt: file.updated_at,
    }));
    return { items, nextCursor: rows.length > limit ? (items[items.length - 1]!.id as string) : null };
  });
  await serveForBench(app, () => pool.end());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
