/**
 * `--ignore <glob>` for the commands that take folders and patterns. A pattern with a `/` is matched against the
 * path as the command shows it (relative to the working folder when given so); one without is matched against the
 * file name, wherever the file sits, as in `.gitignore`.
 */

/** Files that folders hold beside payloads but that are not payloads: expected outcomes of examples. */
export const DEFAULT_FOLDER_IGNORES: readonly string[] = ['*.expect.json'];

/** `*` (not across `/`), `**` (any depth), `?`, `{a,b}` and `[...]`, anchored at both ends. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches no folder or any folders; a trailing `**` matches everything below.
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${glob.slice(i + 1, end).split(',').map((alt) => globToRegExp(alt).source.slice(1, -1)).join('|')})`;
        i = end;
      }
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Builds the test for a set of `--ignore` patterns: true when a path must be left out, because the pattern matches
 * the file or a folder above it (`--ignore examples/old` leaves out everything under that folder).
 */
export function ignoreMatcher(patterns: readonly string[]): (path: string) => boolean {
  const compiled = patterns.map((pattern) => {
    const normal = pattern.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    return { re: globToRegExp(normal), byName: !normal.includes('/') };
  });
  return (path) => {
    const parts = path.replace(/\\/g, '/').replace(/^\.\//, '').split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    return compiled.some(({ re, byName }) => (byName ? parts : prefixes).some((candidate) => re.test(candidate)));
  };
}
