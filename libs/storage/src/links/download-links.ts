import type { SignedUrlOptions } from '../disk.interface';
import type { LinkSigner } from './link.signer';

/** The path, under the api's public URL, that serves signed download tokens. */
export const DOWNLOADS_PATH = 'v1/downloads';

/**
 * Signed links served by the api (`GET <publicUrl>/v1/downloads/<token>`), for disks that
 * cannot presign their own URLs.
 */
export class DownloadLinks {
  private readonly baseUrl: string;

  /** `publicUrl` is the api's address as clients see it, with or without a path. */
  constructor(
    readonly signer: LinkSigner,
    publicUrl: string,
  ) {
    this.baseUrl = `${publicUrl.replace(/\/+$/, '')}/${DOWNLOADS_PATH}`;
  }

  url(disk: string, key: string, options: SignedUrlOptions): string {
    const { expiresIn, downloadName, contentType } = options;
    return `${this.baseUrl}/${this.signer.sign({ disk, key, downloadName, contentType }, expiresIn)}`;
  }
}
