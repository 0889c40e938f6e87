/**
 * The subcommands, in help order, grouped by the module that registers them. Kept apart from program.ts so the
 * launcher can name its code cache after the subcommand without loading commander or any command.
 */
export const COMMAND_GROUPS = [
  ['demo'],
  ['validate'],
  ['serve'],
  ['packages', 'snapshot'],
  ['import-xml'],
  ['convert'],
  ['docs'],
  ['map'],
  ['submit'],
  ['outbox'],
  ['reconcile'],
  ['stand-ins', 'sandbox'],
  ['mesh'],
  ['cqi'],
  ['audit'],
  ['build'],
] as const;

/** The subcommand `argv` runs (`validate`), or undefined for help, a version query or an unknown name. */
export function subcommandOf(argv: readonly string[]): string | undefined {
  const named = argv[2];
  return COMMAND_GROUPS.some((names) => (names as readonly string[]).includes(named ?? '')) ? named : undefined;
}
