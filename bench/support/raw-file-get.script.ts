/**
 * Child process of the GET benchmark, raw side: Fastify + pg doing the lookups Depot's
 * `GET /v1/files/:id` does, with nothing else: find the API key by its prefix, compare the
 * SHA-256 of the presented key in constant time, check it is not revoked and holds
 * `files:read`, then read the file by id and tenant and answer it as JSON. Same pool size
 * as the api. Writes `BENCH_RESULT {"port": ...}` once listening.
 *
 * Packages only (and the shared raw-server.ts), so that it runs compiled (`compileForNode`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { serveForBench } from './raw-server';

const KEY = /^Bearer (dpk_[0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

async function main(): Promise<void> {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.POOL_SIZE ?? 10),
  });
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/v1/files/:id', async (request, reply) => {
    const authorization = request.headers.authorization ?? '';
    const match = KEY.exec(authorization);
    if (!match) return reply.status(401).send({ status: 401 });
    const key = (
      await pool.query<{
        id: string;
        tenant_id: string;
        key_hash: string;
        scopes: string[];
        revoked_at: Date | null;
      }>('SELECT id, tenant_id, key_hash, scopes, revoked_at FROM api_keys WHERE prefix = $1', [match[1]])
    ).rows[0];
    const presented = createHash('sha256').update(authorization.slice('Bearer '.length)).digest();
    if (!key || !timingSafeEqual(presented, Buffer.from(key.key_hash, 'hex')) || key.revoked_at) {
      return reply.status(401).send({ status: 401 });
    }
    if (!key.scopes.includes('files:read')) return reply.status(403).send({ status: 403 });
    const file = (
      await pool.query(
        `SELECT f.id, b.name AS bucket, f.name, f.size, f.received_bytes, f.content_type, f.detected_type, f.sha256, f.status,
                f.failure_reason, f.metadata, f.expires_at, f.created_at, f.updated_at
           FROM files f LEFT JOIN buckets b ON b.id = f.bucket_id
          WHERE f.id = $1 AND f.tenant_id = $2 AND f.status <> 'deleted'`,
        [request.params.id, key.tenant_id],
      )
    ).rows[0] as Record<string, unknown> | undefined;
    if (!file) return reply.status(404).send({ status: 404 });
    return {
      id: file.id,
      bucket: file.bucket,
      name: file.name,
      size: file.size === null ? null : Number(file.size),
      receivedBytes:
        file.received_bytes === null
          ? file.size === null
            ? null
            : Number(file.size)
          : Number(file.received_bytes),
      contentType: file.content_type,
      detectedType: file.detected_type,
      sha256: file.sha256,
      status: file.status,
      failureReason: file.failure_reason,
      metadata: file.metadata,
      expiresAt: file.expires_at,
      createdAt: file.created_at,
      updatedAt: file.updated_at,
    };
  });
  await serveForBench(app, () => pool.end());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
