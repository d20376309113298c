import type { PriceCatalog } from "../catalog/catalog.js";

/**
 * Which instance types carry GPUs or other accelerators, derived from the price catalog rather than
 * a hand list: the catalog's accelerator families give the family prefixes (p, g, inf, trn, dl, ...),
 * and any type of those prefixes counts, catalogued or not (p2.xlarge, gr6.4xlarge, ml.p5.48xlarge).
 * A type the catalog knows is judged by its own accelerator count.
 */
export class AcceleratorTypes {
  /** Family prefixes, e.g. ["dl", "g", "inf", "p", "trn"]. */
  readonly prefixes: readonly string[];
  private readonly pattern: RegExp;
  private readonly familyPattern: RegExp;
  private readonly anywhere: RegExp;

  constructor(private readonly catalog: PriceCatalog) {
    const prefixes = new Set<string>();
    for (const entry of catalog.entries) {
      if (entry.accelerator.count === 0) continue;
      const prefix = /^[a-z]+/.exec(bare(entry.family))?.[0];
      if (prefix) prefixes.add(prefix);
    }
    this.prefixes = [...prefixes].sort();
    // <prefix>[one letter]<generation>[attributes].<size>, optionally ml.-prefixed (SageMaker).
    const family = `(?:${this.prefixes.join("|")})[a-z]?\\d[a-z0-9-]*`;
    this.pattern = new RegExp(`^(?:ml\\.)?${family}\\.[a-z0-9-]+$`);
    this.familyPattern = new RegExp(`^${family}$`);
    this.anywhere = new RegExp(`${family}\\.[a-z0-9]`);
  }

  /** True for an instance type (not any string) of an accelerator family. */
  isAccelerator(instanceType: string): boolean {
    const specs = this.catalog.specs(instanceType);
    if (specs) return specs.accelerator.count > 0;
    return this.pattern.test(instanceType);
  }

  /**
   * A cheap test over any text (a request's bytes, say): false means no value in it can be an
   * accelerator type; true means one may be, and the values must be looked at.
   */
  mayMention(text: string): boolean {
    return this.anywhere.test(text);
  }

  /** True for a family name (AWS Batch takes "p4d" for every p4d size) of accelerator instances. */
  isAcceleratorFamily(family: string): boolean {
    return this.familyPattern.test(family);
  }
}

function bare(family: string): string {
  return family.startsWith("ml.") ? family.slice(3) : family;
}

const byCatalog = new WeakMap<PriceCatalog, AcceleratorTypes>();

export function acceleratorTypes(catalog: PriceCatalog): AcceleratorTypes {
  let found = byCatalog.get(catalog);
  if (!found) {
    found = new AcceleratorTypes(catalog);
    byCatalog.set(catalog, found);
  }
  return found;
}
