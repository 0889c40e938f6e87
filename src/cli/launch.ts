#!/usr/bin/env node
/**
 * The built `ads-fhir` command. The CLI itself is one CommonJS bundle beside this file (`cli-main.cjs`, built
 * from run.ts); it is loaded with a V8 code cache in the package cache folder (`code/`), so a run after the
 * first starts without parsing and compiling the toolkit again. `ADS_FHIR_CODE_CACHE=0` turns the cache off, as
 * `--no-cache` (which turns off the package caches) does.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir } from '../packages/locations.js';
import { loadWithCodeCache } from './code-cache.js';
import { subcommandOf } from './command-names.js';

const bundle = fileURLToPath(new URL('./cli-main.cjs', import.meta.url));
const off = process.env.ADS_FHIR_CODE_CACHE === '0' || process.argv.includes('--no-cache');
const folder = off ? undefined : join(defaultCacheDir(), 'code');
const cli = loadWithCodeCache(bundle, folder, subcommandOf(process.argv) ?? 'other');
process.once('exit', cli.store);
await (cli.exports.main as (argv: string[]) => Promise<void>)(process.argv);
