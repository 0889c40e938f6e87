import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { extname, isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_FOLDER_IGNORES, ignoreMatcher } from './ignore.js';

/** One payload to validate. */
export interface Payload {
  /** Path, `path:line` for an NDJSON line, or `-` for stdin. */
  name: string;
  format: 'json' | 'xml';
  text: string;
}

/** A payload that could not be read as text: reported as a fatal issue on that input (exit 1). */
export interface UnreadablePayload {
  name: string;
  problem: string;
  /** Set when this is not a failure but a finding with its own rule (a warning), at `line` of the file. */
  finding?: { rule: string; line: number };
}

/** A command-line mistake (no such path, nothing to validate): exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const PAYLOAD_EXTENSIONS = new Set(['.json', '.xml', '.ndjson']);

/** What {@link expandPaths} leaves out. */
export interface ExpandOptions {
  /** `--ignore` patterns (see ignore.ts), applied to files found in folders and by patterns; named files are always read. */
  readonly ignore?: readonly string[];
}

/**
 * Expands paths, folders (recursively, .json/.xml/.ndjson) and glob patterns into a sorted file list. Folders
 * skip `*.expect.json` (the expected outcomes kept beside examples) as well as anything `ignore` matches.
 */
export async function expandPaths(paths: readonly string[], options: ExpandOptions = {}): Promise<string[]> {
  const ignored = ignoreMatcher(options.ignore ?? []);
  const skippedInFolders = ignoreMatcher([...DEFAULT_FOLDER_IGNORES, ...(options.ignore ?? [])]);
  const files: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      files.push('-');
      continue;
    }
    // A path that exists is taken literally, even when it holds pattern characters (`report (1).json`).
    const info = await stat(p).catch(() => undefined);
    // The glob library is loaded only for a path that does not exist: a run on named files never parses it.
    const globs = info ? undefined : await import('tinyglobby');
    if (globs?.isDynamicPattern(p)) {
      const matched = (await globs.glob(p, { onlyFiles: true, dot: false, absolute: isAbsolute(p) })).sort();
      if (matched.length === 0) throw new UsageError(`No file matches ${p}`);
      const kept = matched.filter((f) => !ignored(f));
      if (kept.length === 0) throw new UsageError(`Every file matching ${p} is ignored`);
      files.push(...kept);
      continue;
    }
    if (!info) throw new UsageError(`Cannot read ${p}: no such file or folder`);
    if (info.isDirectory()) {
      const found = (await walk(p)).filter((f) => !skippedInFolders(f));
      if (found.length === 0) throw new UsageError(`The folder ${p} holds no .json, .xml or .ndjson payloads${options.ignore?.length ? ' that are not ignored' : ''}`);
      files.push(...found);
    } else files.push(p);
  }
  return files;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new UsageError(`Cannot read the folder ${dir}`);
  });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !e.name.startsWith('.')) out.push(...(await walk(full)));
    } else if (e.isFile() && PAYLOAD_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}

/** Guesses JSON or XML from the first non-blank character, falling back to the extension. */
export function detectFormat(text: string, name: string): 'json' | 'xml' {
  const first = /\S/.exec(text.replace(/^\uFEFF/, ''))?.[0];
  if (first === '<') return 'xml';
  if (first === '{' || first === '[') return 'json';
  return extname(name).toLowerCase() === '.xml' ? 'xml' : 'json';
}

/**
 * Reads the payloads of one file: one for .json/.xml, one per line for .ndjson (a blank line is a warning; streamed,
 * so a large NDJSON file never sits in memory whole). Files over `maxBytes` or holding binary data
 * yield an UnreadablePayload instead of their text.
 */
export async function* readPayloads(file: string, options: { maxBytes: number; stdin?: NodeJS.ReadableStream }): AsyncGenerator<Payload | UnreadablePayload> {
  if (file === '-') {
    const text = await readStream(options.stdin ?? process.stdin, options.maxBytes);
    if (text === undefined) yield { name: '-', problem: `The input is larger than the limit of ${options.maxBytes} bytes` };
    else yield* checkText('-', text);
    return;
  }
  if (extname(file).toLowerCase() === '.ndjson') {
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      const name = `${file}:${n}`;
      if (line.trim() === '') {
        // The reference's NDJSON reader warns of each blank line (a final newline is no line of its own).
        yield { name, problem: 'The NDJSON source contains an empty line. This may not be accepted by some processors', finding: { rule: 'NDJSON_EMPTY_LINE_WARNING', line: n } };
        continue;
      }
      if (line.length > options.maxBytes) yield { name, problem: `The line is larger than the limit of ${options.maxBytes} bytes` };
      else yield { name, format: 'json', text: line };
    }
    return;
  }
  const size = (await stat(file)).size;
  if (size > options.maxBytes) {
    yield { name: file, problem: `The file is ${size} bytes, over the limit of ${options.maxBytes} bytes (see --max-size)` };
    return;
  }
  const handle = await open(file, 'r');
  try {
    const bytes = await handle.readFile();
    yield* checkText(file, bytes.toString('utf8'), bytes);
  } finally {
    await handle.close();
  }
}

function* checkText(name: string, text: string, bytes?: Buffer): Generator<Payload | UnreadablePayload> {
  if ((bytes ?? Buffer.from(text.slice(0, 8000))).subarray(0, 8000).includes(0)) {
    yield { name, problem: 'The file holds binary data, not a JSON or XML payload' };
    return;
  }
  if (text.trim() === '') {
    yield { name, problem: 'The file is empty' };
    return;
  }
  yield { name, format: detectFormat(text, name), text: text.replace(/^\uFEFF/, '') };
}

async function readStream(stream: NodeJS.ReadableStream, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.length;
    if (total > maxBytes) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
