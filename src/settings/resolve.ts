import { readFileSync } from "node:fs";
import { isAbsolute, resolve as resolvePath } from "node:path";
import { embeddedCatalog, type PriceCatalog, parseCatalog } from "../catalog/catalog.js";
import { overlayCatalog } from "../catalog/overlay.js";
import { DEFAULT_MAX_CATALOG_AGE_DAYS } from "../catalog/staleness.js";
import { DEFAULT_HOURS_PER_MONTH, type EstimatorOptions } from "../estimate/estimator.js";
import { REGION } from "../estimate/region.js";
import { type PriceSheet, parsePriceSheet } from "../pricing/price-sheet.js";
import { DEFAULT_CLAIM_TTL_SECONDS } from "../store/settings.js";
import { describeZodError } from "../validation.js";
import { MAX_HOURS_PER_MONTH, type SettingsConfig, SettingsSchema } from "./schema.js";

type Env = Readonly<Record<string, string | undefined>>;

export const SETTINGS_POLICY = "computeguard-settings";
const RELAX =
  "only allowEnvironmentOverrides: true in computeguard-settings lets the environment relax the gate";

/** A setting that cannot be used: the message names the setting (variable, flag, key) and why. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Choices made on a command line (or a component's arguments): explicit, so applied as given. */
export interface ExplicitChoices {
  region?: string | undefined;
  /** A path, or (components) the price sheet itself. */
  priceSheet?: string | object | undefined;
  hoursPerMonth?: string | number | undefined;
  catalog?: string | undefined;
  /** How each is named in messages: "--region" (CLI) or "region" (a component argument). */
  names?: Partial<Record<"region" | "priceSheet" | "hoursPerMonth" | "catalog", string>>;
}

export interface SettingsRequest {
  /**
   * computeguard-settings' config from the policy config (`{}` when the policy config leaves it
   * out). Absent when there is no policy config at all: nothing is gated, the environment applies.
   */
  policy?: unknown;
  /** Where `policy` came from, for messages ("policy config budgets.json"). */
  policyOrigin?: string;
  /** Relative paths in `policy` are read from here (the policy config's directory, the pack's). */
  policyDir?: string;
  explicit?: ExplicitChoices;
  env?: Env;
  /** Reads a settings file; the default reads from disk. */
  readFile?: (path: string) => string;
}

export interface Settings {
  defaultRegion: string;
  defaultRegionSource: string;
  hoursPerMonth: number;
  hoursPerMonthSource: string;
  priceSheet: PriceSheet | undefined;
  priceSheetSource: string | undefined;
  /** The catalog in use when it is not the embedded one alone (loaded lazily otherwise). */
  catalog: PriceCatalog | undefined;
  catalogSource: string;
  maxCatalogAgeDays: number;
  /** The failure modes as failureLevel() reads them: "block", "warn", other text fails closed. */
  storeOnFailure: string | undefined;
  auditOnFailure: string | undefined;
  /** How long an update's claim on the org budget holds before it lapses. */
  storeClaimTtlSeconds: number;
  allowEnvironmentOverrides: boolean;
  /** Environment variables that were refused (they would have relaxed the gate), one line each. */
  refused: string[];
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

function hoursFrom(raw: string | number, name: string): number {
  const hours = typeof raw === "number" ? raw : Number(raw);
  if (
    (typeof raw === "string" && raw.trim() === "") ||
    !Number.isFinite(hours) ||
    hours <= 0 ||
    hours > MAX_HOURS_PER_MONTH
  ) {
    throw new SettingsError(`${name} must be a number in (0, ${MAX_HOURS_PER_MONTH}], got "${raw}"`);
  }
  return hours;
}

function wholeNumberOf(unit: "days" | "seconds", raw: string, name: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n <= 0) {
    throw new SettingsError(`${name} must be a whole number of ${unit}, got "${raw}"`);
  }
  return n;
}

/** The computeguard-settings config, validated (strict schema, defaults filled in). */
export function parseSettingsConfig(raw: unknown, origin?: string): SettingsConfig {
  const parsed = SettingsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const where = origin ? `${origin}: ` : "";
    throw new SettingsError(`${where}${SETTINGS_POLICY}: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * The one settings resolver every front door uses (the pack, `check`, `estimate`, `prices`, the
 * components): price sheet, catalog, default region, hours per month, staleness limit and the
 * store and audit failure modes. Precedence, highest first:
 *   1. explicit choices (CLI flags, component arguments): whoever runs the command chose them;
 *   2. the environment, only where it makes the gate stricter (more hours, `block` on failure),
 *      unless computeguard-settings sets allowEnvironmentOverrides (the staleness limit, which
 *      only decides a warning, and the region where the settings leave it open, always apply);
 *   3. computeguard-settings in the policy config (what platform teams control);
 *   4. the defaults (embedded catalog, no price sheet, us-east-1 or AWS_REGION, 730 h, 90 days).
 * A price sheet or catalog from the environment can lower prices, so without the allowance it is
 * refused (and said so in `refused`). Without a policy config (no gate) the environment applies
 * as given. Pure but for reading the files the settings name.
 */
export function resolveSettings(request: SettingsRequest = {}): Settings {
  const env = request.env ?? process.env;
  const readFile = request.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  const config = parseSettingsConfig(request.policy, request.policyOrigin);
  // Without a policy config nothing is gated (`estimate` without --policy-config, `prices`, the
  // components): the environment applies as given.
  const allow = request.policy === undefined || config.allowEnvironmentOverrides;
  const explicit = request.explicit ?? {};
  const name = (key: keyof NonNullable<ExplicitChoices["names"]>, flag: string) =>
    explicit.names?.[key] ?? flag;
  const inPolicy = (key: string) => `${SETTINGS_POLICY} ${key}`;
  const policyPath = (p: string) =>
    isAbsolute(p) || request.policyDir === undefined ? p : resolvePath(request.policyDir, p);
  const refused: string[] = [];
  const refuse = (variable: string, value: string, why: string) =>
    refused.push(`${variable}=${value} is ignored: ${why}; ${RELAX}`);

  const readJson = (path: string, setting: string, what: string): unknown => {
    let text: string;
    try {
      text = readFile(path);
    } catch (error) {
      throw new SettingsError(`${setting}: cannot read ${what} ${path}: ${(error as Error).message}`);
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new SettingsError(`${setting}: ${path}: not valid JSON: ${(error as Error).message}`);
    }
  };
  const wrap = <T>(read: () => T): T => {
    try {
      return read();
    } catch (error) {
      throw error instanceof SettingsError ? error : new SettingsError((error as Error).message);
    }
  };
  const sheetFrom = (given: string | object, setting: string, dir: (p: string) => string) => {
    if (typeof given !== "string") return wrap(() => parsePriceSheet(given, setting));
    const path = dir(given);
    return wrap(() => parsePriceSheet(readJson(path, setting, "price sheet"), `${setting} ${path}`));
  };
  const catalogFrom = (path: string, setting: string) =>
    wrap(() => parseCatalog(readJson(path, setting, "price catalog"), `${setting} ${path}`));

  // Hours per month: more hours is a higher (stricter) projection.
  let hoursPerMonth = config.hoursPerMonth ?? DEFAULT_HOURS_PER_MONTH;
  let hoursPerMonthSource =
    config.hoursPerMonth !== undefined ? inPolicy("hoursPerMonth") : `default ${DEFAULT_HOURS_PER_MONTH}`;
  const envHours = nonEmpty(env.COMPUTEGUARD_HOURS_PER_MONTH);
  if (explicit.hoursPerMonth !== undefined) {
    const flag = name("hoursPerMonth", "--hours-per-month");
    hoursPerMonth = hoursFrom(explicit.hoursPerMonth, flag);
    hoursPerMonthSource = flag;
  } else if (envHours !== undefined) {
    const hours = hoursFrom(envHours, "COMPUTEGUARD_HOURS_PER_MONTH");
    if (allow || hours >= hoursPerMonth) {
      hoursPerMonth = hours;
      hoursPerMonthSource = "COMPUTEGUARD_HOURS_PER_MONTH";
    } else {
      refuse(
        "COMPUTEGUARD_HOURS_PER_MONTH",
        envHours,
        `it would price fewer hours than the ${hoursPerMonth} of ${hoursPerMonthSource}`,
      );
    }
  }

  // Price sheet: any sheet can lower prices, so the environment's needs the allowance.
  let priceSheet: PriceSheet | undefined;
  let priceSheetSource: string | undefined;
  const envSheet = nonEmpty(env.COMPUTEGUARD_PRICE_SHEET);
  if (explicit.priceSheet !== undefined) {
    const flag = name("priceSheet", "--price-sheet");
    priceSheet = sheetFrom(explicit.priceSheet, flag, (p) => p);
    priceSheetSource = typeof explicit.priceSheet === "string" ? `${flag} ${explicit.priceSheet}` : flag;
  } else if (envSheet !== undefined && allow) {
    priceSheet = sheetFrom(envSheet, "COMPUTEGUARD_PRICE_SHEET", (p) => p);
    priceSheetSource = `COMPUTEGUARD_PRICE_SHEET ${envSheet}`;
  } else {
    if (envSheet !== undefined)
      refuse("COMPUTEGUARD_PRICE_SHEET", envSheet, "a price sheet can lower prices");
    if (config.priceSheet !== undefined) {
      priceSheet = sheetFrom(config.priceSheet, inPolicy("priceSheet"), policyPath);
      priceSheetSource =
        typeof config.priceSheet === "string"
          ? `${inPolicy("priceSheet")} ${config.priceSheet}`
          : inPolicy("priceSheet");
    }
  }

  // Catalog: a refreshed catalog laid over the embedded one; the environment's needs the allowance.
  let catalogPath: string | undefined;
  let catalogSetting = "";
  const envCatalog = nonEmpty(env.COMPUTEGUARD_CATALOG);
  if (explicit.catalog !== undefined) {
    catalogSetting = name("catalog", "--catalog");
    catalogPath = explicit.catalog;
  } else if (envCatalog !== undefined && allow) {
    catalogSetting = "COMPUTEGUARD_CATALOG";
    catalogPath = envCatalog;
  } else {
    if (envCatalog !== undefined) refuse("COMPUTEGUARD_CATALOG", envCatalog, "a catalog can lower prices");
    if (config.catalog !== undefined) {
      catalogSetting = inPolicy("catalog");
      catalogPath = policyPath(config.catalog);
    }
  }
  const catalog =
    catalogPath === undefined
      ? undefined
      : overlayCatalog(embeddedCatalog(), catalogFrom(catalogPath, catalogSetting), catalogPath);
  const catalogSource =
    catalogPath === undefined ? "embedded" : `${catalogSetting} ${catalogPath} over the embedded catalog`;

  // Default region: no region is stricter than another, so the environment fills in what the
  // settings leave open (AWS_REGION is where the AWS provider deploys when it is given none).
  let defaultRegion = "us-east-1";
  let defaultRegionSource = "built-in default us-east-1";
  const envRegion = nonEmpty(env.COMPUTEGUARD_DEFAULT_REGION);
  const awsRegion = nonEmpty(env.AWS_REGION)
    ? (["AWS_REGION", nonEmpty(env.AWS_REGION)!] as const)
    : nonEmpty(env.AWS_DEFAULT_REGION)
      ? (["AWS_DEFAULT_REGION", nonEmpty(env.AWS_DEFAULT_REGION)!] as const)
      : undefined;
  const checkRegion = (region: string, setting: string) => {
    if (!REGION.test(region))
      throw new SettingsError(`${setting} must be an AWS region such as "us-east-1", got "${region}"`);
    return region;
  };
  if (explicit.region !== undefined) {
    const flag = name("region", "--region");
    defaultRegion = checkRegion(explicit.region, flag);
    defaultRegionSource = flag;
  } else if (envRegion !== undefined && (allow || config.defaultRegion === undefined)) {
    defaultRegion = checkRegion(envRegion, "COMPUTEGUARD_DEFAULT_REGION");
    defaultRegionSource = "environment COMPUTEGUARD_DEFAULT_REGION";
  } else if (config.defaultRegion !== undefined) {
    if (envRegion !== undefined)
      refuse(
        "COMPUTEGUARD_DEFAULT_REGION",
        envRegion,
        `${inPolicy("defaultRegion")} sets the default region`,
      );
    defaultRegion = config.defaultRegion;
    defaultRegionSource = inPolicy("defaultRegion");
  } else if (awsRegion) {
    defaultRegion = awsRegion[1];
    defaultRegionSource = `environment ${awsRegion[0]}`;
  }

  // Staleness limit: it only decides a warning, never a decision, so the environment may set it.
  let maxCatalogAgeDays = config.maxCatalogAgeDays ?? DEFAULT_MAX_CATALOG_AGE_DAYS;
  const envDays = nonEmpty(env.COMPUTEGUARD_MAX_CATALOG_AGE_DAYS);
  if (envDays !== undefined)
    maxCatalogAgeDays = wholeNumberOf("days", envDays, "COMPUTEGUARD_MAX_CATALOG_AGE_DAYS");

  // Failure modes: "warn" relaxes; "block" (and a typo, which fails closed) only tightens.
  const failureMode = (variable: string, configured: "block" | "warn" | undefined) => {
    const given = nonEmpty(env[variable]);
    if (given === undefined) return configured;
    if (allow || given.toLowerCase() !== "warn") return given;
    if (configured !== "warn") refuse(variable, given, "it would let a failure through as a warning");
    return configured;
  };

  // Claim lifetime: a shorter claim frees budget sooner, so it lets concurrent updates overspend.
  let storeClaimTtlSeconds = config.storeClaimTtlSeconds ?? DEFAULT_CLAIM_TTL_SECONDS;
  const envTtl = nonEmpty(env.COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS);
  if (envTtl !== undefined) {
    const seconds = wholeNumberOf("seconds", envTtl, "COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS");
    if (allow || seconds >= storeClaimTtlSeconds) storeClaimTtlSeconds = seconds;
    else
      refuse(
        "COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS",
        envTtl,
        `a claim shorter than ${storeClaimTtlSeconds} s frees org budget before the update records its spend`,
      );
  }

  return {
    defaultRegion,
    defaultRegionSource,
    hoursPerMonth,
    hoursPerMonthSource,
    priceSheet,
    priceSheetSource,
    catalog,
    catalogSource,
    maxCatalogAgeDays,
    storeOnFailure: failureMode("COMPUTEGUARD_STORE_ON_FAILURE", config.storeOnFailure),
    auditOnFailure: failureMode("COMPUTEGUARD_AUDIT_ON_FAILURE", config.auditOnFailure),
    storeClaimTtlSeconds,
    allowEnvironmentOverrides: allow,
    refused,
  };
}

/** What the estimator needs of the settings. */
export function estimatorSettings(settings: Settings): EstimatorOptions {
  return {
    ...(settings.catalog ? { catalog: settings.catalog } : {}),
    ...(settings.priceSheet ? { priceSheet: settings.priceSheet } : {}),
    defaultRegion: settings.defaultRegion,
    defaultRegionSource: settings.defaultRegionSource,
    hoursPerMonth: settings.hoursPerMonth,
  };
}
