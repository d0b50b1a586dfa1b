import { isTypeAccepted, mediaTypeEssence } from '../../../libs/files/src/content-type';

describe('mediaTypeEssence', () => {
  it.each([
    ['image/png', 'image/png'],
    ['Text/HTML; charset=utf-8', 'text/html'],
    [' application/vnd.api+json ', 'application/vnd.api+json'],
  ])('%p is %p', (value, essence) => expect(mediaTypeEssence(value)).toBe(essence));

  it.each([undefined, '', 'png', 'image/', '/png', 'image/png/x', 'ima ge/png', 'image/pn"g'])(
    '%p is no media type',
    (value) => expect(mediaTypeEssence(value)).toBeUndefined(),
  );
});

describe('isTypeAccepted', () => {
  const anyBut = { allowedTypes: [], deniedTypes: ['application/x-msdownload', 'video/*'] };
  const imagesOnly = { allowedTypes: ['image/*', 'application/pdf'], deniedTypes: ['image/svg+xml'] };

  it('accepts anything not denied when nothing is listed as allowed', () => {
    expect(isTypeAccepted('text/plain', anyBut)).toBe(true);
    expect(isTypeAccepted('application/x-msdownload', anyBut)).toBe(false);
    expect(isTypeAccepted('video/mp4', anyBut)).toBe(false);
  });

  it('accepts only allowed types, and a deny wins over an allow', () => {
    expect(isTypeAccepted('image/png', imagesOnly)).toBe(true);
    expect(isTypeAccepted('application/pdf', imagesOnly)).toBe(true);
    expect(isTypeAccepted('text/plain', imagesOnly)).toBe(false);
    expect(isTypeAccepted('image/svg+xml', imagesOnly)).toBe(false);
    // "image/*" is a type wildcard, not a prefix of any string.
    expect(isTypeAccepted('imagex/png', imagesOnly)).toBe(false);
  });

  it('matches config entries whatever their case', () => {
    expect(isTypeAccepted('application/pdf', { allowedTypes: ['Application/PDF'], deniedTypes: [] })).toBe(
      true,
    );
    expect(isTypeAccepted('anything/at-all', { allowedTypes: ['*/*'], deniedTypes: [] })).toBe(true);
  });
});
