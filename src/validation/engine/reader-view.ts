/**
 * What the JSON reader drops, kept for the rules that read values after the walk (invariants): the reference
 * validator's reader leaves a property of the wrong shape out of its element tree (json-shape.ts), so its FHIRPath
 * never sees it. ads-fhir walks the JSON itself and records, per object, the properties dropped and the objects
 * around them; `view` gives a value as the reader would have left it. Nothing is recorded, or copied, for payloads
 * without such a property.
 */
export class DroppedProperties {
  private readonly byObject = new WeakMap<object, ReadonlySet<string>>();
  /** Objects that hold, at some depth, an object with dropped properties. */
  private readonly around = new WeakSet<object>();

  /** Records the properties of `obj` dropped for their shape, and marks the objects around it (outermost first). */
  record(obj: object, dropped: ReadonlySet<string>, enclosing: readonly { value: object }[]): void {
    this.byObject.set(obj, dropped);
    for (const f of enclosing) this.around.add(f.value);
  }

  /** `v` as the reader leaves it: the dropped properties left out at any depth (the same value when none are). */
  view(v: unknown, depth = 0): unknown {
    if (v === null || typeof v !== 'object' || depth > 100) return v;
    if (Array.isArray(v)) return v.some((x) => this.touched(x)) ? v.map((x) => this.view(x, depth + 1)) : v;
    if (!this.touched(v)) return v;
    const dropped = this.byObject.get(v);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (!dropped?.has(k)) out[k] = this.view(x, depth + 1);
    return out;
  }

  private touched(x: unknown): boolean {
    return x !== null && typeof x === 'object' && (this.byObject.has(x) || this.around.has(x));
  }
}
