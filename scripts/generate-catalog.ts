/**
 * Builds the embedded price catalog (src/catalog/data/aws-gpu-catalog.json) from the sourced
 * tables in data-sources/aws-prices/, deterministically: same tables, same bytes.
 *
 *   npx tsx scripts/generate-catalog.ts          # rewrite the catalog
 *   npx tsx scripts/generate-catalog.ts --check  # exit 1 if the committed catalog differs
 *
 * What is carried, and what is left out on purpose, is described in data-sources/aws-prices/README.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import {
  type BedrockRateEntry,
  type CatalogEntry,
  type CatalogFile,
  CatalogFileSchema,
  type CatalogSource,
} from "../src/catalog/schema.js";

export const DATA_DIR = fileURLToPath(new URL("../data-sources/aws-prices/", import.meta.url));
export const CATALOG_PATH = fileURLToPath(
  new URL("../src/catalog/data/aws-gpu-catalog.json", import.meta.url),
);

/** The day the source tables were taken: the date of a figure whose source states none. */
export const RETRIEVED = "2026-12-04";

type Row = Record<string, string>;

const SKYPILOT = "skypilot-2026-12-04";
const KARPENTER = "karpenter-2026-07-20";

const EC2_SOURCES: Record<string, CatalogSource> = {
  [SKYPILOT]: {
    title:
      "AWS on-demand Linux (shared tenancy) hourly prices for 24 regions, as collected from the AWS Price List by SkyPilot's catalog; taken 2026-12-04 (the commit's own date is not known; its us-east-1 prices equal Karpenter's AWS Price List tables of 2026-01-21 to 2026-07-20 and include the June 2025 P-family cut)",
    reference:
      "github.com/skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv @00148f2a (availability-zone rows folded per region)",
    date: RETRIEVED,
  },
  [KARPENTER]: {
    title:
      "AWS Price List API (us-east-1, Linux, shared tenancy, on-demand) via Karpenter generated price table",
    reference:
      "github.com/aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go @6fc13b52 (generated 2026-07-20T13:44:30Z for us-east-1)",
    date: "2026-07-20",
  },
};

/**
 * SageMaker sources by the `source` column of sagemaker-prices.csv. A source not named here
 * stops the generator: each new source needs a decision (id, and whether its rows are usable).
 */
const SAGEMAKER_SOURCES: Record<string, { id: string; title: string }> = {
  "aws-samples/foundation-model-benchmarking-tool fmbench/configs/pricing.yml @d8814208fb3a (instance_based)":
    {
      id: "sagemaker-fmbench-2025-01-26",
      title:
        "SageMaker real-time inference (hosting) prices from an AWS-authored benchmark tool; region not stated (us-east-1 assumed); predates the June 2025 EC2 P-family cut, so its p4d/p5 rows likely overstate today's price",
    },
  "unidentified repo, pipelines/_common.py (read_file ids 58724935039, 58659560847)": {
    id: "sagemaker-pipelines-2026-08",
    title:
      "SageMaker us-east-1 prices stated as live-verified against the AmazonSageMaker offer file in 2026-08 (training and hosting usage types at the same unit price); unidentified public repository",
  },
  "unidentified repo, benchmark-harness/cost_model.py (read_file id 63289214416)": {
    id: "sagemaker-cost-model-2026-08-17",
    title:
      "SageMaker us-east-1 hosting prices stated as captured from the AWS Pricing API on 2026-08-17 (the same file's EC2 rates match the SkyPilot table); unidentified public repository",
  },
  "unidentified repo (project 'strands-decider'), SageMaker deploy script (read_file id 70165303304)": {
    id: "sagemaker-strands-us-west-2",
    title:
      "SageMaker us-west-2 hosting prices from a deploy script; undated (2026-era), so dated the day it was taken, 2026-12-04; unidentified public repository",
  },
  "unidentified repo, SageMaker instance pricing module for fine-tuning (read_file id 67049560902)": {
    id: "sagemaker-batch-us-west-2",
    title:
      "SageMaker us-west-2 Batch Transform prices stated as read from the AWS Price List API (hosting-like: its g6/g6e rates equal us-west-2 hosting rates elsewhere); undated, so dated the day it was taken, 2026-12-04; unidentified public repository",
  },
};

const BEDROCK_SOURCES: Record<string, { id: string; title: string }> = {
  "becloudready/beautiful-jekyll _posts/2024-04-22-AI-Token-Pricing.md @7271d7f65c9f (table 'Provisioned Throughput Pricing', copied from aws.amazon.com/bedrock/pricing)":
    {
      id: "bedrock-pricing-page-2024-04-22",
      title:
        "Bedrock Provisioned Throughput table of the AWS pricing page as copied in a blog post of 2024-04-22 (the page's default region, us-east-1/us-west-2); Claude 2.x-era models",
    },
  "aws-samples/foundation-model-benchmarking-tool fmbench/configs/pricing.yml @d8814208fb3a key 'anthropic.claude-v3-sonnet-pt-nc'":
    {
      id: "bedrock-fmbench-2025-01-26",
      title:
        "Claude 3 Sonnet no-commitment provisioned throughput from an AWS-authored benchmark tool; region not stated (us-east-1 assumed)",
    },
  "unidentified repo COSTS.md 'AWS-Bedrock-FineTuning-LangGraph-MCP-Agentic-Platform' (read_file id 58064910508) usagetype USE1-Nova2.0Lite-ProvisionedThroughput-NoCommit-ModelUnits":
    {
      id: "bedrock-nova2-lite-2026-08-02",
      title: "Nova 2 Lite provisioned throughput stated as a live AWS Price List API query of 2026-08-02",
    },
  "unidentified repo COSTS.md 'AWS-Bedrock-FineTuning-LangGraph-MCP-Agentic-Platform' (read_file id 58064910508) usagetype USE1-Nova2.0Lite-ProvisionedThroughput-1month-ModelUnits":
    {
      id: "bedrock-nova2-lite-2026-08-02",
      title: "Nova 2 Lite provisioned throughput stated as a live AWS Price List API query of 2026-08-02",
    },
  "unidentified repo audit prompt (read_file id 56289700488) usagetype USW2-Llama3-1-70B-ProvisionedThroughput-NoCommit-ModelUnits":
    {
      id: "bedrock-llama3-1-70b-us-west-2",
      title:
        "Llama 3.1 70B no-commitment provisioned throughput in us-west-2 (Price List usage type USW2-Llama3-1-70B-ProvisionedThroughput-NoCommit-ModelUnits); undated (2026-era), so dated the day it was taken, 2026-12-04",
    },
};

const naturalOrder = new Intl.Collator("en", { numeric: true });
const ACCELERATOR_TYPE = /^(?:ml\.)?(?:p\d|g\d|gr\d|inf\d|trn\d|dl\d|vt\d|f\d)/;

function readCsv(dir: string, name: string): Row[] {
  return parse(readFileSync(join(dir, name), "utf8"), { columns: true, skip_empty_lines: true }) as Row[];
}

function familyOf(instanceType: string): string {
  const bare = instanceType.startsWith("ml.") ? instanceType.slice(3) : instanceType;
  return bare.split(".")[0] ?? bare;
}

/** "55.040000" -> "55.04": the catalog's decimal strings carry no trailing zeros. */
function decimal(value: string, where: string): string {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new Error(`${where}: "${value}" is not a decimal price`);
  return value.includes(".") ? value.replace(/0+$/, "").replace(/\.$/, "") : value;
}

/** The leading ISO date of a source_date cell ("2025-01-26 (file); ..."), a month as its first day, or none. */
function isoDateOf(cell: string): string | undefined {
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(cell);
  if (day) return day[1];
  const month = /^(\d{4}-\d{2})\b/.exec(cell);
  return month ? `${month[1]}-01` : undefined;
}

type Specs = Pick<CatalogEntry, "accelerator" | "vcpu" | "memoryGiB"> & { note?: string };

/** Hardware specs per EC2 type: instance-specs.csv where it corrects or adds, else the by-region table. */
function specsTable(dir: string, regional: Row[]): Map<string, Specs> {
  const models = new Map(readCsv(dir, "accelerator-models.csv").map((r) => [r.source_name!, r]));
  const specs = new Map<string, Specs>();
  for (const row of regional) {
    const type = row.InstanceType!;
    if (specs.has(type) || row.AcceleratorName === "") continue;
    const model = models.get(row.AcceleratorName!);
    if (!model) throw new Error(`accelerator-models.csv has no row for "${row.AcceleratorName}" (${type})`);
    const count = Number(row.AcceleratorCount);
    const totalMiB = row.GpuMemoryTotalMiB === "" ? 0 : Number(row.GpuMemoryTotalMiB);
    specs.set(type, {
      accelerator: {
        vendor: model.vendor!,
        model: model.model!,
        count,
        memoryGiBEach: Math.round((totalMiB / count / 1024) * 10) / 10,
      },
      vcpu: Number(row.vCPUs),
      memoryGiB: Number(row.MemoryGiB),
      ...(count < 1 ? { note: `a ${count} share of one ${model.model} (fractional GPU)` } : {}),
    });
  }
  for (const row of readCsv(dir, "instance-specs.csv")) {
    specs.set(row.instance_type!, {
      accelerator: {
        vendor: row.vendor!,
        model: row.model!,
        count: Number(row.count),
        memoryGiBEach: Number(row.memory_gib_each),
      },
      vcpu: Number(row.vcpu),
      memoryGiB: Number(row.memory_gib),
    });
  }
  return specs;
}

function ec2Entries(dir: string, specs: Map<string, Specs>): CatalogEntry[] {
  const regional = readCsv(dir, "ec2-accelerators-by-region.csv");
  const entry = (type: string, region: string, usdPerHour: string | null, sourceId: string, extra = {}) => {
    const spec = specs.get(type);
    if (!spec) throw new Error(`no hardware specs for ${type}: add it to instance-specs.csv`);
    const { note, ...hardware } = spec;
    return {
      instanceType: type,
      service: "ec2" as const,
      family: familyOf(type),
      region,
      usdPerHour,
      sourceId,
      priceAsOf: EC2_SOURCES[sourceId]!.date,
      ...(note ? { note } : {}),
      ...extra,
      ...hardware,
    };
  };
  const entries: CatalogEntry[] = regional.map((row) => {
    const where = `ec2-accelerators-by-region.csv ${row.InstanceType} ${row.Region}`;
    if (row.Price === "") {
      return entry(row.InstanceType!, row.Region!, null, SKYPILOT, {
        unpricedReason: `listed in ${row.Region} with no on-demand Linux price (such capacity is sold through EC2 Capacity Blocks or reservations)`,
      });
    }
    return entry(row.InstanceType!, row.Region!, decimal(row.Price!, where), SKYPILOT);
  });

  // Karpenter's us-east-1 table must agree with the by-region table; it adds the types the latter lacks.
  const eastPrices = new Map(entries.filter((e) => e.region === "us-east-1").map((e) => [e.instanceType, e]));
  for (const row of readCsv(dir, "ec2-us-east-1-karpenter.csv")) {
    const type = row.InstanceType!;
    const price = decimal(row["UsdPerHour_us-east-1"]!, `ec2-us-east-1-karpenter.csv ${type}`);
    const known = eastPrices.get(type);
    if (known === undefined) entries.push(entry(type, "us-east-1", price, KARPENTER));
    else if (known.usdPerHour !== price) {
      throw new Error(`${type} us-east-1: Karpenter says ${price}, the by-region table ${known.usdPerHour}`);
    }
  }
  for (const row of readCsv(dir, "ec2-no-on-demand.csv")) {
    if (entries.some((e) => e.instanceType === row.instance_type && e.region === row.region)) {
      throw new Error(`ec2-no-on-demand.csv: ${row.instance_type} ${row.region} already has a row`);
    }
    entries.push(entry(row.instance_type!, row.region!, null, KARPENTER, { unpricedReason: row.reason! }));
  }
  return entries;
}

const CONFIDENCE_RANK: Record<string, number> = { "medium-high": 2, medium: 1 };

/**
 * SageMaker hosting prices. Used: hosting rows, Batch Transform rows (AWS bills them at the
 * hosting rate), and training rows whose source states training equals hosting. Left out:
 * low-confidence rows, training-only rows, and CPU types (the catalog prices accelerators).
 * Several rows for one type and region: the most confident, then the newest.
 */
function sagemakerEntries(
  dir: string,
  specs: Map<string, Specs>,
): {
  entries: CatalogEntry[];
  sources: Record<string, CatalogSource>;
} {
  type Candidate = { row: Row; region: string; date: string; rank: number };
  const chosen = new Map<string, Candidate>();
  const sources: Record<string, CatalogSource> = {};
  for (const row of readCsv(dir, "sagemaker-prices.csv")) {
    const type = row.instance_type!;
    const component = row.component!;
    const usable =
      component.startsWith("hosting") ||
      component === "batch transform" ||
      component.startsWith("training = hosting");
    const rank = CONFIDENCE_RANK[row.confidence!];
    if (!type.startsWith("ml.") || !ACCELERATOR_TYPE.test(type) || !usable || rank === undefined) continue;
    const region = row.region!.startsWith("unstated (implicitly us-east-1)") ? "us-east-1" : row.region!;
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
      throw new Error(`sagemaker-prices.csv ${type}: region "${region}"`);
    const date = isoDateOf(row.source_date!) ?? RETRIEVED;
    const key = `${region}|${type}`;
    const previous = chosen.get(key);
    if (!previous || rank > previous.rank || (rank === previous.rank && date > previous.date)) {
      chosen.set(key, { row, region, date, rank });
    }
  }
  const entries: CatalogEntry[] = [];
  for (const { row, region, date } of chosen.values()) {
    const type = row.instance_type!;
    const source = SAGEMAKER_SOURCES[row.source!];
    if (!source) throw new Error(`sagemaker-prices.csv: no source id for "${row.source}"`);
    sources[source.id] = { title: source.title, reference: row.source!, date };
    const spec = specs.get(type.slice(3));
    if (!spec) throw new Error(`no hardware specs for ${type} (its EC2 twin ${type.slice(3)} is unknown)`);
    const { note, ...hardware } = spec;
    const notes = [
      `${row.component}; confidence ${row.confidence}`,
      ...(row.notes ? [row.notes] : []),
      ...(note ? [note] : []),
    ];
    entries.push({
      instanceType: type,
      service: "sagemaker",
      family: familyOf(type),
      region,
      usdPerHour: decimal(row.usd_per_hour!, `sagemaker-prices.csv ${type} ${region}`),
      sourceId: source.id,
      priceAsOf: date,
      note: notes.join("; "),
      ...hardware,
    });
  }
  return { entries, sources };
}

const TERM: Record<string, BedrockRateEntry["commitment"]> = {
  "no commitment": "none",
  "no commitment ('pt-nc')": "none",
  "1-month": "1-month",
  "6-month": "6-month",
};

/**
 * Bedrock provisioned-throughput rates per model, term and region. Rows for models
 * bedrock-model-ids.csv does not map (custom-model rates, whose ARN does not name the base model
 * the adapter prices, and a low-confidence test-fixture figure) are left out.
 */
function bedrockRates(dir: string): { rates: BedrockRateEntry[]; sources: Record<string, CatalogSource> } {
  const ids = new Map(readCsv(dir, "bedrock-model-ids.csv").map((r) => [r.model!, r]));
  const rates: BedrockRateEntry[] = [];
  const sources: Record<string, CatalogSource> = {};
  for (const row of readCsv(dir, "bedrock-provisioned-throughput.csv")) {
    const mapped = ids.get(row.model!);
    if (!mapped || row.confidence === "low") continue;
    const source = BEDROCK_SOURCES[row.source!];
    if (!source) throw new Error(`bedrock-provisioned-throughput.csv: no source id for "${row.source}"`);
    const commitment = TERM[row.term!];
    if (!commitment) throw new Error(`bedrock-provisioned-throughput.csv ${row.model}: term "${row.term}"`);
    const date = isoDateOf(row.source_date!) ?? RETRIEVED;
    sources[source.id] ??= { title: source.title, reference: row.source!, date };
    const stated = row.region!;
    const regions = stated.includes("us-east-1/us-west-2")
      ? ["us-east-1", "us-west-2"]
      : stated === "unstated"
        ? ["us-east-1"]
        : [stated];
    const notes = [
      ...(stated.startsWith("unstated") ? [`region ${stated}`] : []),
      `confidence ${row.confidence}`,
      ...(mapped.note ? [mapped.note] : []),
      ...(row.notes ? [row.notes] : []),
    ];
    for (const region of regions) {
      const price = row.usd_per_model_unit_hour!;
      rates.push({
        modelId: mapped.model_id!,
        model: row.model!,
        commitment,
        region,
        usdPerModelUnitHour: price === "" ? null : decimal(price, `bedrock ${row.model} ${row.term}`),
        ...(price === ""
          ? {
              unpricedReason: row.notes!.includes("no-commit not offered for base model")
                ? `AWS offered no no-commitment provisioned throughput for the base model ${row.model} (only 1- and 6-month terms) as of ${date}`
                : `the source gives no ${row.term} rate for ${row.model}`,
            }
          : {}),
        sourceId: source.id,
        priceAsOf: date,
        note: notes.join("; "),
      });
    }
  }
  return { rates, sources };
}

export function buildCatalog(dir: string = DATA_DIR): CatalogFile {
  const specs = specsTable(dir, readCsv(dir, "ec2-accelerators-by-region.csv"));
  const ec2 = ec2Entries(dir, specs);
  const sagemaker = sagemakerEntries(dir, specs);
  const bedrock = bedrockRates(dir);
  const entries = [...ec2, ...sagemaker.entries].sort(
    (a, b) =>
      a.service.localeCompare(b.service) ||
      a.region.localeCompare(b.region) ||
      naturalOrder.compare(a.instanceType, b.instanceType),
  );
  const rates = bedrock.rates.sort(
    (a, b) =>
      a.region.localeCompare(b.region) ||
      a.model.localeCompare(b.model) ||
      a.commitment.localeCompare(b.commitment),
  );
  const sources = { ...EC2_SOURCES, ...sagemaker.sources, ...bedrock.sources };
  const file: CatalogFile = {
    schemaVersion: 1,
    catalogVersion: RETRIEVED,
    description:
      "AWS accelerator prices with provenance per entry: EC2 on-demand Linux hourly prices (USD) for 24 regions, SageMaker hosting prices where a public source gives them, and Bedrock provisioned-throughput rates per model unit. Generated by scripts/generate-catalog.ts from data-sources/aws-prices/.",
    currency: "USD",
    sources: Object.fromEntries(Object.entries(sources).sort(([a], [b]) => a.localeCompare(b))),
    entries,
    bedrockRates: rates,
  };
  const parsed = CatalogFileSchema.safeParse(file);
  if (!parsed.success) throw new Error(`the generated catalog is invalid: ${parsed.error.message}`);
  return file;
}

/** Pretty at the top, one line per entry: small, and a price change is a one-line diff. */
export function formatCatalog(file: CatalogFile): string {
  const { entries, bedrockRates: rates, ...head } = file;
  const lines = (items: readonly unknown[]) => items.map((e) => `  ${JSON.stringify(e)}`).join(",\n");
  const top = JSON.stringify(head, null, 1).replace(/\n}$/, "");
  return `${top},\n "entries": [\n${lines(entries)}\n ],\n "bedrockRates": [\n${lines(rates ?? [])}\n ]\n}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = formatCatalog(buildCatalog());
  if (process.argv.includes("--check")) {
    if (readFileSync(CATALOG_PATH, "utf8") !== text) {
      process.stderr.write(`${CATALOG_PATH} differs from the generator's output: run npm run catalog\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(CATALOG_PATH, text);
    const file = JSON.parse(text) as CatalogFile;
    process.stderr.write(
      `wrote ${file.entries.length} entries and ${file.bedrockRates?.length ?? 0} Bedrock rates to ${CATALOG_PATH}\n`,
    );
  }
}
