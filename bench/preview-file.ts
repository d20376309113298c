/**
 * Writes `pulumi preview --json --show-sames` output for the benchmark workload, in the CLI's own
 * layout (4-space indentation): `{config, steps: [{op, urn, provider, oldState?, newState?}],
 * changeSummary}`. Written a step at a time, so a 100,000-step file never sits in memory here.
 */
import { closeSync, openSync, statSync, writeSync } from "node:fs";
import {
  AWS_PROVIDER_NAME,
  AWS_PROVIDER_TYPE,
  type BenchResource,
  REGION,
  workload,
} from "../harness/workload.js";

const STACK = "prod";
const PROJECT = "ml";
const STACK_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;
const PROVIDER_URN = `urn:pulumi:${STACK}::${PROJECT}::${AWS_PROVIDER_TYPE}::${AWS_PROVIDER_NAME}`;
const PROVIDER_ID = "9d1e7c44-0b5a-4f2e-8c61-5a7b3e2d1f90";
const CREATED = "2026-10-02T09:14:07.512938Z";

type Op = "same" | "create" | "update" | "delete";

/** 70 % unchanged, 15 % created, 10 % updated, 5 % deleted, spread evenly through the plan. */
function opOf(i: number): Op {
  const slot = i % 20;
  if (slot < 14) return "same";
  if (slot < 17) return "create";
  if (slot < 19) return "update";
  return "delete";
}

function urnOf(type: string, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

function state(
  r: BenchResource,
  urn: string,
  urnByName: Map<string, string>,
  created: boolean,
  inputs: Record<string, unknown>,
) {
  return {
    urn,
    custom: true,
    ...(created ? {} : { id: `${r.name}-id` }),
    type: r.type,
    inputs,
    outputs: created ? {} : { ...r.outputs, ...inputs },
    parent: STACK_URN,
    provider: `${PROVIDER_URN}::${PROVIDER_ID}`,
    propertyDependencies: Object.fromEntries(
      Object.entries(r.dependsOn ?? {}).map(([key, names]) => [key, names.map((n) => urnByName.get(n)!)]),
    ),
    ...(created ? {} : { created: CREATED, modified: CREATED }),
  };
}

function stepOf(r: BenchResource, op: Op, urnByName: Map<string, string>) {
  const urn = urnByName.get(r.name)!;
  const provider = `${PROVIDER_URN}::${PROVIDER_ID}`;
  switch (op) {
    case "create":
      return {
        op,
        urn,
        provider,
        newState: state(r, urn, urnByName, true, r.properties),
        detailedDiff: null,
      };
    case "delete":
      return {
        op,
        urn,
        provider,
        oldState: state(r, urn, urnByName, false, r.properties),
        detailedDiff: null,
      };
    case "update": {
      const changed = { ...r.properties, tags: { ...(r.properties.tags as object), revision: "2" } };
      return {
        op,
        urn,
        provider,
        oldState: state(r, urn, urnByName, false, r.properties),
        newState: state(r, urn, urnByName, false, changed),
        diffReasons: ["tags"],
        detailedDiff: { "tags.revision": { kind: "add", inputDiff: true } },
      };
    }
    default: {
      const s = state(r, urn, urnByName, false, r.properties);
      return { op, urn, provider, oldState: s, newState: s, detailedDiff: null };
    }
  }
}

const INDENT = "        ";

/** Writes a preview of `steps` steps (the stack, its provider and resources) and returns its size in bytes. */
export function writePreviewFile(path: string, steps: number): number {
  const resources = workload({ resources: Math.max(steps - 2, 0) });
  const urnByName = new Map(resources.map((r) => [r.name, urnOf(r.type, r.name)]));
  const counts: Record<Op, number> = { same: 2, create: 0, update: 0, delete: 0 };
  const stack = {
    urn: STACK_URN,
    custom: false,
    type: "pulumi:pulumi:Stack",
    created: CREATED,
    modified: CREATED,
  };
  const provider = {
    urn: PROVIDER_URN,
    custom: true,
    id: PROVIDER_ID,
    type: AWS_PROVIDER_TYPE,
    inputs: { __internal: {}, region: REGION, skipCredentialsValidation: "false", version: "7.48.0" },
    outputs: { region: REGION, version: "7.48.0" },
    propertyDependencies: {},
    created: CREATED,
    modified: CREATED,
  };
  const fd = openSync(path, "w");
  let buffer = `{\n    "config": {\n        "aws:region": "${REGION}"\n    },\n    "steps": [\n`;
  const flush = (force: boolean) => {
    if (force || buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = "";
    }
  };
  const add = (step: unknown, last: boolean) => {
    buffer += `${INDENT}${JSON.stringify(step, null, 4).replace(/\n/g, `\n${INDENT}`)}${last ? "" : ","}\n`;
    flush(false);
  };
  try {
    add({ op: "same", urn: STACK_URN, oldState: stack, newState: stack, detailedDiff: null }, steps <= 1);
    if (steps > 1) add({ op: "same", urn: PROVIDER_URN, oldState: provider, newState: provider }, steps <= 2);
    resources.forEach((r, i) => {
      const op = opOf(i);
      counts[op]++;
      add(stepOf(r, op, urnByName), i === resources.length - 1);
    });
    buffer += `    ],\n    "changeSummary": ${JSON.stringify(counts)}\n}\n`;
    flush(true);
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}
