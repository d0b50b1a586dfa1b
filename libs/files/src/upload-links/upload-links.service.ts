import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { ApiConfig, FilesConfig, UploadsConfig } from '@depot/config';
import { mediaTypeEssence } from '../content-type';
import { BucketNotFoundError, InvalidFileInputError, UploadLinkRefusedError } from '../file.errors';
import type { IntakeLimits, IntakeResult } from '../intake/file-intake.service';
import { UploadLinkEntity } from './upload-link.entity';

/** Where the api serves upload links: `POST {publicUrl}/v1/upload-links/{token}`. */
export const UPLOAD_LINKS_PATH = 'v1/upload-links';

export interface UploadLinkRequest {
  /** The file's name (instead of the uploader's). */
  fileName?: string;
  /** The bucket the file goes into; it must exist now; `default` when left out. */
  bucket?: string;
  /** At most `files.maxSizeBytes`. */
  maxSizeBytes?: number;
  allowedTypes?: string[];
  /** The file's own expiry: a time, or seconds after its upload (not both). */
  fileExpiresAt?: Date;
  fileExpiresInSeconds?: number;
  /** How long the link works: default `uploads.linkTtlSeconds.default`, at most `.max`. */
  expiresInSeconds?: number;
}

export interface IssuedUploadLink {
  id: string;
  url: string;
  expiresAt: Date;
}

/** What a link lets its holder do: upload one file, into this tenant, within these limits. */
export interface UploadGrant {
  tenantId: string;
  limits: IntakeLimits;
  /** The bucket's name; `default` when undefined. */
  bucket?: string;
  fileName?: string;
  expiresAt?: Date;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const TYPE_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/([!#$%&'*+.^_`|~0-9A-Za-z-]+|\*)$/;

/**
 * One-use upload links: `create` issues a URL whose token is 32 random bytes, kept only as
 * its SHA-256; `use` claims the link atomically (a second use, even at the same moment,
 * is refused), runs the upload within the link's limits, and gives the link back if the
 * upload is refused, so a failed attempt does not burn it.
 */
@Injectable()
export class UploadLinksService {
  private readonly logger = new Logger(UploadLinksService.name);
  private readonly baseUrl: string;

  constructor(
    @InjectRepository(UploadLinkEntity) private readonly links: Repository<UploadLinkEntity>,
    private readonly files: FilesConfig,
    private readonly uploads: UploadsConfig,
    api: ApiConfig,
  ) {
    this.baseUrl = `${api.publicUrl.replace(/\/+$/, '')}/${UPLOAD_LINKS_PATH}`;
  }

  async create(tenantId: string, request: UploadLinkRequest): Promise<IssuedUploadLink> {
    const ttl = request.expiresInSeconds ?? this.uploads.linkTtlSeconds.default;
    if (ttl > this.uploads.linkTtlSeconds.max) {
      throw new InvalidFileInputError(
        'expiresInSeconds',
        `must not be greater than ${this.uploads.linkTtlSeconds.max}`,
      );
    }
    if (request.maxSizeBytes !== undefined && request.maxSizeBytes > this.files.maxSizeBytes) {
      throw new InvalidFileInputError('maxSizeBytes', `must not be greater than ${this.files.maxSizeBytes}`);
    }
    const allowedTypes = (request.allowedTypes ?? []).map((type, index) => {
      const pattern = type.trim().toLowerCase();
      if (!TYPE_PATTERN.test(pattern) || (!pattern.endsWith('/*') && !mediaTypeEssence(pattern))) {
        throw new InvalidFileInputError(
          `allowedTypes.${index}`,
          'must be a media type such as image/png or image/*',
        );
      }
      return pattern;
    });
    if (request.fileExpiresAt && request.fileExpiresInSeconds !== undefined) {
      throw new InvalidFileInputError(
        'fileExpiresInSeconds',
        'send either fileExpiresAt or fileExpiresInSeconds',
      );
    }
    if (request.fileExpiresAt && request.fileExpiresAt.getTime() <= Date.now()) {
      throw new InvalidFileInputError('fileExpiresAt', 'must be in the future');
    }
    if (request.bucket !== undefined) {
      const [bucket] = await this.links.query<{ id: string }[]>(
        'SELECT id FROM buckets WHERE tenant_id = $1 AND name = $2',
        [tenantId, request.bucket],
      );
      if (!bucket) throw new BucketNotFoundError(request.bucket);
    }
    const token = randomBytes(32).toString('base64url');
    const link = this.links.create({
      id: randomUUID(),
      tenantId,
      tokenHash: hash(token),
      fileName: request.fileName ?? null,
      bucket: request.bucket ?? null,
      maxSizeBytes: request.maxSizeBytes ?? null,
      allowedTypes,
      fileExpiresAt: request.fileExpiresAt ?? null,
      fileExpiresInSeconds: request.fileExpiresInSeconds ?? null,
      expiresAt: new Date(Date.now() + ttl * 1000),
      usedAt: null,
      fileId: null,
    });
    await this.links.insert(link);
    this.logger.log({ msg: 'upload link created', linkId: link.id, tenantId });
    return { id: link.id, url: `${this.baseUrl}/${token}`, expiresAt: link.expiresAt };
  }

  /**
   * Uploads through a link: {@link UploadLinkRefusedError} when the token is not a live,
   * unused link; otherwise `upload` runs with the link's grant, and the link is spent only
   * if it succeeds.
   */
  use(token: string, upload: (grant: UploadGrant) => Promise<IntakeResult>): Promise<IntakeResult> {
    return this.spend(token, upload, (result) => result.file.id);
  }

  /**
   * Starts a resumable upload through a link: as {@link use}, `begin` creating the upload;
   * the link then stays the grant for that one upload's later requests ({@link resumableTenant}).
   */
  begin<T>(
    token: string,
    begin: (grant: UploadGrant) => Promise<T>,
    fileIdOf: (result: T) => string | undefined,
  ): Promise<T> {
    return this.spend(token, begin, fileIdOf);
  }

  /** The tenant of the resumable upload `fileId` started with this link, or {@link UploadLinkRefusedError}. */
  async resumableTenant(token: string, fileId: string): Promise<string> {
    if (typeof token !== 'string' || !TOKEN.test(token)) throw new UploadLinkRefusedError('invalid');
    const link = await this.links.findOneBy({ tokenHash: hash(token), fileId });
    if (!link) throw new UploadLinkRefusedError('invalid');
    return link.tenantId;
  }

  private async spend<T>(
    token: string,
    upload: (grant: UploadGrant) => Promise<T>,
    fileIdOf: (result: T) => string | undefined,
  ): Promise<T> {
    const link = await this.claim(token);
    let result: T;
    let fileId: string | undefined;
    try {
      result = await upload({
        tenantId: link.tenantId,
        limits: {
          maxSizeBytes: link.maxSizeBytes ?? undefined,
          allowedTypes: link.allowedTypes,
        },
        fileName: link.fileName ?? undefined,
        bucket: link.bucket ?? undefined,
        expiresAt:
          link.fileExpiresAt ??
          (link.fileExpiresInSeconds === null
            ? undefined
            : new Date(Date.now() + link.fileExpiresInSeconds * 1000)),
      });
      fileId = fileIdOf(result);
      if (!fileId) throw new Error('an upload through a link made no file');
    } catch (error) {
      await this.links.update({ id: link.id }, { usedAt: null });
      throw error;
    }
    await this.links.update({ id: link.id }, { fileId });
    this.logger.log({ msg: 'upload link used', linkId: link.id, fileId });
    return result;
  }

  /** Marks the link used, atomically: of two requests at once, one gets it. */
  private async claim(token: string): Promise<UploadLinkEntity> {
    if (typeof token !== 'string' || !TOKEN.test(token)) throw new UploadLinkRefusedError('invalid');
    const tokenHash = hash(token);
    const result = await this.links
      .createQueryBuilder()
      .update(UploadLinkEntity)
      .set({ usedAt: () => 'now()' })
      .where({ tokenHash, usedAt: IsNull() })
      .andWhere('expires_at > now()')
      .returning('*')
      .execute();
    const claimed = (result.raw as Array<Record<string, unknown>>)[0];
    if (claimed) return this.links.findOneByOrFail({ id: claimed.id as string });
    const link = await this.links.findOneBy({ tokenHash });
    if (!link) throw new UploadLinkRefusedError('invalid');
    throw new UploadLinkRefusedError(link.usedAt ? 'used' : 'expired');
  }
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
