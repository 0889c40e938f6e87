import { AdsBuilderError } from '../../src/builder/errors.js';

/** The AdsBuilderError `f` throws; fails the test when it throws nothing or something else. */
export function thrown(f: () => unknown): AdsBuilderError {
  try {
    f();
  } catch (e) {
    if (e instanceof AdsBuilderError) return e;
    throw e;
  }
  throw new Error('expected an AdsBuilderError');
}
