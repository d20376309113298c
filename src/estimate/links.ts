import { isUndecidable } from "../unknown.js";
import type { LinkResolver, ReferenceTable, ResourceInput } from "./types.js";

interface Entry {
  seq: number;
  resource: ResourceInput;
}

/**
 * The resources of one stack, indexed for the references adapters follow. Which property of which
 * type references which other type comes from the adapter registry (`ReferenceTable`), never from
 * here. `complete` is true when every resource is known (a stack export, AnalyzeStack); during
 * per-resource analysis it grows as resources arrive, and a missing link is "not yet known" rather
 * than "not in the stack".
 */
export class StackLinks implements LinkResolver {
  private readonly byUrn = new Map<string, Entry>();
  private readonly byTypeAndKey = new Map<string, ResourceInput>();
  private readonly byType = new Map<string, Map<string, ResourceInput>>();
  // Indexed, not scanned: a stack of thousands of endpoints would otherwise be quadratic to price.
  private readonly byReferenceValue = new Map<string, Entry[]>();
  private readonly byReferenceUrn = new Map<string, Entry[]>();
  private count = 0;

  /**
   * `admit`: the adapter registry's entrance, so a linked resource reads as the adapter's own
   * does (nulls are absence).
   */
  constructor(
    readonly complete: boolean,
    private readonly references: ReferenceTable,
    resources: Iterable<ResourceInput> = [],
    private readonly admit: (resource: ResourceInput) => ResourceInput = (r) => r,
  ) {
    for (const r of resources) this.add(r);
  }

  add(given: ResourceInput): void {
    const resource = this.admit(given);
    const entry = { seq: this.count++, resource };
    this.byUrn.set(resource.urn, entry);
    const name = resource.props?.name;
    if (typeof name === "string" && !isUndecidable(name))
      this.byTypeAndKey.set(`${resource.type}|name|${name}`, resource);
    // Outputs carry the provider's id as a property too (AnalyzeStack has no other id).
    for (const id of new Set([resource.id, resource.props?.id])) {
      if (typeof id === "string" && id !== "" && !isUndecidable(id))
        this.byTypeAndKey.set(`${resource.type}|id|${id}`, resource);
    }
    let ofType = this.byType.get(resource.type);
    if (!ofType) {
      ofType = new Map();
      this.byType.set(resource.type, ofType);
    }
    ofType.delete(resource.urn);
    ofType.set(resource.urn, resource);
    for (const [property, targets] of Object.entries(this.references.get(resource.type) ?? {})) {
      const value = resource.props?.[property];
      if (typeof value === "string" && !isUndecidable(value)) {
        for (const target of targets)
          pushTo(this.byReferenceValue, `${resource.type}|${target}|${value}`, entry);
      }
      for (const urn of new Set(resource.propertyDependencies?.[property] ?? []))
        pushTo(this.byReferenceUrn, `${resource.type}|${urn}`, entry);
    }
  }

  get(urn: string): ResourceInput | undefined {
    return this.byUrn.get(urn)?.resource;
  }

  private find(type: string, key: "id" | "name", value: unknown): ResourceInput | undefined {
    if (typeof value !== "string" || isUndecidable(value)) return undefined;
    return this.byTypeAndKey.get(`${type}|${key}|${value}`);
  }

  referenced(
    from: ResourceInput,
    type: string,
    ref: { id?: unknown; name?: unknown },
  ): ResourceInput | undefined {
    return (
      this.find(type, "id", ref.id) ?? this.find(type, "name", ref.name) ?? this.viaDependencies(from, type)
    );
  }

  /** A computed reference (unknown id in preview) still names its source in propertyDependencies. */
  private viaDependencies(from: ResourceInput, type: string): ResourceInput | undefined {
    for (const [property, targets] of Object.entries(this.references.get(from.type) ?? {})) {
      if (!targets.includes(type)) continue;
      for (const urn of from.propertyDependencies?.[property] ?? []) {
        const dep = this.get(urn);
        if (dep?.type === type) return dep;
      }
    }
    return undefined;
  }

  dependencies(from: ResourceInput, types: readonly string[]): ResourceInput[] {
    const found = new Map<string, ResourceInput>();
    for (const [property, targets] of Object.entries(this.references.get(from.type) ?? {})) {
      for (const urn of from.propertyDependencies?.[property] ?? []) {
        const dep = this.get(urn);
        if (dep && targets.includes(dep.type) && types.includes(dep.type)) found.set(urn, dep);
      }
    }
    return [...found.values()];
  }

  ofType(type: string): ResourceInput[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  referencing(fromType: string, target: ResourceInput): ResourceInput[] {
    const keys = new Set([target.props?.name, target.id, target.props?.id]);
    const entries: Entry[] = [];
    for (const key of keys) {
      if (typeof key === "string" && !isUndecidable(key))
        entries.push(...(this.byReferenceValue.get(`${fromType}|${target.type}|${key}`) ?? []));
    }
    entries.push(...(this.byReferenceUrn.get(`${fromType}|${target.urn}`) ?? []));
    return this.current(entries);
  }

  referencingValue(fromType: string, targetType: string, value: string): ResourceInput[] {
    return this.current(this.byReferenceValue.get(`${fromType}|${targetType}|${value}`) ?? []);
  }

  /** Each resource once, in the order it was (last) added; entries a later add replaced are dropped. */
  private current(entries: readonly Entry[]): ResourceInput[] {
    const live = new Map<number, ResourceInput>();
    for (const e of entries) if (this.byUrn.get(e.resource.urn) === e) live.set(e.seq, e.resource);
    return [...live.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  }
}

function pushTo<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}
