/**
 * What the JSON reader drops or keeps as text, for the rules that read values after the walk (invariants): the
 * reference validator's reader leaves a property of the wrong shape out of its element tree (json-shape.ts), so its
 * FHIRPath never sees it, and keeps a primitive of the wrong JSON kind as its text. ads-fhir walks the JSON itself and
 * records, per object, the properties dropped, the values read as text and the objects around them; `view` gives a
 * value as the reader would have left it. Nothing is recorded, or copied, for payloads without such a property.
 */
export class ReaderView {
  private readonly byObject = new WeakMap<object, ReadonlySet<string>>();
  /** Primitives of the wrong JSON kind, by container and key (or index): the text the reader keeps for each. */
  private readonly texts = new WeakMap<object, Map<string | number, string>>();
  /** Objects that hold, at some depth, an object with dropped properties or a value read as text. */
  private readonly around = new WeakSet<object>();

  /** Records the properties of `obj` dropped for their shape, and marks the objects around it (outermost first). */
  record(obj: object, dropped: ReadonlySet<string>, enclosing: readonly { value: object }[]): void {
    this.byObject.set(obj, dropped);
    for (const f of enclosing) this.around.add(f.value);
  }

  /**
   * Records that `container[key]`, a number or boolean where a string is due (or the reverse), is read as `text`: the
   * reference's JSON reader keeps the text of a primitive of the wrong JSON kind, so its FHIRPath sees a string.
   */
  readAsText(container: object, key: string | number, text: string, enclosing: readonly { value: object }[]): void {
    let texts = this.texts.get(container);
    if (!texts) this.texts.set(container, (texts = new Map()));
    texts.set(key, text);
    for (const f of enclosing) this.around.add(f.value);
  }

  /** `v` as the reader leaves it: the dropped properties left out and the values read as text replaced, at any depth. */
  view(v: unknown, depth = 0): unknown {
    if (v === null || typeof v !== 'object' || depth > 100) return v;
    const texts = this.texts.get(v);
    if (Array.isArray(v)) {
      if (!texts && !v.some((x) => this.touched(x))) return v;
      return v.map((x, i) => (texts?.has(i) ? texts.get(i) : this.view(x, depth + 1)));
    }
    if (!this.touched(v)) return v;
    const dropped = this.byObject.get(v);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (dropped?.has(k)) continue;
      out[k] = texts?.has(k) ? texts.get(k) : this.view(x, depth + 1);
    }
    return out;
  }

  private touched(x: unknown): boolean {
    return x !== null && typeof x === 'object' && (this.byObject.has(x) || this.texts.has(x) || this.around.has(x));
  }
}
