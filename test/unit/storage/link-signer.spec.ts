import {
  contentDisposition,
  DownloadLinks,
  ExpiredLinkError,
  InvalidLinkError,
  LinkSigner,
} from '@depot/storage';

const SECRET = 'unit-test-signing-secret-0123456789abcdef';

describe('LinkSigner', () => {
  let now = Date.parse('2026-11-28T12:00:00Z');
  const signer = new LinkSigner(SECRET, { now: () => now });

  afterEach(() => {
    now = Date.parse('2026-11-28T12:00:00Z');
  });

  it('verifies its own token and returns the claims', () => {
    const token = signer.sign(
      {
        disk: 'local',
        key: 'tenants/t1/files/f1',
        downloadName: 'report.pdf',
        contentType: 'application/pdf',
      },
      300,
    );
    expect(signer.verify(token)).toEqual({
      disk: 'local',
      key: 'tenants/t1/files/f1',
      downloadName: 'report.pdf',
      contentType: 'application/pdf',
      expiresAt: new Date('2026-11-28T12:05:00Z'),
    });
  });

  it('refuses a token once it has expired', () => {
    const token = signer.sign({ disk: 'local', key: 'k' }, 60);
    now += 59_999;
    expect(signer.verify(token).key).toBe('k');
    now += 1;
    expect(() => signer.verify(token)).toThrow(ExpiredLinkError);
  });

  it('refuses altered claims', () => {
    const [claims, mac] = signer.sign({ disk: 'local', key: 'mine' }, 60).split('.');
    const altered = Buffer.from(Buffer.from(claims, 'base64url').toString().replace('mine', 'them')).toString(
      'base64url',
    );
    expect(() => signer.verify(`${altered}.${mac}`)).toThrow(new InvalidLinkError('bad signature'));
  });

  it('refuses an altered signature and a token from another secret', () => {
    const token = signer.sign({ disk: 'local', key: 'k' }, 60);
    const [claims, mac] = token.split('.');
    const flipped = Buffer.from(mac, 'base64url');
    flipped[0] ^= 1;
    expect(() => signer.verify(`${claims}.${flipped.toString('base64url')}`)).toThrow(InvalidLinkError);
    expect(() => signer.verify(`${claims}.${mac.slice(0, -2)}`)).toThrow(InvalidLinkError);
    const other = new LinkSigner(`${SECRET}-other`, { now: () => now });
    expect(() => other.verify(token)).toThrow(InvalidLinkError);
  });

  it.each(['', 'abc', 'a.b.c', 'no dots here', '%%%.###', `${'a'.repeat(9000)}.b`])(
    'refuses the malformed token %j',
    (token) => {
      expect(() => signer.verify(token)).toThrow(InvalidLinkError);
    },
  );

  it('refuses an expired token as expired only when its signature holds', () => {
    const token = signer.sign({ disk: 'local', key: 'k' }, 60);
    now += 3_600_000;
    expect(() => signer.verify(`${token}x`)).toThrow(InvalidLinkError);
    expect(() => signer.verify(token)).toThrow(ExpiredLinkError);
  });

  it('keeps verifying links signed with a rotated-out secret, and signs only with the current one', () => {
    const oldToken = signer.sign({ disk: 'local', key: 'k' }, 60);
    const rotated = new LinkSigner(`${SECRET}-next`, { now: () => now, previousSecrets: [SECRET] });
    expect(rotated.verify(oldToken).key).toBe('k');
    const newToken = rotated.sign({ disk: 'local', key: 'k' }, 60);
    expect(() => signer.verify(newToken)).toThrow(InvalidLinkError);
    expect(() => new LinkSigner(SECRET, { previousSecrets: ['short'] })).toThrow('at least 32 characters');
  });

  it('needs a secret of at least 32 characters and a positive lifetime', () => {
    expect(() => new LinkSigner('short')).toThrow('at least 32 characters');
    expect(() => signer.sign({ disk: 'local', key: 'k' }, 0)).toThrow(RangeError);
  });
});

describe('DownloadLinks', () => {
  const signer = new LinkSigner(SECRET);

  it.each(['https://depot.example.com', 'https://depot.example.com/', 'https://example.com/depot/'])(
    'builds <publicUrl>/v1/downloads/<token> on %s',
    (publicUrl) => {
      const url = new DownloadLinks(signer, publicUrl).url('local', 'a/b c.txt', { expiresIn: 60 });
      const base = publicUrl.replace(/\/$/, '');
      expect(url.startsWith(`${base}/v1/downloads/`)).toBe(true);
      expect(signer.verify(url.slice(base.length + '/v1/downloads/'.length))).toMatchObject({
        disk: 'local',
        key: 'a/b c.txt',
      });
    },
  );
});

describe('contentDisposition', () => {
  it.each([
    ['report.pdf', 'attachment; filename="report.pdf"'],
    [
      'Rapport été.csv',
      `attachment; filename="Rapport _t_.csv"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.csv`,
    ],
    ['say "hi"\\.txt', `attachment; filename="say _hi__.txt"; filename*=UTF-8''say%20%22hi%22%5C.txt`],
    ["it's (1)*.txt", `attachment; filename="it's (1)*.txt"`],
    ['日本.txt', `attachment; filename="__.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`],
  ])('%j gives %s', (name, header) => {
    expect(contentDisposition(name)).toBe(header);
  });
});
