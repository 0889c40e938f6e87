import type { ElementNode } from '../model.js';

/** One object the walk is inside: its instance path, FHIR type and the definition whose children it walks. */
export interface HostFrame {
  path: string;
  /** FHIR type of the object (`HumanName`, `BackboneElement`, a resource type); '' for a content reference. */
  type: string;
  node: ElementNode;
  isResource: boolean;
  /** The JSON object itself. */
  value: Record<string, unknown>;
}

/** What a left frame holds in place of its object (see FrameStack.pop). */
const LEFT: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * The objects the walk is inside, outermost first. Rules that must know where a value sits in the
 * definitions (extension contexts) read it; frames are reused, so the walk allocates nothing per object.
 */
export class FrameStack {
  private readonly frames: HostFrame[] = [];
  private size = 0;

  push(path: string, type: string, node: ElementNode, isResource: boolean, value: Record<string, unknown>): void {
    const f = this.frames[this.size];
    if (f) {
      f.path = path;
      f.type = type;
      f.node = node;
      f.isResource = isResource;
      f.value = value;
    } else this.frames.push({ path, type, node, isResource, value });
    this.size++;
  }

  pop(): void {
    // A left frame lets go of its object: the runtime may keep frame objects in the old generation, and a dead frame
    // still pointing at a payload would keep that payload through every young collection until a full one.
    this.frames[--this.size]!.value = LEFT;
  }

  /** The frames, outermost first: valid until the walk moves on (the objects are reused). */
  list(): readonly HostFrame[] {
    return this.frames.slice(0, this.size);
  }
}
