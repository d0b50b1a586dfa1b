import * as tus from 'tus-js-client';
import type { UrlStorage } from './platform.js';

// tus-js-client's Node build exports FileUrlStorage; its type definitions leave it out.
const { FileUrlStorage } = tus as unknown as { FileUrlStorage: new (path: string) => UrlStorage };

/**
 * Remembers unfinished resumable uploads in a JSON file (locked while written), so that a
 * later process uploading the same file (same path, size and mtime) resumes it. Pass it as
 * `urlStorage` to `files.upload`. Node only.
 */
export function fileUrlStorage(path: string): UrlStorage {
  return new FileUrlStorage(path);
}
