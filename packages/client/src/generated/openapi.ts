// Generated from openapi.json by packages/client/scripts/generate-types.mjs: do not edit.
// Regenerate with `npm run generate -w @depot/client` (a test fails when this is stale).
export interface paths {
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The process is up and serving HTTP. */
    get: operations['HealthController_live'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every dependency answers: 200, or 503 with up or down for each.
     * @description Anyone sees up or down per dependency. Latencies and the errors of failed checks (which name hosts and paths) are shown only with the admin key as Bearer; the app logs them when a check goes down.
     */
    get: operations['HealthController_ready'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/queues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Job counts per queue: waiting, active, delayed, completed, failed. */
    get: operations['QueuesController_counts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/queues/{name}/retry-failed': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Move every failed job of a queue back to waiting; the worker picks them up. */
    post: operations['QueuesController_retryFailed'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/scheduler/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Recent scheduler ticks, newest first, with the job each one enqueued. */
    get: operations['SchedulerRunsController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key: it is refused from the next request on. */
    delete: operations['TenantsController_revokeKey'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/buckets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant's buckets, by name. */
    get: operations['BucketsController_list'];
    put?: never;
    /** Create a bucket. */
    post: operations['BucketsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/buckets/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A bucket, with its usage. */
    get: operations['BucketsController_get'];
    put?: never;
    post?: never;
    /**
     * Delete a bucket.
     * @description 409 while it holds files, unless `force=true`, which deletes them through the normal delete path (reads 404 at once, bytes purged by the worker, `file.deleted` webhooks). `default` cannot be deleted.
     */
    delete: operations['BucketsController_remove'];
    options?: never;
    head?: never;
    /**
     * Change a bucket's rules.
     * @description Only the fields sent change. Rules apply to uploads from then on; making it private ends its public reads at once.
     */
    patch: operations['BucketsController_update'];
    trace?: never;
  };
  '/v1/downloads/{token}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download a file through a signed link.
     * @description Needs no API key. Supports `Range`, `If-Range` and `If-None-Match` like the content route.
     */
    get: operations['DownloadsController_download'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/files': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the tenant's files, newest first.
     * @description Filters combine: `bucket`, `prefix` (start of the name), `q` (substring of the name, any case), `status`. `cursor` continues the same filtered list.
     */
    get: operations['FilesController_list'];
    put?: never;
    /**
     * Upload a file.
     * @description Streams the file to storage and answers as soon as it is stored, with status `pending`; the worker then checks it (SHA-256, type from its bytes) and makes it `ready` or `failed`. With an `Idempotency-Key` already used by this tenant, the body is not read and the first upload is answered again (same status, id and Location; the file as it is now; `Idempotent-Replayed: true`). The bucket's rules apply while the body streams: a declared type outside its `allowedTypes` is 415 before a byte is stored, a body past its `maxFileSizeBytes` is 413 at the limit; nothing is kept. An upload that would pass the tenant's quota is 409 (`quota-max-bytes` / `quota-max-files`).
     */
    post: operations['FilesController_upload'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/files/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A file's metadata and status. */
    get: operations['FilesController_get'];
    put?: never;
    post?: never;
    /** Delete a file: later reads answer 404; the worker purges its bytes. */
    delete: operations['FilesController_remove'];
    options?: never;
    head?: never;
    /**
     * Rename a file, move it to another bucket, or replace its metadata.
     * @description Only what is sent changes. A move applies the new bucket's rules to the file as it is (415, 413). Sends `file.updated`.
     */
    patch: operations['FilesController_update'];
    trace?: never;
  };
  '/v1/files/{id}/content': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download a ready file's bytes.
     * @description Supports `Range` (one byte range: 206, or 416 past the end), `If-Range`, and `If-None-Match` against the strong `ETag`, which is the SHA-256 of the bytes (304). Always sent as an attachment.
     */
    get: operations['FilesController_content'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/files/{id}/copy': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Copy a ready file, server-side, into a bucket.
     * @description A new `ready` file with the same bytes, sha256 and types, copied by the storage itself (S3 CopyObject / UploadPartCopy; a local file copy). The destination bucket's rules (415, 413) and the tenant's quota (409) apply. Sends `file.copied`.
     */
    post: operations['FilesController_copy'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/files/{id}/links': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Make a link that downloads the file without credentials until it expires.
     * @description On S3 a presigned URL; on the local disk a signed `/v1/downloads/{token}` URL served by the api.
     */
    post: operations['FilesController_link'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/public/files/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read a file of a public bucket, with no key.
     * @description `Cache-Control: public, max-age=<the bucket's cacheMaxAgeSeconds>`; `ETag`, `Range`, `If-Range` and `If-None-Match` as on the content route. 404 for anything else: a private bucket, a deleted or unready file.
     */
    get: operations['PublicFilesController_read'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List tenants, newest first. */
    get: operations['TenantsController_listTenants'];
    put?: never;
    /** Create a tenant. */
    post: operations['TenantsController_createTenant'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenants/{tenantId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Rename a tenant or set its quota.
     * @description Only what is sent changes; `null` removes a cap. A quota below what the tenant holds refuses new uploads (409 `quota-max-bytes` / `quota-max-files`) and keeps what is stored.
     */
    patch: operations['TenantsController_updateTenant'];
    trace?: never;
  };
  '/v1/tenants/{tenantId}/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a tenant's API keys (never the keys themselves), newest first. */
    get: operations['TenantsController_listKeys'];
    put?: never;
    /**
     * Issue an API key for a tenant.
     * @description The response carries the key itself, once. Depot stores only its SHA-256 and its prefix.
     */
    post: operations['TenantsController_issueKey'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/upload-links': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Make a one-use link that uploads one file into this tenant without an API key.
     * @description The link is signed by its random token, of which Depot keeps only a hash. Its constraints (`maxSizeBytes`, `allowedTypes`) apply on top of `files.*`.
     */
    post: operations['UploadLinksController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/upload-links/{token}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Upload one file through a link (no Authorization): multipart, or a tus creation.
     * @description As `POST /v1/files`, into the tenant that made the link and within its constraints. The link works once: a refused upload (400, 413, 415) leaves it usable. With `Tus-Resumable: 1.0.0` it is a tus creation instead (use the link `url` as a tus client’s `endpoint`): 201 with `Location: /v1/upload-links/{token}/{id}`, the upload URL for the rest of that upload.
     */
    post: operations['UploadLinksController_upload'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/upload-links/{token}/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Terminate a tus upload started through a link. */
    delete: operations['UploadLinksController_terminate'];
    options?: never;
    /** The offset of a tus upload started through a link (as `HEAD /v1/uploads/{id}`). */
    head: operations['UploadLinksController_offset'];
    /** Append to a tus upload started through a link (as `PATCH /v1/uploads/{id}`). */
    patch: operations['UploadLinksController_append'];
    trace?: never;
  };
  '/v1/uploads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start a resumable upload (tus creation, creation-with-upload).
     * @description Send `Upload-Length` and `Upload-Metadata` (base64 values: `filename` or `name`, `filetype` or `type`, optionally `expiresAt`); with `Content-Type: application/offset+octet-stream` the body is the first bytes. The upload URL in `Location` is `/v1/uploads/{id}`, where `id` is the id of the file, which shows status `uploading` until its last byte and then goes on like a multipart upload.
     */
    post: operations['UploadsController_create'];
    delete?: never;
    /**
     * The server's tus capabilities.
     * @description Answers `Tus-Version: 1.0.0`, `Tus-Extension: creation,creation-with-upload,termination,expiration` and `Tus-Max-Size` (= `files.maxSizeBytes`). Browsers’ CORS preflights are answered before this, without a key, when `api.cors.origins` is set.
     */
    options: operations['UploadsController_options'];
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/uploads/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Terminate an unfinished upload: its bytes and its file are removed. */
    delete: operations['UploadsController_terminate'];
    options?: never;
    /** An upload's offset: `Upload-Offset`, `Upload-Length`, `Upload-Expires`. */
    head: operations['UploadsController_offset'];
    /**
     * Append bytes at `Upload-Offset` (body `application/offset+octet-stream`).
     * @description One request writes to an upload at a time, across every api process: another one waits up to `uploads.lockWaitMs`, then gets 423 (tus clients retry). After the last byte the file is `pending`.
     */
    patch: operations['UploadsController_append'];
    trace?: never;
  };
  '/v1/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The tenant's usage and quota, in total and by bucket.
     * @description Files not deleted and their bytes; uploads still streaming count until they settle.
     */
    get: operations['UsageController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the tenant's webhook endpoints (never their secrets), newest first. */
    get: operations['WebhooksController_list'];
    put?: never;
    /**
     * Register a webhook endpoint.
     * @description Depot POSTs each subscribed event to `url` as JSON `{id, type, createdAt, data}`, signed in `Depot-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, with `Depot-Event` and `Depot-Delivery`. A 2xx within `webhooks.timeoutMs` is success; anything else (redirects included) is retried with exponential backoff and jitter, up to `webhooks.maxAttempts`. The response carries the signing secret, once. A tenant has at most `webhooks.maxEndpointsPerTenant` endpoints (10 by default): past that, 409.
     */
    post: operations['WebhooksController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Delete an endpoint and its deliveries; deliveries not yet sent are dropped. */
    delete: operations['WebhooksController_remove'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An endpoint's deliveries, newest first, each with every attempt's outcome. */
    get: operations['WebhooksController_deliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    ApiKeyDto: {
      /** Format: date-time */
      createdAt: string;
      /** Format: uuid */
      id: string;
      /**
       * Format: date-time
       * @description To the minute.
       */
      lastUsedAt: string | null;
      name: string;
      /**
       * @description The visible start of the key, to recognise it.
       * @example dpk_3f9a0c2e71b4
       */
      prefix: string;
      /** Format: date-time */
      revokedAt: string | null;
      scopes: ('files:read' | 'files:write' | 'webhooks:manage')[];
    };
    ApiKeyListDto: {
      items: components['schemas']['ApiKeyDto'][];
    };
    BucketDto: {
      allowedTypes: string[];
      /** @description Bytes its files hold (uploads in flight included). */
      bytes: number;
      cacheMaxAgeSeconds: number;
      /** Format: date-time */
      createdAt: string;
      /** @description Files it holds (not deleted). */
      files: number;
      maxFileSizeBytes: number | null;
      /** @example avatars */
      name: string;
      public: boolean;
      retentionDays: number | null;
      /** Format: date-time */
      updatedAt: string;
    };
    BucketListDto: {
      items: components['schemas']['BucketDto'][];
    };
    BucketUsageDto: {
      bytes: number;
      files: number;
      name: string;
    };
    CopyFileDto: {
      /**
       * @description The bucket to copy into; the file's own when left out.
       * @example archive
       */
      bucket?: string;
      /** @description The copy's name (`/` separates folders); the file's own when left out. */
      name?: string;
    };
    CreateApiKeyDto: {
      /** @example ci uploader */
      name: string;
      /**
       * @description What the key may do. Required: a key gets only the scopes asked for, never a default.
       * @example [
       *       "files:read",
       *       "files:write"
       *     ]
       */
      scopes: ('files:read' | 'files:write' | 'webhooks:manage')[];
    };
    CreateBucketDto: {
      /**
       * @description Types `type/subtype` or `type/*` the bucket takes; empty: any type `files.allowedTypes` takes.
       * @example [
       *       "image/*",
       *       "application/pdf"
       *     ]
       */
      allowedTypes?: string[];
      /** @description `Cache-Control: public, max-age=` of public reads (default 3600). */
      cacheMaxAgeSeconds?: number;
      /** @description The largest file the bucket takes, at most `files.maxSizeBytes`; null: that limit. */
      maxFileSizeBytes?: number | null;
      /** @example avatars */
      name: string;
      /** @description Files are readable without a key at their `publicUrl`. */
      public?: boolean;
      /** @description Files uploaded without `expiresAt` expire this many days after upload; null: kept. */
      retentionDays?: number | null;
    };
    CreatedApiKeyDto: {
      /** Format: date-time */
      createdAt: string;
      /** Format: uuid */
      id: string;
      /**
       * @description The key. Shown only in this response: store it now, Depot keeps only its hash.
       * @example dpk_3f9a0c2e71b4_q3Jv0m8x0aZk9hC1yGf2Lr7uPz4Tn6Wb5Ds8Ke1Qo2M
       */
      key: string;
      name: string;
      /** @example dpk_3f9a0c2e71b4 */
      prefix: string;
      scopes: ('files:read' | 'files:write' | 'webhooks:manage')[];
    };
    CreatedWebhookDto: {
      /** Format: date-time */
      createdAt: string;
      events: ('file.ready' | 'file.failed' | 'file.deleted' | 'file.copied' | 'file.updated')[];
      /** Format: uuid */
      id: string;
      /**
       * @description The signing secret: HMAC-SHA256 key of the `Depot-Signature` header. Shown only in this response; store it now.
       * @example whsec_9Qz3mB0x1vF7kL2pR8sT4wY6uH5jN0cE3aD1gI7oK2M
       */
      secret: string;
      url: string;
    };
    CreateLinkDto: {
      /** @description Seconds the link works; default `files.linkTtlSeconds.default`, at most `files.linkTtlSeconds.max`. */
      expiresInSeconds?: number;
    };
    CreateTenantDto: {
      /** @example Acme Corp */
      name: string;
    };
    CreateUploadLinkDto: {
      /**
       * @description Types the file may declare (`type/subtype` or `type/*`), within `files.allowedTypes`.
       * @example [
       *       "image/*",
       *       "application/pdf"
       *     ]
       */
      allowedTypes?: string[];
      /**
       * @description The bucket the file goes into (it must exist; its rules apply too); `default` when left out.
       * @example avatars
       */
      bucket?: string;
      /** @description Seconds the link works: default `uploads.linkTtlSeconds.default` (1 h), at most `uploads.linkTtlSeconds.max` (7 days). */
      expiresInSeconds?: number;
      /**
       * Format: date-time
       * @description The file's `expiresAt`.
       */
      fileExpiresAt?: string;
      /** @description The file expires this many seconds after its upload (instead of `fileExpiresAt`). */
      fileExpiresInSeconds?: number;
      /** @description At most `files.maxSizeBytes`. */
      maxSizeBytes?: number;
      /** @description The file's name, instead of the one the uploader sends. */
      name?: string;
    };
    CreateWebhookDto: {
      /**
       * @example [
       *       "file.ready",
       *       "file.failed"
       *     ]
       */
      events: ('file.ready' | 'file.failed' | 'file.deleted' | 'file.copied' | 'file.updated')[];
      /**
       * @description http or https, no credentials. Where it resolves is checked at every delivery: private, loopback and link-local addresses are refused unless `webhooks.allowPrivateNetworks` is on.
       * @example https://hooks.example.com/depot
       */
      url: string;
    };
    DeliveryAttemptDto: {
      /** Format: date-time */
      at: string;
      durationMs: number;
      /** @description Why the attempt failed; null when it succeeded. */
      error: string | null;
      /** @description The receiver's status code; null if it never answered. */
      statusCode: number | null;
    };
    DeliveryDto: {
      /** @description Every attempt, oldest first. */
      attemptLog: components['schemas']['DeliveryAttemptDto'][];
      attempts: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      deliveredAt: string | null;
      /** @enum {string} */
      event: 'file.ready' | 'file.failed' | 'file.deleted' | 'file.copied' | 'file.updated';
      /**
       * Format: uuid
       * @description Also the `Depot-Delivery` header and the body’s `id`.
       */
      id: string;
      lastError: string | null;
      lastStatusCode: number | null;
      /** @enum {string} */
      status: 'pending' | 'succeeded' | 'failed';
    };
    DeliveryPageDto: {
      items: components['schemas']['DeliveryDto'][];
      /** @description Pass as `cursor` for the next page; null on the last. */
      nextCursor: string | null;
    };
    FieldErrorDto: {
      /** @example name */
      field: string;
      /** @example name must be shorter than or equal to 200 characters */
      message: string;
    };
    FileDto: {
      /**
       * @description The bucket's name; null only for a deleted file whose bucket was deleted since.
       * @example default
       */
      bucket: string | null;
      /**
       * @description The type the uploader declared.
       * @example application/pdf
       */
      contentType: string;
      /** Format: date-time */
      createdAt: string;
      /** @description The type sniffed from the bytes once processed; null when they name none (e.g. plain text). */
      detectedType: string | null;
      /** Format: date-time */
      expiresAt: string | null;
      /** @description Why processing failed, when it did. */
      failureReason: string | null;
      /** Format: uuid */
      id: string;
      /**
       * @description The client's own string values (at most 64 keys, 8 KiB as JSON).
       * @example {
       *       "customer": "c-42"
       *     }
       */
      metadata: {
        [key: string]: string;
      };
      /** @description The uploaded file name, made safe (no control characters, no backslashes); `/` may separate folders. */
      name: string;
      /**
       * Format: uri
       * @description In a public bucket only: reads the file with no key (`GET`, cacheable).
       */
      publicUrl?: string;
      /** @description Bytes received so far; below `size` only while a resumable upload is `uploading` (see `/v1/uploads`). */
      receivedBytes: number | null;
      /** @description Hex SHA-256 of the bytes, once processed. */
      sha256: string | null;
      /** @description Bytes (for a resumable upload, its declared `Upload-Length`); confirmed by processing. */
      size: number | null;
      /** @enum {string} */
      status: 'uploading' | 'pending' | 'processing' | 'ready' | 'failed' | 'deleted';
      /** Format: date-time */
      updatedAt: string;
    };
    FilePageDto: {
      items: components['schemas']['FileDto'][];
      /** @description Pass as `cursor` for the next page; null on the last. */
      nextCursor: string | null;
    };
    LinkDto: {
      /** Format: date-time */
      expiresAt: string;
      /** @description Downloads the file with no Authorization header until it expires; then 403. */
      url: string;
    };
    ProblemDto: {
      /** @example No such file. */
      detail: string;
      /** @description Every invalid field, for validation problems. */
      errors?: components['schemas']['FieldErrorDto'][];
      /** @example /v1/files/0b7e2c1e-6f1a-4c51-9a3e-2f4c1d2b3a4f */
      instance?: string;
      /** @description The request id, as in the `x-request-id` response header. */
      requestId?: string;
      /** @example 404 */
      status: number;
      /** @example Not Found */
      title: string;
      /**
       * @description `about:blank` (see `title`), or one of: `urn:depot:problem:validation`, `urn:depot:problem:insufficient-scope`, `urn:depot:problem:file-too-large`, `urn:depot:problem:unsupported-type`, `urn:depot:problem:file-not-ready`, `urn:depot:problem:idempotency-conflict`, `urn:depot:problem:invalid-link`, `urn:depot:problem:unavailable`, `urn:depot:problem:limit-reached`, `urn:depot:problem:quota-max-bytes`, `urn:depot:problem:quota-max-files`, `urn:depot:problem:bucket-exists`, `urn:depot:problem:bucket-not-empty`.
       * @example about:blank
       */
      type: string;
    };
    QueueCountsDto: {
      /** @example 0 */
      active: number;
      /** @example 12 */
      completed: number;
      /** @example 0 */
      delayed: number;
      /** @example 0 */
      failed: number;
      /**
       * @example files
       * @enum {string}
       */
      name: 'files' | 'webhooks' | 'maintenance';
      /** @example 0 */
      waiting: number;
    };
    QueueCountsListDto: {
      items: components['schemas']['QueueCountsDto'][];
    };
    QuotaDto: {
      /** @description Null: no cap. */
      maxBytes: number | null;
      /** @description Null: no cap. */
      maxFiles: number | null;
    };
    RetryFailedDto: {
      /**
       * @example files
       * @enum {string}
       */
      queue: 'files' | 'webhooks' | 'maintenance';
      /**
       * @description Failed jobs moved back to waiting.
       * @example 3
       */
      retried: number;
    };
    SchedulerRunDto: {
      /**
       * @description The scheduler process that claimed it (host:pid).
       * @example scheduler-7d9f:1
       */
      claimedBy: string;
      /**
       * Format: date-time
       * @description When its job was enqueued; null if the scheduler that claimed it could not enqueue it.
       */
      enqueuedAt: string | null;
      /**
       * @description `<task>-<epoch ms>` for a tick, `<task>-manual-<epoch ms>` for `npm run scheduler:run`.
       * @example requeueStuck-1795891368000
       */
      jobId: string | null;
      /**
       * Format: date-time
       * @description The tick: the time the cron named, not when a timer fired.
       */
      scheduledAt: string;
      /** @enum {string} */
      task: 'retentionSweep' | 'requeueStuck' | 'usageReport';
    };
    SchedulerRunListDto: {
      items: components['schemas']['SchedulerRunDto'][];
    };
    TenantDto: {
      /** Format: date-time */
      createdAt: string;
      /** Format: uuid */
      id: string;
      name: string;
      /** @description Null caps are no caps. */
      quota: components['schemas']['TenantQuotaDto'];
    };
    TenantPageDto: {
      items: components['schemas']['TenantDto'][];
      /** @description Pass as `cursor` for the next page; null on the last. */
      nextCursor: string | null;
    };
    TenantQuotaDto: {
      /** @description The most bytes the tenant may hold; null: no cap. */
      maxBytes?: number | null;
      /** @description The most files the tenant may hold; null: no cap. */
      maxFiles?: number | null;
    };
    UpdateBucketDto: {
      /**
       * @description Types `type/subtype` or `type/*` the bucket takes; empty: any type `files.allowedTypes` takes.
       * @example [
       *       "image/*",
       *       "application/pdf"
       *     ]
       */
      allowedTypes?: string[];
      /** @description `Cache-Control: public, max-age=` of public reads (default 3600). */
      cacheMaxAgeSeconds?: number;
      /** @description The largest file the bucket takes, at most `files.maxSizeBytes`; null: that limit. */
      maxFileSizeBytes?: number | null;
      /** @description Files are readable without a key at their `publicUrl`. */
      public?: boolean;
      /** @description Files uploaded without `expiresAt` expire this many days after upload; null: kept. */
      retentionDays?: number | null;
    };
    UpdateFileDto: {
      /**
       * @description Moves the file to this bucket; its rules apply to the file as it is (415, 413).
       * @example archive
       */
      bucket?: string;
      /**
       * @description Replaces the metadata as a whole (at most 64 keys, 8 KiB as JSON).
       * @example {
       *       "customer": "c-42"
       *     }
       */
      metadata?: {
        [key: string]: string;
      };
      /**
       * @description A new name (`/` separates folders).
       * @example invoices/2026/a.pdf
       */
      name?: string;
    };
    UpdateTenantDto: {
      /** @example Acme Corp */
      name?: string;
      quota?: components['schemas']['TenantQuotaDto'];
    };
    UploadFileDto: {
      /**
       * Format: date-time
       * @description When the file is deleted automatically (a future time); leave it out to keep the file.
       * @example
       */
      expiresAt?: string;
      /**
       * Format: binary
       * @description The file (exactly one).
       */
      file: string;
      /**
       * @description A JSON object of string values (at most 64 keys, 8 KiB), before or after the file, e.g. `{"customer":"c-42"}`.
       * @example
       */
      metadata?: string;
      /**
       * @description The file's name instead of the file part's; `/` separates folders (`invoices/2026/a.pdf`), which `prefix` lists.
       * @example
       */
      name?: string;
    };
    UploadLinkDto: {
      /** Format: date-time */
      expiresAt: string;
      /** @description POST one multipart `file` here, with no Authorization header, once. The token in it is shown only now. */
      url: string;
    };
    UsageDto: {
      buckets: components['schemas']['BucketUsageDto'][];
      /** @description Bytes held: files not deleted, uploads in flight included. */
      bytes: number;
      files: number;
      quota: components['schemas']['QuotaDto'];
    };
    WebhookDto: {
      /** Format: date-time */
      createdAt: string;
      events: ('file.ready' | 'file.failed' | 'file.deleted' | 'file.copied' | 'file.updated')[];
      /** Format: uuid */
      id: string;
      url: string;
    };
    WebhookListDto: {
      items: components['schemas']['WebhookDto'][];
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  HealthController_live: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  HealthController_ready: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  QueuesController_counts: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['QueueCountsListDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key is not the admin key. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  QueuesController_retryFailed: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: 'files' | 'webhooks' | 'maintenance';
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RetryFailedDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key is not the admin key. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  SchedulerRunsController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Only this task’s runs. */
        task?: 'retentionSweep' | 'requeueStuck' | 'usageReport';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SchedulerRunListDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key is not the admin key. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  TenantsController_revokeKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked (or already revoked). */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key is not the admin key. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  BucketsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BucketListDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:read, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  BucketsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateBucketDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BucketDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The tenant already has a bucket of that name. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:bucket-exists",
           *       "title": "Bucket already exists",
           *       "status": 409,
           *       "detail": "A bucket named \"avatars\" already exists.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  BucketsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BucketDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:read, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  BucketsController_remove: {
    parameters: {
      query?: {
        /** @description Delete its files too, through the normal delete path (webhooks, purge). */
        force?: boolean;
      };
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The bucket holds files, or is `default`. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:bucket-not-empty",
           *       "title": "Bucket not empty",
           *       "status": 409,
           *       "detail": "The bucket \"avatars\" holds files; delete them first or pass force=true.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  BucketsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateBucketDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BucketDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  DownloadsController_download: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The token of a link made by `POST /v1/files/{id}/links`. */
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The bytes, as the type the file was stored with (`Content-Type`). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          '*/*': string;
        };
      };
      /** @description The requested range. */
      206: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          '*/*': string;
        };
      };
      /** @description The `If-None-Match` tag is current. */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The link is expired, altered, or not a link at all. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:invalid-link",
           *       "title": "Invalid or expired link",
           *       "status": 403,
           *       "detail": "The link has expired; ask for a new one.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The file has been deleted. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The range starts past the end of the file. */
      416: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Range Not Satisfiable",
           *       "status": 416,
           *       "detail": "The range starts past the end of the file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  FilesController_list: {
    parameters: {
      query?: {
        /** @description Only files of this bucket. */
        bucket?: string;
        /** @description The `nextCursor` of the previous page. */
        cursor?: string;
        limit?: number;
        /** @description Only files whose name starts with this (e.g. `invoices/2026/`). */
        prefix?: string;
        /** @description Only files whose name contains this, ignoring case. */
        q?: string;
        /** @description Only files in this status. */
        status?: 'uploading' | 'pending' | 'processing' | 'ready' | 'failed';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FilePageDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:read, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No bucket of that name. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  FilesController_upload: {
    parameters: {
      query?: {
        /** @description The bucket to upload into; `default` when left out. */
        bucket?: string;
      };
      header?: {
        /** @description Makes a retried upload safe: up to 255 visible ASCII characters, e.g. a UUID. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': components['schemas']['UploadFileDto'];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description `true` when an earlier upload with the same Idempotency-Key is answered again. */
          'Idempotent-Replayed'?: string;
          /** @description The file: `/v1/files/{id}`. */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FileDto'];
        };
      };
      /** @description No file, an empty file, an unexpected field, an invalid `expiresAt` or `Idempotency-Key`, or a malformed body. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No bucket of that name. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /**
       * @description The Idempotency-Key was used for a file that has since been deleted.
       *
       *     The upload would pass the tenant's storage quota.
       *
       *     The upload would pass the tenant's file count quota.
       */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:quota-max-files",
           *       "title": "File count quota exceeded",
           *       "status": 409,
           *       "detail": "The tenant's quota of 10000 files would be exceeded.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Larger than `files.maxSizeBytes` or the bucket's `maxFileSizeBytes`. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:file-too-large",
           *       "title": "File too large",
           *       "status": 413,
           *       "detail": "The file is larger than 104857600 bytes.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not multipart/form-data, or a file type refused by `files.allowedTypes` / `files.deniedTypes` or the bucket's `allowedTypes`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:unsupported-type",
           *       "title": "Unsupported media type",
           *       "status": 415,
           *       "detail": "Files of type application/x-msdownload are not accepted.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description A dependency is not answering; retry after `Retry-After` seconds. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:unavailable",
           *       "title": "Dependency unavailable",
           *       "status": 503,
           *       "detail": "A service Depot depends on is not answering; try again shortly.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  FilesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FileDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:read, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  FilesController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  FilesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateFileDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FileDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such file, or no bucket of that name. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The upload is larger than `files.maxSizeBytes`. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:file-too-large",
           *       "title": "File too large",
           *       "status": 413,
           *       "detail": "The file is larger than 104857600 bytes.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The content type is not accepted. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:unsupported-type",
           *       "title": "Unsupported media type",
           *       "status": 415,
           *       "detail": "Files of type application/x-msdownload are not accepted.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  FilesController_content: {
    parameters: {
      query?: never;
      header?: {
        'If-None-Match'?: string;
        'If-Range'?: string;
        /** @description e.g. `bytes=0-1023`, `bytes=1024-`, `bytes=-100`. */
        Range?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The bytes, as the type the file was stored with (`Content-Type`), with `ETag`, `Content-Length`, `Content-Disposition` and `Accept-Ranges: bytes`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          '*/*': string;
        };
      };
      /** @description The requested range, with `Content-Range`. */
      206: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          '*/*': string;
        };
      };
      /** @description The `If-None-Match` tag is current. */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:read, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The file is not ready (pending, processing, or failed). */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:file-not-ready",
           *       "title": "File not ready",
           *       "status": 409,
           *       "detail": "The file is processing; its content is available once it is ready.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The range starts past the end of the file. */
      416: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Range Not Satisfiable",
           *       "status": 416,
           *       "detail": "The range starts past the end of the file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  FilesController_copy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CopyFileDto'];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description The copy: `/v1/files/{id}`. */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FileDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such file, or no bucket of that name. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /**
       * @description The file is not ready.
       *
       *     The copy would pass the tenant's storage quota.
       *
       *     The copy would pass the tenant's file count quota.
       */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:quota-max-files",
           *       "title": "File count quota exceeded",
           *       "status": 409,
           *       "detail": "The tenant's quota of 10000 files would be exceeded.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Larger than the destination bucket's `maxFileSizeBytes`. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:file-too-large",
           *       "title": "File too large",
           *       "status": 413,
           *       "detail": "The file is larger than 104857600 bytes.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description A type the destination bucket's `allowedTypes` refuses. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:unsupported-type",
           *       "title": "Unsupported media type",
           *       "status": 415,
           *       "detail": "Files of type application/x-msdownload are not accepted.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  FilesController_link: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateLinkDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LinkDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:read, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The file is not ready. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:file-not-ready",
           *       "title": "File not ready",
           *       "status": 409,
           *       "detail": "The file is processing; its content is available once it is ready.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  PublicFilesController_read: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The bytes, as the type the file was stored with. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          '*/*': string;
        };
      };
      /** @description The requested range. */
      206: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          '*/*': string;
        };
      };
      /** @description The `If-None-Match` tag is current. */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The range starts past the end of the file. */
      416: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Range Not Satisfiable",
           *       "status": 416,
           *       "detail": "The range starts past the end of the file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  TenantsController_listTenants: {
    parameters: {
      query?: {
        /** @description The `nextCursor` of the previous page. */
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantPageDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key is not the admin key. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  TenantsController_createTenant: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTenantDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key is not the admin key. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  TenantsController_updateTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateTenantDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key is not the admin key. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  TenantsController_listKeys: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeyListDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key is not the admin key. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  TenantsController_issueKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateApiKeyDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKeyDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key is not the admin key. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UploadLinksController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateUploadLinkDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UploadLinkDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UploadLinksController_upload: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The last segment of the link’s `url`. */
        token: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': components['schemas']['UploadFileDto'];
      };
    };
    responses: {
      /** @description The file (multipart); for tus, headers only. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FileDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Not a valid link (unknown or altered token), or the link has expired. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The link has already been used. */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Gone",
           *       "status": 410,
           *       "detail": "Gone.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The upload is larger than `files.maxSizeBytes`. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:file-too-large",
           *       "title": "File too large",
           *       "status": 413,
           *       "detail": "The file is larger than 104857600 bytes.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The content type is not accepted. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:unsupported-type",
           *       "title": "Unsupported media type",
           *       "status": 415,
           *       "detail": "Files of type application/x-msdownload are not accepted.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UploadLinksController_terminate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Terminated. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The link did not start this upload. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such unfinished upload. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UploadLinksController_offset: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The offset, in headers. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The link did not start this upload. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such unfinished upload. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UploadLinksController_append: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Written: the new `Upload-Offset`. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The link did not start this upload. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This operation needs the admin key.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such unfinished upload. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description `Upload-Offset` is not the upload’s offset. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Conflict",
           *       "status": 409,
           *       "detail": "The resource is not in a state that allows this.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Another request is writing to this upload; retry. */
      423: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Locked",
           *       "status": 423,
           *       "detail": "Locked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UploadsController_create: {
    parameters: {
      query?: never;
      header: {
        /** @description The tus protocol version: `1.0.0`. */
        'Tus-Resumable': string;
        /** @description The whole upload, in bytes. */
        'Upload-Length': string;
        /** @description Comma-separated `key base64(value)` pairs: `filename`/`name`, `filetype`/`type`, `expiresAt`. */
        'Upload-Metadata'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Created: `Location: /v1/uploads/{id}`, `Upload-Expires`, and `Upload-Offset` if a body was sent. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A missing or invalid `Upload-Length`, malformed `Upload-Metadata` or `expiresAt`. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No `Tus-Resumable: 1.0.0`. */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Precondition Failed",
           *       "status": 412,
           *       "detail": "Precondition Failed.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description `Upload-Length` is above `files.maxSizeBytes`. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:file-too-large",
           *       "title": "File too large",
           *       "status": 413,
           *       "detail": "The file is larger than 104857600 bytes.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The declared type is refused by `files.allowedTypes` / `files.deniedTypes`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:unsupported-type",
           *       "title": "Unsupported media type",
           *       "status": 415,
           *       "detail": "Files of type application/x-msdownload are not accepted.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UploadsController_options: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The capabilities, in headers. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UploadsController_terminate: {
    parameters: {
      query?: never;
      header: {
        /** @description The tus protocol version: `1.0.0`. */
        'Tus-Resumable': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Terminated. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such unfinished upload (or another tenant’s). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UploadsController_offset: {
    parameters: {
      query?: never;
      header: {
        /** @description The tus protocol version: `1.0.0`. */
        'Tus-Resumable': string;
      };
      path: {
        /** @description The file id (the last segment of `Location`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The offset, in headers. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:write, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such unfinished upload (or another tenant’s). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The upload expired. */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Gone",
           *       "status": 410,
           *       "detail": "Gone.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UploadsController_append: {
    parameters: {
      query?: never;
      header: {
        /** @description The tus protocol version: `1.0.0`. */
        'Tus-Resumable': string;
        /** @description Where these bytes start. */
        'Upload-Offset': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Written: the new `Upload-Offset`. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /**
       * @description No `Content-Type: application/offset+octet-stream` or `Upload-Offset` (tus), or a missing scope.
       *
       *     The key lacks the scope files:write, or is the admin key (which owns no files).
       */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such unfinished upload (or another tenant’s). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description `Upload-Offset` is not the upload’s offset. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Conflict",
           *       "status": 409,
           *       "detail": "The resource is not in a state that allows this.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The upload expired. */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Gone",
           *       "status": 410,
           *       "detail": "Gone.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The bytes go past `Upload-Length`. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:file-too-large",
           *       "title": "File too large",
           *       "status": 413,
           *       "detail": "The file is larger than 104857600 bytes.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description Another request is writing to this upload; retry. */
      423: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Locked",
           *       "status": 423,
           *       "detail": "Locked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  UsageController_get: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UsageDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope files:read, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  WebhooksController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookListDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope webhooks:manage, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  WebhooksController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateWebhookDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedWebhookDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope webhooks:manage, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The tenant has `webhooks.maxEndpointsPerTenant` endpoints already. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:limit-reached",
           *       "title": "Limit reached",
           *       "status": 409,
           *       "detail": "A tenant may register at most 10 webhook endpoints; delete one first.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  WebhooksController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope webhooks:manage, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
  WebhooksController_deliveries: {
    parameters: {
      query?: {
        /** @description The `nextCursor` of the previous page. */
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeliveryPageDto'];
        };
      };
      /** @description Invalid request: `errors` lists each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:validation",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "expiresAt: must be in the future",
           *       "instance": "/v1/files",
           *       "errors": [
           *         {
           *           "field": "expiresAt",
           *           "message": "must be in the future"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`). */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The API key is unknown or revoked.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description The key lacks the scope webhooks:manage, or is the admin key (which owns no files). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:depot:problem:insufficient-scope",
           *       "title": "Insufficient scope",
           *       "status": 403,
           *       "detail": "This operation needs the scope files:write.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
      /** @description No such resource (or it belongs to another tenant). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No such file.",
           *       "instance": "/v1/files"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDto'];
        };
      };
    };
  };
}
