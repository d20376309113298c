import { createHash } from "node:crypto";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import type { PriceSheet } from "../../src/pricing/price-sheet.js";
import { Pricer } from "../../src/pricing/pricer.js";

/** The account AWS documentation uses in examples: plainly not a real one. */
export const OFFLINE_ACCOUNT_ID = "123456789012";

/** A short, stable hex suffix: the same program gives the same names and ids on every run. */
export function stableHex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** An AMI id for offline answers: the example id AWS documentation uses. */
const OFFLINE_AMI = "ami-0abcdef1234567890";

/**
 * Resources the provider names itself when the program gives no name (Pulumi auto-naming, done by
 * Check, so known during a preview): inputs such as endpointConfigName, an auto scaling group's
 * launch template name or a CloudFormation template read the name.
 */
const AUTO_NAMED_TYPES = new Set([
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:ec2/launchConfiguration:LaunchConfiguration",
  "aws:autoscaling/group:Group",
  "aws:eks/cluster:Cluster",
  "aws:iam/role:Role",
  "aws:iam/instanceProfile:InstanceProfile",
  "aws:ec2/securityGroup:SecurityGroup",
]);

function autoNamed(type: string): boolean {
  return type.startsWith("aws:sagemaker/") || type.startsWith("aws:bedrock/") || AUTO_NAMED_TYPES.has(type);
}

/**
 * Resources whose AWS id is their name, so the id is known as soon as the name is: an eks.NodeGroup's
 * CloudFormation template names its launch configuration by id (a preview shows it unknown until the
 * configuration exists; the value it will take is certain).
 */
const ID_IS_NAME = new Set(["aws:ec2/launchConfiguration:LaunchConfiguration"]);

/**
 * A resource's inputs after the provider's Check, which is what Analyze judges: AWS-named resources
 * get the name Pulumi would generate (`<name>-<7 hex>`), so inputs such as endpointConfigName that
 * read it resolve.
 */
export function checkedInputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  if (!autoNamed(type) || inputs.name !== undefined) return inputs;
  return { ...inputs, name: `${name}-${stableHex(`${type}::${name}`, 7)}` };
}

/**
 * What the engine hands back for a resource a preview would create: its checked inputs (with any
 * generated name); everything the provider computes (ids, ARNs, endpoints) is unknown until it
 * exists, except an id that is the resource's own name.
 */
export function mockResourceState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string | undefined; state: Record<string, unknown> } {
  const state = checkedInputs(type, name, inputs);
  const id = ID_IS_NAME.has(type) && typeof state.name === "string" ? state.name : undefined;
  return { id, state };
}

/**
 * An EC2 Capacity Block offering for exactly what was asked. The fee stands in for the quote AWS
 * would give: the catalog's on-demand rate x instances x hours (after the price sheet's discount),
 * an upper bound, since blocks usually sell below on demand. A type without a catalog price gets
 * no fee, so the block is unpriced rather than $0.
 */
function capacityBlockOffering(inputs: Record<string, unknown>, region: string, sheet?: PriceSheet) {
  const instanceType = String(inputs.instanceType ?? "");
  const count = Number(inputs.instanceCount ?? 1);
  const hours = Number(inputs.capacityDurationHours ?? 24);
  const rate = new Pricer(embeddedCatalog(), sheet).hourly({
    instanceType,
    region,
    service: "ec2",
    purchase: "on-demand",
    applySavingsPlan: false,
  });
  const start = typeof inputs.startDateRange === "string" ? inputs.startDateRange : "2026-09-01T11:30:00Z";
  const end =
    typeof inputs.endDateRange === "string"
      ? inputs.endDateRange
      : new Date(Date.parse(start) + hours * 3_600_000).toISOString().replace(/\.000Z$/, "Z");
  return {
    availabilityZone: `${region}a`,
    capacityBlockOfferingId: `cbr-${stableHex(`${instanceType}:${count}:${hours}:${start}`, 17)}`,
    capacityDurationHours: hours,
    currencyCode: "USD",
    endDateRange: end,
    instanceCount: count,
    instanceType,
    region,
    startDateRange: start,
    tenancy: "default",
    ...(rate.priced ? { upfrontFee: rate.usdPerHour.times(count).times(hours).toFixed(2) } : {}),
  };
}

/** The AWS data sources programs and the components commonly read, answered for an offline check. */
export function answerDataSource(
  token: string,
  inputs: Record<string, unknown>,
  region: string,
  sheet?: PriceSheet,
): Record<string, unknown> | undefined {
  switch (token) {
    case "aws:index/getRegion:getRegion": {
      const asked = typeof inputs.region === "string" ? inputs.region : (inputs.name as string | undefined);
      const name = asked ?? region;
      return { id: name, name, region: name, description: name, endpoint: `ec2.${name}.amazonaws.com` };
    }
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        id: OFFLINE_ACCOUNT_ID,
        accountId: OFFLINE_ACCOUNT_ID,
        arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:user/computeguard-check`,
        userId: "AIDAOFFLINECOMPUTEGUARD",
      };
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        id: region,
        names: ["a", "b", "c"].map((z) => `${region}${z}`),
        zoneIds: ["az1", "az2", "az3"].map((z) => `${region}-${z}`),
        state: "available",
      };
    case "aws:ec2/getCapacityBlockOffering:getCapacityBlockOffering":
      return capacityBlockOffering(inputs, region, sheet);
    case "aws:ec2/getAmi:getAmi":
      return {
        ...inputs,
        id: OFFLINE_AMI,
        imageId: OFFLINE_AMI,
        architecture: "x86_64",
        name: "computeguard-offline-ami",
      };
    case "aws:ec2/getVpc:getVpc":
      return { ...inputs, id: "vpc-0abcdef1234567890", cidrBlock: "10.0.0.0/16", default: true };
    case "aws:ec2/getSubnets:getSubnets":
      return { id: region, ids: ["a", "b", "c"].map((z) => `subnet-0${stableHex(`${region}${z}`, 16)}`) };
    case "aws:iam/getPolicyDocument:getPolicyDocument":
      return {
        id: "policy",
        json: JSON.stringify({ Version: "2012-10-17", Statement: inputs.statements ?? [] }),
      };
    case "aws:ssm/getParameter:getParameter":
      return amiParameter(String(inputs.name ?? ""), region);
    default:
      return undefined;
  }
}

/**
 * The public SSM parameters that name AWS's recommended AMIs, which @pulumi/eks and awsx classic
 * read: an EKS or Bottlerocket `.../image_id` is the AMI id itself, an ECS `.../recommended` a JSON
 * document with an `image_id`. Other parameters have no offline answer.
 */
function amiParameter(name: string, region: string): Record<string, unknown> | undefined {
  let value: string;
  if (/^\/aws\/service\/(eks|bottlerocket)\/.*\/image_id$/.test(name)) value = OFFLINE_AMI;
  else if (/^\/aws\/service\/ecs\/optimized-ami\/.*\/recommended$/.test(name))
    value = JSON.stringify({ image_id: OFFLINE_AMI, image_name: "computeguard-offline-ecs-ami" });
  else return undefined;
  return {
    id: name,
    name,
    arn: `arn:aws:ssm:${region}::parameter${name}`,
    type: "String",
    value,
    insecureValue: value,
    version: 1,
    withDecryption: true,
  };
}
