export * from './dependency';
export * from './http-server.options';
export * from './run-app';
export * from './http-shutdown';
