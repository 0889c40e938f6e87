/**
 * npm run oracle:setup — fetches and prepares the HL7 Java validator as an offline oracle, all under `.oracle/`:
 *   1. the validation library and its dependencies (Maven, `tools/oracle/java/pom.xml`) into .oracle/lib;
 *   2. hl7.terminology.r4, hl7.fhir.uv.extensions.r4 and hl7.fhir.xver-extensions (npm pack) into .oracle/npm;
 *   3. the offline package cache (.oracle/home/.fhir/packages): core R4, those three, xver-r5, UK Core, ADS;
 *   4. the batch driver tools/oracle/java/OracleRunner.java compiled into .oracle/classes.
 * Steps 1 and 2 are skipped when their files are there (--refresh fetches again). Needs java, javac, mvn, npm.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackageCache } from './package-cache.js';
import { NPM_PACKAGES, oraclePaths, ORACLE_DIR, VALIDATOR_COORDINATES } from './paths.js';

const refresh = process.argv.includes('--refresh');

function step(name: string, run: () => string): void {
  const t = Date.now();
  try {
    const said = run();
    console.log(`ok   ${name}: ${said} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  } catch (e) {
    const err = e as { message?: string; stderr?: Buffer | string; stdout?: Buffer | string };
    const detail = [err.stdout, err.stderr].map((x) => (x ? String(x) : '')).join('\n').trim().split('\n').slice(-8).join('\n');
    console.error(`FAIL ${name}: ${err.message ?? String(e)}${detail ? `\n${detail}` : ''}`);
    process.exit(1);
  }
}

function need(cmd: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
  } catch {
    console.error(`FAIL ${cmd} is not on the PATH: the oracle needs a JDK (17+) and Maven; the product does not.`);
    process.exit(2);
  }
}

for (const cmd of ['java', 'javac', 'mvn', 'npm']) need(cmd);
mkdirSync(ORACLE_DIR, { recursive: true });

step('validator jars', () => {
  const jar = join(oraclePaths.lib, `${VALIDATOR_COORDINATES.artifactId}-${VALIDATOR_COORDINATES.version}.jar`);
  if (existsSync(jar) && !refresh) return `present in ${oraclePaths.lib}`;
  rmSync(oraclePaths.lib, { recursive: true, force: true });
  mkdirSync(oraclePaths.mvn, { recursive: true });
  copyFileSync(oraclePaths.pom, join(oraclePaths.mvn, 'pom.xml'));
  execFileSync('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${oraclePaths.lib}`], { cwd: oraclePaths.mvn, stdio: 'pipe' });
  return `${readdirSync(oraclePaths.lib).length} jars (${VALIDATOR_COORDINATES.groupId}:${VALIDATOR_COORDINATES.artifactId}:${VALIDATOR_COORDINATES.version})`;
});

step('HL7 packages', () => {
  mkdirSync(oraclePaths.npm, { recursive: true });
  const got: string[] = [];
  for (const p of NPM_PACKAGES) {
    const tgz = join(oraclePaths.npm, `${p.name}-${p.version}.tgz`);
    if (existsSync(tgz) && !refresh) continue;
    execFileSync('npm', ['pack', `${p.name}@${p.version}`, '--pack-destination', oraclePaths.npm], { stdio: 'pipe' });
    got.push(`${p.name}@${p.version}`);
  }
  return got.length ? `packed ${got.join(', ')}` : 'present';
});

step('package cache', () => {
  const done = buildPackageCache(oraclePaths.packages, oraclePaths.npm);
  return done.map((p) => `${p.id} (${p.resources})`).join(', ');
});

step('OracleRunner', () => {
  mkdirSync(oraclePaths.classes, { recursive: true });
  execFileSync('javac', ['-nowarn', '-cp', join(oraclePaths.lib, '*'), '-d', oraclePaths.classes, oraclePaths.runnerSource], { stdio: 'pipe' });
  return `compiled into ${oraclePaths.classes}`;
});
