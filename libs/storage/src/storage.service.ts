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

/** The disks named under `storage.disks`, built once at startup. */
@Injectable()
export class StorageService implements OnApplicationShutdown {
  private readonly disks = new Map<string, Disk>();
  private readonly closers: Array<() => void> = [];

  constructor(
    private readonly config: StorageConfig,
    api: ApiConfig,
    private readonly signer: LinkSigner,
    @Inject(STORAGE_MODULE_OPTIONS) options: StorageModuleOptions,
  ) {
    const links = new DownloadLinks(signer, api.publicUrl);
    for (const [name, diskConfig] of Object.entries(config.disks)) {
      const { disk, close } = openDisk(name, diskConfig, links);
      this.disks.set(name, options.observer ? new ObservedDisk(disk, options.observer) : disk);
      this.closers.push(close);
    }
  }

  /** The named disk, or the default one (`storage.default`). */
  disk(name: string = this.config.default): Disk {
    const disk = this.disks.get(name);
    if (!disk) throw new Error(`no disk named "${name}"; configured: ${[...this.disks.keys()].join(', ')}`);
    return disk;
  }

  /**
   * Verifies a token from a `/v1/downloads/<token>` URL and finds the disk it names. Throws
   * {@link InvalidLinkError} or {@link ExpiredLinkError}: answer 403 to both.
   */
  resolveLink(token: string): ResolvedLink {
    const link = this.signer.verify(token);
    const disk = this.disks.get(link.disk);
    if (!disk) throw new InvalidLinkError(`no disk named "${link.disk}"`);
    return { link, disk };
  }

  onApplicationShutdown(): void {
    for (const close of this.closers.splice(0)) close();
  }
}
