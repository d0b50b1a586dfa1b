import {
  type Disk,
  type DiskOperationEvent,
  DriverDisk,
  FileNotFoundError,
  InvalidPathError,
  MemoryDriver,
  ObservedDisk,
  ReadOnlyDisk,
  ReadOnlyDiskError,
  ScopedDisk,
} from '@depot/storage';

async function keys(disk: Disk, prefix = ''): Promise<string[]> {
  const all: string[] = [];
  for await (const entry of disk.list(prefix, { deep: true })) all.push(entry.key);
  return all;
}

describe('ScopedDisk', () => {
  let base: Disk;
  let tenant: Disk;

  beforeEach(async () => {
    base = new DriverDisk('main', new MemoryDriver());
    tenant = new ScopedDisk(base, 'tenants//t1/');
    await base.write('tenants/t2/secret.txt', 'other tenant');
  });

  it('keeps keys under its prefix and lists them relative to it', async () => {
    await tenant.write('files/a.txt', 'a');
    expect(await keys(base)).toEqual(['tenants/t1/files/a.txt', 'tenants/t2/secret.txt']);
    expect(await keys(tenant)).toEqual(['files/a.txt']);
    expect((await tenant.stat('files/a.txt')).key).toBe('files/a.txt');
    expect((await tenant.listPage()).entries).toEqual([{ type: 'directory', key: 'files/' }]);
  });

  it('cannot climb out of its prefix', async () => {
    await expect(tenant.read('../t2/secret.txt')).rejects.toBeInstanceOf(InvalidPathError);
    await expect(tenant.read('/tenants/t2/secret.txt')).rejects.toBeInstanceOf(InvalidPathError);
    await expect(tenant.removePrefix('..')).rejects.toBeInstanceOf(InvalidPathError);
    await tenant.removePrefix('');
    expect(await keys(base)).toEqual(['tenants/t2/secret.txt']);
  });

  it('has the name of the disk beneath, whose keys its links carry', async () => {
    expect(tenant.name).toBe('main');
    await expect(tenant.read('missing')).rejects.toMatchObject({ key: 'tenants/t1/missing' });
  });
});

describe('ReadOnlyDisk', () => {
  it('reads and refuses every change', async () => {
    const base = new DriverDisk('main', new MemoryDriver());
    await base.write('a.txt', 'a');
    const readOnly = new ReadOnlyDisk(base);

    expect((await readOnly.read('a.txt')).toString()).toBe('a');
    expect(await keys(readOnly)).toEqual(['a.txt']);
    for (const change of [
      () => readOnly.write('b.txt', 'b'),
      () => readOnly.copy('a.txt', 'b.txt'),
      () => readOnly.move('a.txt', 'b.txt'),
      () => readOnly.remove('a.txt'),
      () => readOnly.removePrefix(''),
    ]) {
      await expect(change()).rejects.toBeInstanceOf(ReadOnlyDiskError);
    }
    expect(await keys(base)).toEqual(['a.txt']);
  });
});

describe('ObservedDisk', () => {
  it('reports every operation with its disk, duration and outcome', async () => {
    const events: DiskOperationEvent[] = [];
    const disk = new ObservedDisk(new DriverDisk('main', new MemoryDriver()), (event) => events.push(event));

    await disk.write('a.txt', 'a');
    await disk.read('missing').catch(() => undefined);
    for await (const _ of disk.list('', { pageSize: 1 })) void _;

    expect(events.map(({ disk: name, operation, error }) => [name, operation, error?.constructor])).toEqual([
      ['main', 'write', undefined],
      ['main', 'read', FileNotFoundError],
      ['main', 'listPage', undefined],
    ]);
    expect(events.every(({ durationMs }) => durationMs >= 0)).toBe(true);
  });
});
