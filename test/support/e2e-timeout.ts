// End-to-end tests start the built apps as processes and wait for them: allow a minute.
jest.setTimeout(60_000);
