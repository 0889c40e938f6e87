/**
 * `ads-fhir stand-ins --background` and `--stop`: the stand-ins as a background process, so a script (or
 * the README) can start them, wait until they are ready, use them and stop them, one command after another.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readStandInsSettings, removeStandInsSettings, STAND_INS_FILE, StandInsNotRunningError, type StandInsSettings } from './stand-ins-settings.js';

/** Where the background stand-ins write what they print. */
export const STAND_INS_LOG = '.ads-fhir/stand-ins.log';

const READY_TIMEOUT_MS = 180_000;

/**
 * Starts this same command again, detached, without `--background`; returns 0 once it has written its
 * settings, 1 (with its output) if it stopped or did not get ready in time.
 */
export async function startInBackground(): Promise<number> {
  const running = current();
  if (running) {
    console.log(`the local stand-ins already run (process ${running.pid}); settings in ${STAND_INS_FILE}`);
    return 0;
  }
  const log = resolve(STAND_INS_LOG);
  mkdirSync(dirname(log), { recursive: true, mode: 0o700 });
  const out = openSync(log, 'w', 0o600);
  const args = [...process.execArgv, process.argv[1]!, ...process.argv.slice(2).filter((a) => a !== '--background')];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  let exited = false;
  child.once('exit', () => (exited = true));
  child.unref();
  for (const started = Date.now(); Date.now() - started < READY_TIMEOUT_MS; ) {
    if (current()?.pid === child.pid) {
      console.log(`local stand-ins ready in the background (process ${child.pid}; not the NHS sandbox); settings in ${STAND_INS_FILE}, output in ${STAND_INS_LOG}`);
      console.log('stop them with: ads-fhir stand-ins --stop');
      return 0;
    }
    if (exited) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!exited) child.kill('SIGTERM');
  console.error(`stand-ins: they did not start; their output (${STAND_INS_LOG}):\n${readFileSync(log, 'utf8').trimEnd()}`);
  return 1;
}

/** Stops the stand-ins recorded in the settings file and waits until they are gone. */
export async function stopStandIns(): Promise<number> {
  let settings: StandInsSettings | undefined;
  try {
    settings = readStandInsSettings();
  } catch (error) {
    if (!(error instanceof StandInsNotRunningError)) throw error;
    removeStale();
    console.log(`the local stand-ins recorded in ${STAND_INS_FILE} were no longer running; their settings are removed`);
    return 0;
  }
  if (!settings) {
    console.log('no local stand-ins run from this folder');
    return 0;
  }
  process.kill(settings.pid, 'SIGTERM');
  for (const started = Date.now(); Date.now() - started < 15_000; await new Promise((r) => setTimeout(r, 100))) {
    if (!alive(settings.pid)) {
      console.log(`stopped the local stand-ins (process ${settings.pid})`);
      return 0;
    }
  }
  console.error(`stand-ins: process ${settings.pid} did not stop`);
  return 1;
}

function current(): StandInsSettings | undefined {
  try {
    return readStandInsSettings();
  } catch (error) {
    if (error instanceof StandInsNotRunningError) return undefined;
    throw error;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A settings file whose process is gone is removed whoever wrote it. */
function removeStale(): void {
  try {
    const pid = (JSON.parse(readFileSync(resolve(STAND_INS_FILE), 'utf8')) as { pid?: number }).pid;
    if (typeof pid === 'number' && alive(pid)) return;
  } catch {
    // unreadable: remove it
  }
  removeStandInsSettings({ force: true });
}
