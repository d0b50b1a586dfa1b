// The Node entry of @depot/client (browsers get ./browser.ts through the `browser` condition).
import { DepotClient } from './client.js';
import { nodePlatform } from './node-platform.js';
import type { DepotOptions } from './transport.js';

export * from './exports.js';
export { fileUrlStorage } from './node-url-storage.js';

/** The Depot API client for Node: uploads also take a file path. */
export class Depot extends DepotClient {
  constructor(options: DepotOptions) {
    super(options, nodePlatform);
  }
}
