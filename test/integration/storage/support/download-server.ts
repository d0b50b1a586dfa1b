import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import {
  contentDisposition,
  type Disk,
  ExpiredLinkError,
  FileNotFoundError,
  InvalidLinkError,
  type LinkSigner,
} from '@depot/storage';

export interface DownloadServer {
  /** The public URL to build download links on. */
  publicUrl: string;
  close(): Promise<void>;
}

/**
 * A stand-in for the api's `GET /v1/downloads/:token`: verify the token, find the disk it
 * names, open the stream (404 before any header when the key is gone), send it.
 */
export async function startDownloadServer(
  signer: LinkSigner,
  disks: Map<string, Disk>,
): Promise<DownloadServer> {
  const server: Server = createServer((request, response) => {
    const token = /^\/v1\/downloads\/([^/?]+)$/.exec(request.url ?? '')?.[1];
    const serve = async (): Promise<void> => {
      if (request.method !== 'GET' || token === undefined) return void response.writeHead(404).end();
      const link = signer.verify(token);
      const disk = disks.get(link.disk);
      if (!disk) return void response.writeHead(404).end();
      const [stat, stream] = await Promise.all([disk.stat(link.key), disk.readStream(link.key)]);
      response.writeHead(200, {
        'content-type': link.contentType ?? stat.contentType,
        'content-length': stat.size,
        ...(link.downloadName !== undefined && {
          'content-disposition': contentDisposition(link.downloadName),
        }),
      });
      await pipeline(stream, response);
    };
    serve().catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      const status =
        error instanceof InvalidLinkError || error instanceof ExpiredLinkError
          ? 403
          : error instanceof FileNotFoundError
            ? 404
            : 500;
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    publicUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
