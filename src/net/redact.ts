/**
 * Scrubbing of secrets from text that may reach a log or an error message.
 *
 * Errors carry the server's text, and server text can echo what it was sent; so every message built
 * by this module passes through {@link redact} before it leaves, whatever its source.
 */

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g;
// Three base64url segments separated by dots: a compact JWS/JWT.
const COMPACT_JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer)\s+[^\s"',;]+/gi;
const FORM_SECRET = /\b(client_assertion|access_token|assertion)=([^&\s"]+)/gi;
const JSON_SECRET = /"(access_token|client_assertion|private_key|privateKey)"\s*:\s*"[^"]*"/gi;
// An NHS number (10 digits, optionally spaced 3-3-4) that a server might echo from a payload.
const NHS_NUMBER = /\b\d{3}[ -]?\d{3}[ -]?\d{4}\b/g;

/** Strings registered at run time (the current access token, the API key's key material) to hide. */
const known = new Set<string>();

/**
 * Registers a secret so any later {@link redact} call hides it wherever it appears.
 * Short values are ignored: hiding a 3-character string would mangle ordinary text.
 */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 8) known.add(secret);
}

/** Forgets a secret registered with {@link registerSecret} (an access token after it expired). */
export function forgetSecret(secret: string | undefined): void {
  if (secret) known.delete(secret);
}

/**
 * Returns `text` with PEM blocks, JWTs, bearer tokens, NHS numbers and registered secrets replaced by
 * `[REDACTED]` markers.
 */
export function redact(text: string): string {
  let out = text
    .replace(PEM_BLOCK, '[REDACTED PEM]')
    .replace(COMPACT_JWT, '[REDACTED JWT]')
    .replace(BEARER, '$1 [REDACTED]')
    .replace(FORM_SECRET, '$1=[REDACTED]')
    .replace(JSON_SECRET, '"$1":"[REDACTED]"')
    .replace(NHS_NUMBER, '[REDACTED NHS NUMBER]');
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}

/** Server text is quoted in errors only as a short, single-line, redacted excerpt. */
export function excerpt(text: string, max = 300): string {
  const flat = redact(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
