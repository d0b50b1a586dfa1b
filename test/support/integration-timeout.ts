// Integration tests talk to real servers (PostgreSQL, Redis, s3rver): allow more than Jest's 5 s.
jest.setTimeout(30_000);
