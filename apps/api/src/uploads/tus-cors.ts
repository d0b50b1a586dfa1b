/** What browsers must be allowed to send and read for tus clients (tus-js-client, Uppy) when CORS is on. */
export const TUS_CORS = {
  methods: ['HEAD', 'PATCH', 'OPTIONS'],
  allowedHeaders: [
    'tus-resumable',
    'upload-length',
    'upload-metadata',
    'upload-offset',
    'upload-concat',
    'upload-defer-length',
    'x-http-method-override',
    'x-requested-with',
  ],
  exposedHeaders: [
    'tus-resumable',
    'tus-version',
    'tus-extension',
    'tus-max-size',
    'upload-offset',
    'upload-length',
    'upload-metadata',
    'upload-expires',
  ],
} as const;
