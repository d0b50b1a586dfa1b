import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ApiConfig, StorageConfig } from '@depot/config';
import { openDisk } from './disk.factory';
import type { Disk } from './disk.interface';
import { DownloadLinks } from './links/download-links';
import { InvalidLinkError, LinkSigner, type SignedLink } from './links/link.signer';
import { STORAGE_MODULE_OPTIONS, type StorageModuleOptions } from './storage.module-options';
import { ObservedDisk } from './wrappers/observed.disk';

/** A verified download link and the disk that holds its object. */
export interface ResolvedLink {
  link: SignedLink;
  disk: Disk;
}

/**
 * The disks named under `storage.disks`, each built the first time it is asked for: a
 * process that never touches its s3 disk never loads the AWS SDK (see loadS3Support).
 * Building a disk contacts nothing, so this moves no failure later than before.
 */
@Injectable()
export class StorageService implements OnApplicationShutdown {
  private readonly disks = new Map<string, Disk>();
  private readonly closers: Array<() => void> = [];
  private readonly links: DownloadLinks;

  constructor(
    private readonly config: StorageConfig,
    api: ApiConfig,
    private readonly signer: LinkSigner,
    @Inject(STORAGE_MODULE_OPTIONS) private readonly options: StorageModuleOptions,
  ) {
    this.links = new DownloadLinks(signer, api.publicUrl);
  }

  /** The named disk, or the default one (`storage.default`). */
  disk(name: string = this.config.default): Disk {
    const disk = this.open(name);
    if (!disk)
      throw new Error(`no disk named "${name}"; configured: ${Object.keys(this.config.disks).join(', ')}`);
    return disk;
  }

  /**
   * Verifies a token from a `/v1/downloads/<token>` URL and finds the disk it names. Throws
   * {@link InvalidLinkError} or {@link ExpiredLinkError}: answer 403 to both.
   */
  resolveLink(token: string): ResolvedLink {
    const link = this.signer.verify(token);
    const disk = this.open(link.disk);
    if (!disk) throw new InvalidLinkError(`no disk named "${link.disk}"`);
    return { link, disk };
  }

  private open(name: string): Disk | undefined {
    const opened = this.disks.get(name);
    if (opened) return opened;
    // Own keys only: a link's disk name is user input ("__proto__", "constructor").
    if (!Object.hasOwn(this.config.disks, name)) return undefined;
    const { disk, close } = openDisk(name, this.config.disks[name]!, this.links);
    const observed = this.options.observer ? new ObservedDisk(disk, this.options.observer) : disk;
    this.disks.set(name, observed);
    this.closers.push(close);
    return observed;
  }

  onApplicationShutdown(): void {
    for (const close of this.closers.splice(0)) close();
  }
}
