/**
 * Which reference issues only exist because the reference runs without a terminology server.
 *
 * The HL7 suite's expected outcomes were produced with a terminology server, and its scoring drops the issues that
 * server produced (they carry the `operationoutcome-issue-server` extension). Offline (`-tx n/a`) the reference
 * cannot ask one, and says so instead: "running without terminology services", "A definition for CodeSystem X could
 * not be found", a code "not found" in a value set it cannot expand. Those are the same issues from the other side,
 * so they are set aside the same way: a terminology issue is server-dependent when the code systems it names (or
 * those of the value set it names) are not held, complete, in the loaded packages. They are counted in the report.
 */
import type { CodeSystem, ValueSet } from 'fhir/r4';

export interface TerminologySource {
  valueSet(canonical: string): ValueSet | undefined;
  codeSystem(canonical: string): CodeSystem | undefined;
}

const TERMINOLOGY_ID = /^(Terminology_|TERMINOLOGY_|TX_|UNKNOWN_CODESYSTEM|Error_validating_code|UNABLE_TO_INFER_CODESYSTEM|UNABLE_TO_CHECK_IF_THE_PROVIDED_CODES|CODESYSTEM_CS_)/;
const ALWAYS = new Set(['Error_validating_code_running_without_terminology_services', 'UNKNOWN_CODESYSTEM', 'UNKNOWN_CODESYSTEM_VERSION', 'UNKNOWN_CODESYSTEM_CODING_NOT_CHECKED']);
const URL_IN_TEXT = /(?:https?:\/\/|urn:)[^\s'"(),|#]+/g;

/** Systems the reference knows without a package or a server (its special code systems). */
const BUILT_IN_SYSTEMS = new Set(['urn:ietf:rfc:3986']);

export function serverDependence(source: TerminologySource): (issue: { messageId?: string | null; code?: string | null; text: string }) => boolean {
  const memo = new Map<string, boolean>();
  const systemLocal = (url: string): boolean => {
    const cs = source.codeSystem(url);
    return !!cs && cs.content === 'complete';
  };
  const valueSetLocal = (url: string, depth = 0): boolean => {
    const vs = source.valueSet(url);
    if (!vs?.compose || depth > 4) return false;
    return [...(vs.compose.include ?? []), ...(vs.compose.exclude ?? [])].every(
      (inc) => (!inc.system || systemLocal(inc.system)) && (inc.valueSet ?? []).every((v) => valueSetLocal(v.split('|')[0] as string, depth + 1)),
    );
  };
  const local = (url: string): boolean => {
    // A system the reference judges offline with a code system of its own (URICodeSystem: any absolute URI).
    if (BUILT_IN_SYSTEMS.has(url.replace(/:$/, ''))) return true;
    let v = memo.get(url);
    if (v === undefined) {
      v = source.codeSystem(url) ? systemLocal(url) : source.valueSet(url) ? valueSetLocal(url) : false;
      memo.set(url, v);
    }
    return v;
  };
  return (issue) => {
    const id = issue.messageId ?? '';
    const noIdTerminology = !id && /CodeSystem .* could not be found|value set|ValueSet/i.test(issue.text);
    if (!TERMINOLOGY_ID.test(id) && !noIdTerminology) return false;
    if (ALWAYS.has(id) || /could not be found, so the code cannot be validated/.test(issue.text)) return true;
    const urls = (issue.text.match(URL_IN_TEXT) ?? []).filter((u) => !u.includes('StructureDefinition'));
    return urls.length > 0 && urls.some((u) => !local(u));
  };
}
