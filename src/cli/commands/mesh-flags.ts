/** The MESH connection flags shared by `mesh poll` and `reconcile`. */
import type { Command } from 'commander';
import { type LoadedMeshConfig, loadMeshConfig, MESH_ENV } from '../../mesh/index.js';

/** What the shared flags parse to. */
export interface MeshFlags {
  config?: string;
  baseUrl?: string;
  mailbox?: string;
  apiVersion?: string;
  workflowFilter?: string;
}

/** Adds `--config`, `--base-url`, `--mailbox`, `--api-version` and `--workflow-filter`. */
export function addMeshFlags(command: Command): Command {
  return command
    .option('-c, --config <file>', 'JSON config file (secrets via environment or *File settings)')
    .option('--base-url <url>', `MESH base URL (env ${MESH_ENV.baseUrl})`)
    .option('--mailbox <id>', `mailbox id (env ${MESH_ENV.mailboxId})`)
    .option('--api-version <n>', 'MESH API version, 1 or 2 (default 2)')
    .option('--workflow-filter <filter>', 'only messages whose workflow matches, e.g. ADS_FHIR_NOTIFICATION');
}

/** The config file, then the environment, then the flags (the flags win). */
export function meshConfigFromFlags(flags: MeshFlags): LoadedMeshConfig {
  return loadMeshConfig(flags.config, process.env, {
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.mailbox !== undefined ? { mailboxId: flags.mailbox } : {}),
    ...(flags.apiVersion !== undefined ? { apiVersion: flags.apiVersion } : {}),
    ...(flags.workflowFilter !== undefined ? { workflowFilter: flags.workflowFilter } : {}),
  });
}
