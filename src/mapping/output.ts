import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bundle } from 'fhir/r4';

const tempName = (dir: string, name: string) => join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

/** A file name for a call key: letters, digits, `-`, `_` and `.` kept, anything else replaced. */
export function bundleFileName(callKey: string): string {
  const safe = callKey.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return `${safe || 'call'}.json`;
}

/**
 * Writes bundles atomically: each file goes to a temporary name in the same folder and is renamed when
 * complete, so a reader never sees half a bundle and a failure leaves no partial file. The NDJSON file (if
 * asked for) is built under a temporary name and renamed by {@link BundleWriter.commit}; {@link BundleWriter.abort}
 * removes it.
 */
export class BundleWriter {
  private ndjson: { handle: FileHandle; temp: string; final: string } | undefined;
  private readonly names = new Set<string>();

  private constructor(private readonly dir: string, private readonly files: boolean) {}

  static async open(dir: string, options: { files: boolean; ndjson?: string }): Promise<BundleWriter> {
    await mkdir(dir, { recursive: true });
    const writer = new BundleWriter(dir, options.files);
    if (options.ndjson) {
      const final = join(dir, options.ndjson);
      const temp = tempName(dir, options.ndjson);
      writer.ndjson = { handle: await open(temp, 'wx'), temp, final };
    }
    return writer;
  }

  /** Writes one bundle; returns its file name (unique within the run), or undefined when only NDJSON is written. */
  async write(callKey: string, bundle: Bundle): Promise<string | undefined> {
    let written: string | undefined;
    if (this.files) {
      let name = bundleFileName(callKey);
      for (let n = 2; this.names.has(name); n++) name = bundleFileName(`${callKey}-${n}`);
      this.names.add(name);
      const temp = tempName(this.dir, name);
      try {
        await writeFile(temp, `${JSON.stringify(bundle, null, 2)}\n`, { flag: 'wx' });
        await rename(temp, join(this.dir, name));
      } catch (e) {
        await rm(temp, { force: true });
        throw e;
      }
      written = name;
    }
    if (this.ndjson) await this.ndjson.handle.write(`${JSON.stringify(bundle)}\n`);
    return written;
  }

  /** Completes the NDJSON file; returns its path. */
  async commit(): Promise<string | undefined> {
    if (!this.ndjson) return undefined;
    const { handle, temp, final } = this.ndjson;
    this.ndjson = undefined;
    await handle.close();
    await rename(temp, final);
    return final;
  }

  /** Removes the unfinished NDJSON file. */
  async abort(): Promise<void> {
    if (!this.ndjson) return;
    const { handle, temp } = this.ndjson;
    this.ndjson = undefined;
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
  }
}
