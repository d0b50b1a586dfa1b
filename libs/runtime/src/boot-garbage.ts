import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8's `gc()`, obtained without running the whole process with `--expose-gc`: the flag is
 * read when a context is created, so it is set for one new context and unset again, and
 * `gc` stays absent from the app's own global scope.
 */
export function fullGc(): (options?: GcOptions) => void {
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as (options?: GcOptions) => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/** The options V8's `gc()` takes (src/extensions/gc-extension.h). */
interface GcOptions {
  type: 'major' | 'minor';
  execution: 'sync' | 'async';
  flavor?: 'regular' | 'last-resort';
}

/**
 * The last-resort collection: V8's CollectAllAvailableGarbage, which collects until nothing
 * more is freed and reduces memory as V8's memory reducer does, giving back the young
 * generation's semi-spaces (grown to their cap during the boot, about 8 MB of an idle app's
 * RSS) as well. V8 reads `flavor` from 12.x on (Node 22 and later); V8 11 (Node 20) turns any
 * argument of `gc()` into a young-generation collection, so there the plain full one runs,
 * and the memory reducer gives the young generation back by itself 8 to 10 s after ready.
 */
const LAST_RESORT: GcOptions | undefined =
  Number(process.versions.v8.split('.')[0]) >= 12
    ? { type: 'major', execution: 'sync', flavor: 'last-resort' }
    : undefined;

/**
 * V8 options that hold for the boot's collection only, and are unset right after it (both are
 * off by default, so unsetting them restores V8's defaults):
 * - `--stress-flush-code`: drops the bytecode of every function that is not running. V8 keeps
 *   a function's bytecode until it has gone unused through several full collections, and an
 *   idle app runs none, so the bytecode of what ran once at boot (the bundle's module
 *   bodies, decorators, Nest's scan) stayed for good. A function that runs again later is
 *   compiled again from its source on its first call, as on the first call of all.
 * - `--compact-on-every-full-gc`: moves the live objects together so that the pages the
 *   boot's garbage and that bytecode leave mostly empty are returned; without it V8 keeps them.
 */
const BOOT_COLLECTION_FLAGS = ['--stress-flush-code', '--compact-on-every-full-gc'];

/**
 * One full collection once the app listens, before it serves. Booting leaves garbage behind
 * (module factories' results, the config's parse, Nest's scan of the modules), and when no
 * full collection has run during the boot, that garbage and the malloc'd memory it holds
 * stay resident: an idle app allocates too little to start one. The collection also drops
 * the bytecode of what ran at boot and compacts the heap (see above). Idle RSS 3 s after
 * ready, Node 20: api 115 -> 108, worker 110 -> 99, scheduler 109 -> 99 MB. On Node 24 the
 * last-resort flavor (which also gives the young generation back) took the api from 144 to
 * 111 MB 1 to 5 s after ready (a plain collection left it at 144 until the memory reducer
 * ran). It costs one collection at boot (20 to 50 ms of CPU on a loaded machine) and, while
 * it copies the live objects, a transient of about the old generation's size (10 to 20 MB)
 * on top of the RSS.
 */
export function releaseBootGarbage(): void {
  const gc = fullGc();
  for (const flag of BOOT_COLLECTION_FLAGS) setFlagsFromString(flag);
  try {
    if (LAST_RESORT) gc(LAST_RESORT);
    else gc();
  } finally {
    for (const flag of BOOT_COLLECTION_FLAGS) setFlagsFromString(flag.replace(/^--/, '--no-'));
  }
}
