import { S3Client } from '@aws-sdk/client-s3';
import type { DiskConfig } from '@depot/config';

export type S3DiskConfig = Extract<DiskConfig, { driver: 's3' }>;

/** Fail fast when the endpoint does not answer, rather than wait on the OS's TCP timeout. */
const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * An S3 client for a disk's config. Credentials come from the config when both keys are
 * set, otherwise from the SDK's default chain (environment, profile, instance role).
 */
export function createS3Client(config: S3DiskConfig): S3Client {
  const { region, endpoint, forcePathStyle, accessKeyId, secretAccessKey } = config;
  return new S3Client({
    region,
    endpoint,
    forcePathStyle,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS },
    // The SDK's default flexible checksums frame uploads as aws-chunked, which S3-compatible
    // servers (s3rver, older MinIO, Ceph) may store verbatim inside the object. Send and check
    // checksums only where an operation requires them, unless this is AWS itself.
    ...(endpoint !== undefined &&
      !isAwsEndpoint(endpoint) && {
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
  });
}

function isAwsEndpoint(endpoint: string): boolean {
  return /(^|\.)amazonaws\.com(\.cn)?$/.test(new URL(endpoint).hostname);
}
