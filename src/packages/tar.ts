import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type TarStream from 'tar-stream';
import { PackageError } from './errors.js';

/** One regular file of a tar archive. */
export interface TarEntry {
  name: string;
  data: Buffer;
}

/** Lists the regular files of an (already gunzipped) tar held in memory; a damaged archive is a PackageError. */
export async function readTar(tar: Buffer, file: string): Promise<TarEntry[]> {
  // Required here: only `.tgz` packages need it, and most runs load folders and the compiled cache.
  const tarStream = createRequire(import.meta.url)('tar-stream') as typeof TarStream;
  const extract = tarStream.extract();
  const entries: TarEntry[] = [];
  try {
    const done = (async () => {
      for await (const entry of extract) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        if (entry.header.type === 'file' || entry.header.type === 'contiguous-file') {
          entries.push({ name: entry.header.name.replace(/^\.\//, ''), data: Buffer.concat(chunks) });
        }
      }
    })();
    Readable.from([tar]).pipe(extract);
    await done;
  } catch (e) {
    throw new PackageError('corrupt-archive', file, `damaged tar archive (${(e as Error).message})`);
  }
  return entries;
}
