/** One problem of a mapping file: where in the file (a JSON pointer) and what is wrong. */
export interface MappingProblem {
  readonly at: string;
  readonly message: string;
}

/**
 * The mapping cannot be used: it breaks the schema, names an item or map that does not exist, has a JSONPath
 * that cannot parse, leaves a required ADS item without a source, or maps into a code outside the value set.
 * Also raised when the extract's header lacks a mapped column. Raised before any record is read.
 */
export class MappingLoadError extends Error {
  override readonly name = 'MappingLoadError';
  constructor(readonly problems: readonly MappingProblem[]) {
    super(`The mapping cannot be used:\n${problems.map((p) => `  ${p.at || '/'}: ${p.message}`).join('\n')}`);
  }
}

/**
 * The extract cannot be mapped further as a whole (not one bad record): an unreadable header, a wrong
 * delimiter, a JSON extract that is not an array of records, or an unsorted extract over the buffer cap.
 * The message never holds a value from the extract.
 */
export class ExtractError extends Error {
  override readonly name = 'ExtractError';
}
