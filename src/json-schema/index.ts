import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export type { ErrorObject, ValidateFunction } from 'ajv';

/** How a project schema is compiled. */
export interface SchemaCompileOptions {
  /** Each error carries its schema and parent schema (e.g. to list the properties an object allows). */
  readonly verbose?: boolean;
}

/**
 * A validator for one of the project's own JSON Schemas (`schemas/*.schema.json`), compiled on first use and kept.
 * Every schema is compiled the same way: all errors at once, strict about the schema itself (a typo in a keyword
 * is a bug, not an open door), with the standard formats.
 */
export function lazySchemaValidator(schema: object, options: SchemaCompileOptions = {}): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => {
    if (!compiled) {
      const ajv = new Ajv({ allErrors: true, verbose: options.verbose ?? false, strict: true, strictRequired: false, allowUnionTypes: true });
      addFormats(ajv);
      compiled = ajv.compile(schema);
    }
    return compiled;
  };
}
