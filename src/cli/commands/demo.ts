import type { Command } from 'commander';
import { readCoreR4 } from '../../packages/index.js';

/** `ads-fhir demo`: the main job on the embedded defaults. */
export function register(program: Command): void {
  program
    .command('demo')
    .description('Run the main job on the embedded defaults')
    .action(() => {
      const resources = readCoreR4();
      const counts = new Map<string, number>();
      for (const r of resources) counts.set(r.resourceType, (counts.get(r.resourceType) ?? 0) + 1);
      console.log(`hl7.fhir.r4.core 4.0.1: ${resources.length} resources`);
      for (const [type, n] of [...counts].sort()) console.log(`  ${type}: ${n}`);
    });
}
