/**
 * Compiled value set content as a tree of code sets answering "is system#code a member?" with three
 * outcomes, because parts drawn from SNOMED CT, dm+d or an unknown code system cannot be decided offline.
 */

/** The outcome of a membership test. */
export type Membership =
  | { kind: 'member'; system: string; code: string; displays: string[] }
  | { kind: 'absent'; hint?: string }
  | { kind: 'unknown'; reason: string; system?: string };

/** A set of codes; `system` undefined means "the bare code, from any system". */
export interface CodeSet {
  test(system: string | undefined, code: string): Membership;
  /** Every member when the set is fully known locally, else undefined. */
  enumerate(): ExpandedCode[] | undefined;
}

/** One code of an expansion. */
export interface ExpandedCode {
  system: string;
  code: string;
  display?: string;
}

/** One code of an {@link EnumeratedSet} and the texts it may be displayed with. */
export interface Member {
  code: string;
  displays: string[];
}

const ABSENT: Membership = { kind: 'absent' };

/** An explicit list of codes of one system (a concept list, a local filter result, a whole local system). */
export class EnumeratedSet implements CodeSet {
  private readonly members = new Map<string, Member>();
  private readonly lowerCase = new Map<string, Member>();

  /**
   * @param partialReason set when the list is a fragment of its code system, so that a code missing
   *   from it is "unknown" rather than "absent".
   */
  constructor(
    readonly system: string,
    readonly caseSensitive: boolean,
    readonly partialReason?: string,
  ) {}

  /** The members in the order they were added (for the cached form of a compiled value set). */
  list(): IterableIterator<Member> {
    return this.members.values();
  }

  add(code: string, displays: string[]): void {
    const existing = this.members.get(this.key(code));
    if (existing) {
      existing.displays.push(...displays);
      return;
    }
    const member = { code, displays: [...displays] };
    this.members.set(this.key(code), member);
    if (!this.lowerCase.has(code.toLowerCase())) this.lowerCase.set(code.toLowerCase(), member);
  }

  get size(): number {
    return this.members.size;
  }

  test(system: string | undefined, code: string): Membership {
    if (system !== undefined && system !== this.system) return ABSENT;
    const hit = this.members.get(this.key(code));
    if (hit) return { kind: 'member', system: this.system, code: hit.code, displays: hit.displays };
    if (this.partialReason) return { kind: 'unknown', reason: this.partialReason, system: this.system };
    const otherCase = this.caseSensitive ? this.lowerCase.get(code.toLowerCase()) : undefined;
    return otherCase
      ? { kind: 'absent', hint: `codes of ${this.system} are case-sensitive: did you mean '${otherCase.code}'?` }
      : ABSENT;
  }

  enumerate(): ExpandedCode[] | undefined {
    if (this.partialReason) return undefined;
    return [...this.members.values()].map((m) => withDisplay({ system: this.system, code: m.code }, m.displays[0]));
  }

  private key(code: string): string {
    return this.caseSensitive ? code : code.toLowerCase();
  }
}

/**
 * Where a syntax check comes from, so that a compiled value set read back from the on-disk cache makes the
 * same check again: a system of SYNTACTIC_SYSTEMS, or the shape of the system's codes and the value set's
 * regex filters (the full pattern sources).
 */
export type SyntaxOrigin = { kind: 'syntactic' } | { kind: 'shape'; patterns: string[] };

/** A check of the codes of a system without local content. */
export interface SystemSyntax {
  check: (code: string) => boolean;
  /** The whole system is included: a code of the right shape is a member. */
  wholeSystem: boolean;
  label: string;
  origin?: SyntaxOrigin;
}

/**
 * Codes of a system whose content is not held locally. An optional syntax check (UCUM, MIME types,
 * language tags) still rules out malformed codes, and settles membership when the whole system is included.
 */
export class OpenSystemSet implements CodeSet {
  constructor(
    readonly system: string,
    readonly reason: string,
    readonly syntax?: SystemSyntax,
  ) {}

  test(system: string | undefined, code: string): Membership {
    if (system !== undefined && system !== this.system) return ABSENT;
    if (this.syntax) {
      if (!this.syntax.check(code)) {
        // A bare code of another system must not be judged by this system's syntax.
        return system === undefined ? ABSENT : { kind: 'absent', hint: `'${code}' is not a valid ${this.syntax.label}` };
      }
      if (this.syntax.wholeSystem) return { kind: 'member', system: this.system, code, displays: [] };
    }
    return { kind: 'unknown', reason: this.reason, system: this.system };
  }

  enumerate(): undefined {
    return undefined;
  }
}

/** Anything at all might be a member: an imported value set that cannot be found or compiled. */
export class UnknownSet implements CodeSet {
  constructor(readonly reason: string) {}
  test(): Membership {
    return { kind: 'unknown', reason: this.reason };
  }
  enumerate(): undefined {
    return undefined;
  }
}

/** Members of any part (ValueSet.compose.include entries). */
export class UnionSet implements CodeSet {
  constructor(readonly parts: CodeSet[]) {}

  test(system: string | undefined, code: string): Membership {
    let unknown: Membership | undefined;
    let hint: Membership | undefined;
    for (const part of this.parts) {
      const m = part.test(system, code);
      if (m.kind === 'member') return m;
      if (m.kind === 'unknown') unknown ??= m;
      else if (m.hint) hint ??= m;
    }
    return unknown ?? hint ?? ABSENT;
  }

  enumerate(): ExpandedCode[] | undefined {
    const all: ExpandedCode[] = [];
    const seen = new Set<string>();
    for (const part of this.parts) {
      const codes = part.enumerate();
      if (!codes) return undefined;
      for (const c of codes) {
        const key = `${c.system}|${c.code}`;
        if (!seen.has(key)) all.push(c);
        seen.add(key);
      }
    }
    return all;
  }
}

/** Members of every part (an include naming both a system and value sets, or several value sets). */
export class IntersectionSet implements CodeSet {
  constructor(readonly parts: CodeSet[]) {}

  test(system: string | undefined, code: string): Membership {
    let unknown: Membership | undefined;
    let member: Membership | undefined;
    for (const part of this.parts) {
      const m = part.test(system, code);
      if (m.kind === 'absent') return m;
      if (m.kind === 'unknown') unknown ??= m;
      else member ??= m;
    }
    return unknown ?? member ?? ABSENT;
  }

  enumerate(): ExpandedCode[] | undefined {
    const [first, ...rest] = this.parts;
    const codes = first?.enumerate();
    if (!codes) return undefined;
    const kept: ExpandedCode[] = [];
    for (const c of codes) {
      const verdicts = rest.map((p) => p.test(c.system, c.code).kind);
      if (verdicts.includes('unknown')) return undefined;
      if (verdicts.every((v) => v === 'member')) kept.push(c);
    }
    return kept;
  }
}

/** Members of `include` that are not members of `exclude`. */
export class DifferenceSet implements CodeSet {
  constructor(
    readonly include: CodeSet,
    readonly exclude: CodeSet,
  ) {}

  test(system: string | undefined, code: string): Membership {
    const inc = this.include.test(system, code);
    if (inc.kind === 'absent') return inc;
    const exc = this.exclude.test(inc.kind === 'member' ? inc.system : system, inc.kind === 'member' ? inc.code : code);
    if (exc.kind === 'member') return { kind: 'absent', hint: `'${code}' is explicitly excluded from this value set` };
    if (exc.kind === 'unknown') return inc.kind === 'unknown' ? inc : exc;
    return inc;
  }

  enumerate(): ExpandedCode[] | undefined {
    const codes = this.include.enumerate();
    if (!codes) return undefined;
    const kept: ExpandedCode[] = [];
    for (const c of codes) {
      const verdict = this.exclude.test(c.system, c.code).kind;
      if (verdict === 'unknown') return undefined;
      if (verdict === 'absent') kept.push(c);
    }
    return kept;
  }
}

/**
 * A definition that cannot be settled offline, backed by the expansion shipped inside the ValueSet:
 * a code listed there is accepted, anything else keeps the definition's verdict.
 */
export class WithShippedExpansion implements CodeSet {
  constructor(
    readonly definition: CodeSet,
    readonly shipped: CodeSet,
  ) {}

  test(system: string | undefined, code: string): Membership {
    const m = this.definition.test(system, code);
    if (m.kind !== 'unknown') return m;
    const s = this.shipped.test(system, code);
    return s.kind === 'member' ? s : m;
  }

  enumerate(): ExpandedCode[] | undefined {
    return this.definition.enumerate();
  }
}

function withDisplay(c: ExpandedCode, display: string | undefined): ExpandedCode {
  if (display !== undefined) c.display = display;
  return c;
}
