import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Bundle } from 'fhir/r4';

const tempName = (dir: string, name: string) => join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

/** Bundle files written at the same time: enough to keep the disk busy while the next calls are built. */
const FILES_IN_FLIGHT = 16;

/** A file name for a call key: letters, digits, `-`, `_` and `.` kept, anything else replaced. */
export function bundleFileName(callKey: string): string {
  const safe = callKey.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return `${safe || 'call'}.json`;
}

/** Writes `text` to `file` through a temporary file in the same folder and a rename; on failure removes the temporary file. */
async function writeAtomically(dir: string, name: string, text: string): Promise<void> {
  const temp = tempName(dir, name);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, join(dir, name));
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/**
 * Writes bundles atomically: each file goes to a temporary name in the same folder and is renamed when
 * complete, so a reader never sees half a bundle and a failure leaves no partial file. Up to
 * {@link FILES_IN_FLIGHT} files are written at once; a write failure is thrown by the next `write` or by
 * `commit`. The NDJSON file (if asked for) is built under a temporary name and renamed by `commit`; `abort`
 * removes it.
 */
export class BundleWriter {
  private ndjson: { stream: WriteStream; temp: string; final: string } | undefined;
  private readonly names = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  private constructor(private readonly dir: string, private readonly files: boolean) {}

  static async open(dir: string, options: { files: boolean; ndjson?: string }): Promise<BundleWriter> {
    await mkdir(dir, { recursive: true });
    const writer = new BundleWriter(dir, options.files);
    if (options.ndjson) {
      const final = join(dir, options.ndjson);
      const temp = tempName(dir, options.ndjson);
      const stream = createWriteStream(temp, { flags: 'wx' });
      await once(stream, 'open');
      writer.ndjson = { stream, temp, final };
    }
    return writer;
  }

  /** Queues one bundle; returns its file name (unique within the run), or undefined when only NDJSON is written. */
  async write(callKey: string, bundle: Bundle): Promise<string | undefined> {
    if (this.failure) throw this.failure.error;
    let name: string | undefined;
    if (this.files) {
      name = bundleFileName(callKey);
      for (let n = 2; this.names.has(name); n++) name = bundleFileName(`${callKey}-${n}`);
      this.names.add(name);
      const job: Promise<void> = writeAtomically(this.dir, name, `${JSON.stringify(bundle, null, 2)}\n`)
        .catch((error: unknown) => {
          this.failure ??= { error };
        })
        .finally(() => this.inFlight.delete(job));
      this.inFlight.add(job);
      if (this.inFlight.size >= FILES_IN_FLIGHT) await Promise.race(this.inFlight);
    }
    if (this.ndjson && !this.ndjson.stream.write(`${JSON.stringify(bundle)}\n`)) await once(this.ndjson.stream, 'drain');
    return name;
  }

  /** Waits for every file, completes the NDJSON file and returns its path. */
  async commit(): Promise<string | undefined> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure.error;
    if (!this.ndjson) return undefined;
    const { stream, temp, final } = this.ndjson;
    this.ndjson = undefined;
    stream.end();
    await once(stream, 'close');
    await rename(temp, final);
    return final;
  }

  /** Lets the files being written finish (each is whole or absent) and removes the unfinished NDJSON file. */
  async abort(): Promise<void> {
    await Promise.allSettled(this.inFlight);
    if (!this.ndjson) return;
    const { stream, temp } = this.ndjson;
    this.ndjson = undefined;
    stream.destroy();
    await once(stream, 'close').catch(() => undefined);
    await rm(temp, { force: true });
  }
}
