/** Where the CLI keeps the outbox unless told otherwise. */
import { resolve } from 'node:path';

/** `--outbox`, else `ADS_OUTBOX`, else `.ads-fhir/outbox.sqlite` under the working directory. */
export function outboxPath(option: string | undefined): string {
  return resolve(option ?? process.env.ADS_OUTBOX ?? '.ads-fhir/outbox.sqlite');
}
