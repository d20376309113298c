/**
 * Per-type fixture folders: `tests/fixtures/resources/<package>/<module>/<resource>/<case>/case.json`,
 * each with its golden `report.json` beside it. Folders are discovered, never listed: a new type is
 * one adapter file, one registry line and one fixture folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalogFile } from "../../../src/catalog/catalog.js";
import type { EstimatorOptions } from "../../../src/estimate/estimator.js";
import type { ResourceInput } from "../../../src/estimate/types.js";
import { parsePriceSheet } from "../../../src/pricing/price-sheet.js";
import { UNKNOWN } from "../../../src/unknown.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES = path.join(ROOT, "tests/fixtures/resources");

/** One expected resource outcome, worked by hand (the golden report holds every detail). */
export interface Expected {
  status: "priced" | "unpriced" | "unknown" | "not-applicable";
  /** [baseline, worst case] monthly totals, or null for none. */
  monthly?: [string, string] | null;
  oneTime?: string | null;
  /** Substrings the reason must contain. */
  reason?: string[];
  unknownFields?: string[];
  instanceTypes?: string[];
  linkedTo?: string | null;
}

export interface FixtureCase {
  description: string;
  /** The hand-worked arithmetic behind the expected figures. */
  worked?: string[];
  /** "stack": every resource known (AnalyzeStack, stack exports); "per-resource": as Analyze sees them. */
  analysis?: "stack" | "per-resource";
  options?: {
    priceSheet?: "account";
    defaultRegion?: string;
    /** The stack's aws:region config and where it was read. */
    stackRegion?: string;
    stackRegionSource?: string;
    boundingInstanceTypes?: string[];
  };
  resources: Array<{
    type: string;
    name: string;
    props: Record<string, unknown>;
    id?: string;
    /** Property -> names of resources of this case it was computed from. */
    propertyDependencies?: Record<string, string[]>;
    providerRegion?: string;
    custom?: boolean;
  }>;
  expect: Record<string, Expected>;
  totals?: { monthlyBaseline: string; monthlyWorstCase: string; oneTime: string };
}

export interface FoundCase {
  /** Folder relative to FIXTURES, e.g. `aws/ec2/launch-configuration/eks-node-group`. */
  id: string;
  dir: string;
  fixture: FixtureCase;
}

/** The folder of a type token: `aws:ec2/launchConfiguration:LaunchConfiguration` -> `aws/ec2/launch-configuration`. */
export function folderOf(type: string): string {
  const [pkg, middle = "", name = ""] = type.split(":");
  const segments = middle.split("/");
  const camel = name.charAt(0).toLowerCase() + name.slice(1);
  if (segments.at(-1) === camel) segments.pop();
  const kebab = name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
  return [pkg, ...segments, kebab].join("/");
}

/** Every case folder under FIXTURES (a folder holding a case.json). */
export function discoverCases(dir = FIXTURES): FoundCase[] {
  const found: FoundCase[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (!statSync(full).isDirectory()) continue;
    const file = path.join(full, "case.json");
    if (existsSync(file)) {
      found.push({
        id: path.relative(FIXTURES, full),
        dir: full,
        fixture: JSON.parse(readFileSync(file, "utf8")) as FixtureCase,
      });
    } else {
      found.push(...discoverCases(full));
    }
  }
  return found;
}

export const urnOf = (type: string, name: string) => `urn:pulumi:test::fixtures::${type}::${name}`;

/** The sentinel is spelled `"<unknown>"` in fixtures, so they read as what they mean. */
function withUnknowns(value: unknown): unknown {
  if (value === "<unknown>") return UNKNOWN;
  if (Array.isArray(value)) return value.map(withUnknowns);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnknowns(v)]));
  return value;
}

export function inputsOf(fixture: FixtureCase): ResourceInput[] {
  const urns = new Map(fixture.resources.map((r) => [r.name, urnOf(r.type, r.name)]));
  return fixture.resources.map((r) => ({
    urn: urnOf(r.type, r.name),
    type: r.type,
    name: r.name,
    props: withUnknowns(r.props) as Record<string, unknown>,
    ...(r.id ? { id: r.id } : {}),
    ...(r.providerRegion ? { providerRegion: r.providerRegion } : {}),
    ...(r.custom !== undefined ? { custom: r.custom } : {}),
    ...(r.propertyDependencies
      ? {
          propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies).map(([k, names]) => [
              k,
              names.map((n) => urns.get(n) ?? n),
            ]),
          ),
        }
      : {}),
  }));
}

/**
 * The catalog every case is priced with: a pinned copy of the embedded catalog (version 2026-07-20),
 * so the hand-worked figures do not move when the embedded prices are refreshed.
 */
const catalog = loadCatalogFile(path.join(FIXTURES, "catalog.json"));

export function optionsOf(fixture: FixtureCase): EstimatorOptions {
  const o = fixture.options ?? {};
  const sheet =
    o.priceSheet === "account"
      ? parsePriceSheet(
          JSON.parse(readFileSync(path.join(ROOT, "tests/fixtures/core/account-price-sheet.json"), "utf8")),
        )
      : undefined;
  return {
    catalog,
    ...(sheet ? { priceSheet: sheet } : {}),
    ...(o.defaultRegion ? { defaultRegion: o.defaultRegion } : {}),
    ...(o.stackRegion ? { stackRegion: o.stackRegion } : {}),
    ...(o.stackRegionSource ? { stackRegionSource: o.stackRegionSource } : {}),
    ...(o.boundingInstanceTypes ? { boundingInstanceTypes: o.boundingInstanceTypes } : {}),
  };
}

/** `UPDATE_GOLDEN=1` rewrites report.json; read every diff before keeping it. */
export function goldenReport(dir: string, actual: unknown): unknown {
  const file = path.join(dir, "report.json");
  const json = JSON.parse(JSON.stringify(actual)) as unknown;
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    return json;
  }
  if (!existsSync(file)) throw new Error(`golden ${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
  return JSON.parse(readFileSync(file, "utf8"));
}
