import { InvalidFileInputError, parseExpiresAt } from '@depot/files';

describe('parseExpiresAt', () => {
  it('takes a future ISO 8601 date-time', () => {
    expect(parseExpiresAt('2099-01-31T12:00:00Z').toISOString()).toBe('2099-01-31T12:00:00.000Z');
  });

  it.each(['tomorrow', '2099-01-31', '1700000000', '2001-01-01T00:00:00Z'])(
    'refuses %s, naming the field it came from',
    (value) => {
      const error = (() => {
        try {
          parseExpiresAt(value, 'Upload-Metadata:expiresAt');
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(InvalidFileInputError);
      expect((error as InvalidFileInputError).field).toBe('Upload-Metadata:expiresAt');
    },
  );
});
