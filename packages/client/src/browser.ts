// The browser entry of @depot/client: no Node module is imported from here.
import { browserPlatform } from './browser-platform.js';
import { DepotClient } from './client.js';
import type { DepotOptions } from './transport.js';

export * from './exports.js';

/** The Depot API client for browsers: uploads take a File, Blob, bytes or a web stream. */
export class Depot extends DepotClient {
  constructor(options: DepotOptions) {
    super(options, browserPlatform);
  }
}
