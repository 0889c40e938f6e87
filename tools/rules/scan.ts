/**
 * What the repository's source says about rule ids, read without running anything:
 * which string literals the product code (src/, tests excluded) contains, which ones sit where a rule id
 * is given (`issue('X', ...)`, `report('X', ...)`, `rule: 'X'`), and which test files assert which rule ids.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CATALOGUE_FILE } from './catalogue.js';

export interface RepoScan {
  /** Every string literal in product code (src/, not tests), with the files (repo-relative) it is in. */
  productLiterals: Map<string, string[]>;
  /** Literals that look like rule ids (with `_` or `#`) in rule-id positions of product code, with their files. */
  ruleIdLiterals: Map<string, string[]>;
  /** Literals of test files that assert rule ids, with the files (repo-relative, sorted) they are in. */
  testedLiterals: Map<string, string[]>;
}

/** Where a rule id is given: first argument of the issue sinks, or a `rule` property. */
const RULE_ID_POSITION = /\b(?:issue|report|finding)\s*\(\s*$|\brule\s*[:=]\s*$/;
/** The catalogue's own tests, whose rule-id-shaped strings are test data, not assertions about the validator. */
const SELF_TESTS = new Set(['test/rule-catalogue.test.ts']);
/** A test file that matches issues by rule id (and not only by text). */
const ASSERTS_RULES = /\.rule\b|\brule\s*:|\brules\s*\(|\bruleIds?\b/;

function isTestFile(path: string): boolean {
  return path.endsWith('.test.ts') || path.split(sep).includes('test');
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(path));
    else if (e.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** A string literal of TypeScript source and the code text just before it (comments removed). */
export interface Literal {
  value: string;
  before: string;
}

/**
 * The string literals of TypeScript source, in order, skipping comments. Template literals count with their
 * text when they have no substitution. Good enough for this purpose: regular expression literals are not
 * recognised, so a quote inside one may shift the reading until the end of its line.
 */
export function stringLiterals(source: string): Literal[] {
  const out: Literal[] = [];
  let code = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let value = '';
      let substituted = false;
      while (j < n && source[j] !== c) {
        if (source[j] === '\\') {
          value += source[j + 1] ?? '';
          j += 2;
          continue;
        }
        if (c !== '`' && source[j] === '\n') break;
        if (c === '`' && source[j] === '$' && source[j + 1] === '{') substituted = true;
        value += source[j];
        j++;
      }
      if (!substituted) out.push({ value, before: code.slice(-40) });
      code += ' ';
      i = j + 1;
      continue;
    }
    code += c;
    i++;
  }
  return out;
}

function add(map: Map<string, string[]>, key: string, file: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [file]);
  else if (!list.includes(file)) list.push(file);
}

/** Reads src/ and test/ of the repository at `root`. */
export function scanRepository(root: string): RepoScan {
  const scan: RepoScan = { productLiterals: new Map(), ruleIdLiterals: new Map(), testedLiterals: new Map() };
  const catalogueDir = join(root, CATALOGUE_FILE, '..');
  const files = [...tsFiles(join(root, 'src')), ...tsFiles(join(root, 'test'))].sort();
  for (const file of files) {
    if (file.startsWith(catalogueDir)) continue;
    const rel = relative(root, file).split(sep).join('/');
    const source = readFileSync(file, 'utf8');
    const literals = stringLiterals(source);
    if (isTestFile(relative(root, file))) {
      if (SELF_TESTS.has(rel) || !ASSERTS_RULES.test(source)) continue;
      for (const l of literals) add(scan.testedLiterals, l.value, rel);
      continue;
    }
    for (const l of literals) {
      if (/\benv\s*\[\s*$/.test(l.before)) continue; // an environment variable's name
      add(scan.productLiterals, l.value, rel);
      if (RULE_ID_POSITION.test(l.before) && /^[^\s]*[_#][^\s]*$/.test(l.value)) add(scan.ruleIdLiterals, l.value, rel);
    }
  }
  for (const list of scan.testedLiterals.values()) list.sort();
  return scan;
}
