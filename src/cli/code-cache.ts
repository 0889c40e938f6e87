/**
 * Loads a CommonJS file through V8 with a code cache: the compiled functions of an earlier run, kept on disk,
 * so a short run (one `ads-fhir validate` of one bundle) spends its time validating rather than parsing and
 * compiling the toolkit's code again. Node 20 has no compile cache of its own for modules (it arrives in 22).
 *
 * The cache is written when a process ends, after the run has compiled what it used, so the cache holds the
 * functions that kind of run needs; one file per label (the subcommand). Its name is a hash of the Node
 * version, the platform and the loaded file's path, size and modification time: a rebuilt or upgraded toolkit
 * or another Node starts a new file. V8 checks the data itself too and rejects a cache that does not match
 * (then it compiles as usual and the file is written again). Files are 0600 in a 0700 folder, written whole
 * through a rename, and read only when owned by this user and not writable by others: a code cache is code.
 * Nothing here throws: any failure means a run without a cache.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What a loaded CommonJS file exported, and whether its code came from the cache. */
export interface LoadedModule {
  exports: Record<string, unknown>;
  /** True when V8 took the cached code (false on a first run, a stale cache or without a cache folder). */
  fromCache: boolean;
  /**
   * Stores the code compiled so far when the cache was missing or rejected (call it when the run ends, so the
   * cache holds what the run used); does nothing otherwise, and never throws.
   */
  store(): void;
}

/** The cache file for `file` run as `label` in `folder`. */
export function codeCacheFile(folder: string, file: string, label: string): string {
  const st = statSync(file);
  const key = createHash('sha256').update([process.version, process.platform, process.arch, file, st.size, st.mtimeMs].join('\0')).digest('hex');
  return join(folder, `${label}-${key.slice(0, 20)}.v8`);
}

/** The cached data in `path` if this user wrote it and nobody else can change it, else undefined. */
function readTrusted(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    const ownUid = process.getuid?.();
    // Windows has neither owners by uid nor these mode bits (files read as 0666): there the folder's own
    // permissions are what keep others out.
    const othersCanWrite = process.platform !== 'win32' && (st.mode & 0o022) !== 0;
    if (!st.isFile() || (ownUid !== undefined && st.uid !== ownUid) || othersCanWrite) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the whole file or nothing (a reader never sees half a cache), 0600, and drops the label's older files. */
function writeCache(path: string, data: Buffer, label: string): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
  const current = path.slice(folder.length + 1);
  for (const name of readdirSync(folder)) {
    if (name !== current && name.startsWith(`${label}-`) && name.endsWith('.v8')) rmSync(join(folder, name), { force: true });
  }
}

/**
 * Runs the CommonJS `file` as `require` would, with its compiled code from `folder` when an earlier run left it
 * there. Without a folder, it is a plain `require`.
 */
export function loadWithCodeCache(file: string, folder: string | undefined, label: string): LoadedModule {
  const requireHere = createRequire(file);
  if (!folder) return { exports: requireHere(file) as Record<string, unknown>, fromCache: false, store: () => undefined };
  let cachePath: string | undefined;
  let cached: Buffer | undefined;
  try {
    cachePath = codeCacheFile(folder, file, label);
    cached = readTrusted(cachePath);
  } catch {
    cachePath = undefined;
  }
  const source = readFileSync(file, 'utf8');
  // The wrapper Node's CommonJS loader uses, on the first line so line numbers in stack traces stay true.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  // No dynamic-import callback: Node 20 loses it for a script compiled from cached data, so the file must not use
  // `import()` (the CLI bundle is built with each one turned into a require, tsup.config.ts).
  const script = new Script(wrapped, { filename: file, cachedData: cached });
  const fromCache = cached !== undefined && !script.cachedDataRejected;
  const path = fromCache ? undefined : cachePath;
  const store = (): void => {
    if (!path) return;
    try {
      writeCache(path, script.createCachedData(), label);
    } catch {
      // A read-only or full disk costs the next run its head start, nothing else.
    }
  };
  const module = { exports: {} as Record<string, unknown>, filename: file, id: file, loaded: false };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, requireHere, module, file, dirname(file));
  module.loaded = true;
  return { exports: module.exports, fromCache, store };
}
