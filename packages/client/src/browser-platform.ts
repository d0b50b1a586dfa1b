import type { OpenedSource, Platform } from './platform.js';

export const browserPlatform: Platform = {
  // Chromium streams request bodies only over HTTP/2 or QUIC; a FormData works everywhere.
  streamsRequestBodies: false,

  openPath() {
    return Promise.reject(new TypeError('Depot: a browser has no file paths; upload a File or Blob'));
  },

  contentStream(source: OpenedSource) {
    return source.kind === 'stream' ? source.stream : source.blob.stream();
  },

  tusInput(source: OpenedSource) {
    return source.kind === 'stream' ? source.stream.getReader() : source.blob;
  },
};
