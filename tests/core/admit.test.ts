/** The registry's entrance: null is absence at any depth, for every adapter and every link. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext, estimateResource, estimateStack, stackLinks } from "../../src/estimate/estimator.js";
import type { ResourceInput } from "../../src/estimate/types.js";
import { admit, withoutNulls } from "../../src/resources/admit.js";
import { UNKNOWN } from "../../src/unknown.js";

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: null };

function hasNullAnywhere(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== "object") return false;
  return Object.values(v as object).some(hasNullAnywhere);
}

/** The value with every null-valued key and null element removed: what "absent" means. */
function expected(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(expected);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null)
        .map(([k, x]) => [k, expected(x)]),
    );
  return v;
}

const json = fc.jsonValue({ maxDepth: 4 });

describe("withoutNulls", () => {
  it("leaves no null at any depth, including inside arrays, and keeps everything else", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json), (props) => {
        const out = withoutNulls(props);
        expect(hasNullAnywhere(out)).toBe(false);
        expect(out).toEqual(expected(props));
      }),
    );
  });

  it("returns a value without nulls as it is (no copy)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json), (props) => {
        const clean = expected(props) as Record<string, unknown>;
        expect(withoutNulls(clean)).toBe(clean);
      }),
    );
  });

  it("keeps secrets and the unknown sentinel as they are", () => {
    const props = { a: SECRET, b: UNKNOWN, c: [null, { d: null, e: UNKNOWN }] };
    expect(withoutNulls(props)).toEqual({ a: SECRET, b: UNKNOWN, c: [{ e: UNKNOWN }] });
    expect(withoutNulls(props).a).toBe(SECRET);
  });
});

const instance = (name: string, props: Record<string, unknown>): ResourceInput => ({
  urn: `urn:pulumi:prod::p::aws:ec2/instance:Instance::${name}`,
  type: "aws:ec2/instance:Instance",
  name,
  props,
  providerRegion: "us-east-1",
});

describe("admit, the registry's entrance", () => {
  it("drops null propertyDependencies entries (Pulumi before ~3.100) and is the same object twice", () => {
    const input = {
      ...instance("a", { x: null }),
      propertyDependencies: { x: null },
    } as unknown as ResourceInput;
    const once = admit(input);
    expect(once.props).toEqual({});
    expect(once.propertyDependencies).toEqual({});
    expect(admit(input)).toBe(once);
    expect(admit(once)).toBe(once);
    const clean = instance("b", { instanceType: "t3.micro" });
    expect(admit(clean)).toBe(clean);
  });

  it("every adapter reads nulls as absent: a null nested block never makes a resource malformed", () => {
    const nulls = { instanceMarketOptions: null, launchTemplate: null, creditSpecification: null };
    const stack = estimateStack([
      instance("web", { instanceType: "t2.micro", ...nulls }),
      instance("gpu", { instanceType: "p5.48xlarge", ...nulls }),
    ]);
    const [web, gpu] = stack.resources;
    expect(web!.status).toBe("not-applicable");
    expect(gpu!.status).toBe("priced");
    expect(gpu!.monthly!.worstCase.total.toFixed(2)).toBe("40179.20");
  });

  it("a linked resource is read through the same door (a template's null instanceRequirements)", () => {
    const template: ResourceInput = {
      urn: "urn:pulumi:prod::p::aws:ec2/launchTemplate:LaunchTemplate::tpl",
      type: "aws:ec2/launchTemplate:LaunchTemplate",
      name: "tpl",
      id: "lt-1",
      props: { instanceType: "t3.small", instanceRequirements: null, latestVersion: 1, defaultVersion: 1 },
      providerRegion: "us-east-1",
    };
    const links = stackLinks(false, [template]);
    expect(links.ofType(template.type)[0]!.props).not.toHaveProperty("instanceRequirements");
    const ctx = createContext({}, links);
    const group = estimateResource(
      {
        urn: "urn:pulumi:prod::p::aws:autoscaling/group:Group::g",
        type: "aws:autoscaling/group:Group",
        name: "g",
        props: {
          minSize: 1,
          maxSize: 2,
          launchTemplate: { id: UNKNOWN, version: "$Latest" },
          warmPool: null,
        },
        providerRegion: "us-east-1",
      },
      ctx,
    );
    expect(group.status).toBe("not-applicable");
  });
});
