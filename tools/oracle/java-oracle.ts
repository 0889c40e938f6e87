/**
 * Runs the HL7 Java validator (tools/oracle/java/OracleRunner.java) on many files with one JVM start, offline:
 * `-Duser.home` points at the package cache under `.oracle/home`, and no terminology server is used.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EXTENSIONS_PACKAGE, javaOracleMissing, ORACLE_DIR, oraclePaths, TERMINOLOGY_PACKAGE, VALIDATOR_COORDINATES } from './paths.js';

export interface ReferenceIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code?: string | null;
  expression: string;
  text: string;
  /** The validator's message key (I18nConstants), or an invariant's `url#key`; absent for a few parser messages. */
  messageId?: string | null;
  line?: number;
  col?: number;
  /** Set when a terminology server produced the issue (never here: there is none). */
  server?: string;
}

export interface ReferenceOutcome {
  file: string;
  ms: number;
  issues?: ReferenceIssue[];
  /** The validator failed on this file instead of answering. */
  crash?: string;
}

export interface JavaRun {
  startupMs: number;
  wallMs: number;
  outcomes: Map<string, ReferenceOutcome>;
}

export const REFERENCE_NAME = `HL7 FHIR validator library ${VALIDATOR_COORDINATES.artifactId} ${VALIDATOR_COORDINATES.version}`;

/** The packages given as `-ig` (core R4, terminology and extensions are loaded by the engine itself). */
export const REFERENCE_IGS = ['ads-fhir.xver-r5#0.1.0', 'UKCore.R4.STU.02.00.00#2.0.0', 'ads-fhir.reconstructed.ads#0.1.0'] as const;

/** Why the Java oracle cannot run on this machine, or undefined when it can. */
export function whyNoJavaOracle(): string | undefined {
  return javaOracleMissing((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0);
}

/** The java command line (for docs and error messages). */
export function javaCommand(heap: string, extraArgs: string[] = []): string[] {
  return [
    'java',
    `-Xmx${heap}`,
    '-XX:+UseSerialGC',
    `-Duser.home=${oraclePaths.home}`,
    '-cp',
    `${oraclePaths.classes}:${join(oraclePaths.lib, '*')}`,
    'OracleRunner',
    '--tho',
    TERMINOLOGY_PACKAGE.version,
    '--extensions',
    EXTENSIONS_PACKAGE.version,
    ...REFERENCE_IGS.flatMap((ig) => ['--ig', ig]),
    ...extraArgs,
  ];
}

/**
 * Validates `files` (absolute paths, `.json` or `.xml`) with the Java validator. The validator's own log goes to
 * `.oracle/last-run.log`. Rejects when the JVM stops before answering every file.
 */
export async function runJavaOracle(
  files: string[],
  options: { heap?: string; onProgress?: (done: number) => void; onOutcome?: (outcome: ReferenceOutcome) => void; extraArgs?: string[] } = {},
): Promise<JavaRun> {
  const why = whyNoJavaOracle();
  if (why) throw new Error(`the Java oracle cannot run: ${why}`);
  const [cmd, ...args] = javaCommand(options.heap ?? '3g', options.extraArgs);
  const t0 = Date.now();
  const child = spawn(cmd as string, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const log = createWriteStream(join(ORACLE_DIR, 'last-run.log'));
  child.stderr.pipe(log);
  child.stdin.on('error', () => undefined);
  child.stdin.end(files.map((f) => `${f}\n`).join(''));
  const outcomes = new Map<string, ReferenceOutcome>();
  let startupMs = -1;
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  for await (const line of lines) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as { ready?: boolean; startupMs?: number } & Partial<ReferenceOutcome>;
    if (parsed.ready) startupMs = parsed.startupMs ?? -1;
    else if (parsed.file) {
      outcomes.set(parsed.file, parsed as ReferenceOutcome);
      options.onOutcome?.(parsed as ReferenceOutcome);
      options.onProgress?.(outcomes.size);
    }
  }
  const code = await exited;
  log.end();
  if (outcomes.size < files.length) {
    throw new Error(`the Java validator stopped (exit ${code}) after ${outcomes.size} of ${files.length} files; see ${join(ORACLE_DIR, 'last-run.log')}`);
  }
  return { startupMs, wallMs: Date.now() - t0, outcomes };
}
