/**
 * Where `ads-fhir stand-ins` leaves its settings, so that `submit`, `reconcile` and `outbox` find the local
 * stand-ins without any exports: `.ads-fhir/stand-ins.json` under the working directory. The stand-ins
 * are this toolkit's loopback servers, not the NHS sandbox (`--env sandbox`).
 *
 * Commands use the file only when nothing else names a service (no `--env`/`--base-url`, no `ADS_*`
 * variable; no `--config`, no `MESH_*` variable). A file left by stand-ins that are no longer running is
 * reported, never silently followed or ignored.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RedactedError } from '../../net/index.js';

/** The settings file, relative to the working directory. */
export const STAND_INS_FILE = '.ads-fhir/stand-ins.json';

/** What the stand-ins write. Secrets are in files beside it (0600), never inline. */
export interface StandInsSettings {
  /** A reminder for whoever opens the file. */
  about: string;
  /** The process running the stand-ins: the file is stale once it has gone. */
  pid: number;
  ads: { baseUrl: string; tokenUrl: string; apiKey: string; kid?: string; privateKeyFile?: string };
  /** A MESH config file for `reconcile` (as `--config` takes), when the MESH stand-in runs. */
  meshConfig?: string;
}

/** The stand-ins' settings file exists but its process is gone. */
export class StandInsNotRunningError extends RedactedError {
  override readonly name = 'StandInsNotRunningError';
  constructor(file: string) {
    super(`the local stand-ins recorded in ${file} are not running: start them with "ads-fhir stand-ins", or name a service (--env, or the ADS_*/MESH_* settings)`);
  }
}

/** Writes the settings (0600) for the commands started from the same working directory. */
export function writeStandInsSettings(settings: Omit<StandInsSettings, 'about' | 'pid'>, file = STAND_INS_FILE): string {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const content: StandInsSettings = {
    about: 'Written by "ads-fhir stand-ins": local loopback stand-ins of the token endpoint, the ADS API and MESH. Not the NHS sandbox.',
    pid: process.pid,
    ...settings,
  };
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/**
 * Removes the settings when the stand-ins stop: only our own (another run may have replaced them), unless
 * `force` (a stale file whose process is gone).
 */
export function removeStandInsSettings(options: { force?: boolean } = {}, file = STAND_INS_FILE): void {
  const path = resolve(file);
  try {
    const current = options.force ? { pid: process.pid } : (JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown });
    if (current.pid === process.pid) rmSync(path, { force: true });
  } catch {
    // Already gone or unreadable: nothing of ours to remove.
  }
}

/**
 * The running stand-ins' settings, undefined when there is no file; throws {@link StandInsNotRunningError}
 * when the file names a process that is gone.
 */
export function readStandInsSettings(file = STAND_INS_FILE): StandInsSettings | undefined {
  const path = resolve(file);
  if (!existsSync(path)) return undefined;
  let settings: StandInsSettings;
  try {
    settings = JSON.parse(readFileSync(path, 'utf8')) as StandInsSettings;
  } catch {
    throw new StandInsNotRunningError(file);
  }
  if (typeof settings.pid !== 'number' || !isRunning(settings.pid) || typeof settings.ads?.baseUrl !== 'string') throw new StandInsNotRunningError(file);
  return settings;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
