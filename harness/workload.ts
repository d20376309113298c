/**
 * The resources every benchmark runs: a deterministic stack of which about 20 % are GPU or
 * inference resources (instances, node groups, launch templates with their groups, SageMaker
 * endpoint configurations with their endpoints and scaling targets, @pulumi/eks NodeGroups: a
 * launch configuration and the CloudFormation stack whose template holds the group) and the rest
 * the ordinary resources a real stack is mostly made of (buckets, roles, policies, security groups,
 * functions). Every 25th ordinary resource is one the tripwire must look into: an unpriced type
 * naming a GPU type (a GameLift fleet: a finding), a Kubernetes Deployment selecting GPU nodes,
 * a function whose settings mention a GPU type in passing (both looked at, neither a finding).
 */
import { UNKNOWN } from "../src/unknown.js";

export const AWS_PROVIDER_TYPE = "pulumi:providers:aws";
export const AWS_PROVIDER_NAME = "default_7_48_0";
export const REGION = "us-east-1";

/** One resource as the engine describes it to a pack (and as a stack export or preview holds it). */
export interface BenchResource {
  type: string;
  name: string;
  /** Inputs as Analyze sees them during a preview (computed values are UNKNOWN). */
  properties: Record<string, unknown>;
  /** Outputs after creation, as AnalyzeStack and stack exports see them. */
  outputs: Record<string, unknown>;
  /** Property name -> names (in this workload) of the resources it was computed from. */
  dependsOn?: Record<string, string[]>;
}

/** Tags every GPU resource carries, so cost-allocation-tags passes. */
const COST_TAGS = { team: "research", "cost-center": "cc-42", env: "prod" };

/** mulberry32: small, fast and the same sequence on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GPU_INSTANCE_TYPES = [
  "g5.xlarge",
  "g5.2xlarge",
  "g6.xlarge",
  "g6.4xlarge",
  "g6e.2xlarge",
  "inf2.xlarge",
];
const ENDPOINT_TYPES = ["ml.g5.xlarge", "ml.g5.2xlarge", "ml.g6.2xlarge", "ml.inf2.xlarge"];
/** Families the benchmark's allowlist admits: every type above plus the occasional p5. */
export const ALLOWED_FAMILIES = ["g5", "g6", "g6e", "inf2", "p5", "t3", "m7i"];

function pick<T>(items: readonly T[], r: () => number): T {
  return items[Math.floor(r() * items.length)]!;
}

function arn(service: string, name: string): string {
  return `arn:aws:${service}::123456789012:${name}`;
}

const ASSUME_ROLE = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** Resources no adapter prices whose properties the tripwire must read (their bytes name a GPU type). */
function scanned(i: number, name: string, tags: Record<string, string>): BenchResource {
  switch (i % 3) {
    case 0: {
      // Unpriced, naming a GPU type: a mandatory unpriced-accelerators finding.
      const props = {
        name: `${name}-fleet`,
        buildId: "build-1234",
        ec2InstanceType: "g5.xlarge",
        fleetType: "ON_DEMAND",
        tags,
        tagsAll: tags,
      };
      return {
        type: "aws:gamelift/fleet:Fleet",
        name,
        properties: props,
        outputs: { ...props, id: `fleet-${i}` },
      };
    }
    case 1: {
      // Pods selecting GPU nodes run on capacity priced elsewhere: looked at, not a finding.
      const props = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, labels: { app: name } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              nodeSelector: { "node.kubernetes.io/instance-type": "g5.2xlarge" },
              containers: [
                {
                  name: "server",
                  image: "vllm/vllm-openai:v0.6.3",
                  resources: { limits: { "nvidia.com/gpu": "1" } },
                },
              ],
            },
          },
        },
      };
      return { type: "kubernetes:apps/v1:Deployment", name, properties: props, outputs: props };
    }
    default: {
      // A GPU type inside longer text is not a property naming one: looked at, not a finding.
      const props = {
        name: `${name}-fn`,
        runtime: "python3.12",
        handler: "main.handler",
        role: UNKNOWN,
        environment: { variables: { NOTE: "batch jobs run on g5.xlarge spot capacity" } },
        tags,
        tagsAll: tags,
      };
      return { type: "aws:lambda/function:Function", name, properties: props, outputs: props };
    }
  }
}

function ordinary(i: number, r: () => number): BenchResource[] {
  const name = `app-${i}`;
  const tags = { team: pick(["web", "data", "platform"], r), env: "prod", "managed-by": "pulumi" };
  if (i % 25 === 24) return [scanned(Math.floor(i / 25), name, tags)];
  switch (i % 6) {
    case 0:
      return [
        {
          type: "aws:s3/bucketV2:BucketV2",
          name,
          properties: { bucket: `${name}-assets`, forceDestroy: false, tags, tagsAll: tags },
          outputs: {
            bucket: `${name}-assets`,
            arn: arn("s3", `${name}-assets`),
            bucketDomainName: `${name}-assets.s3.amazonaws.com`,
            region: REGION,
            tags,
            tagsAll: tags,
          },
        },
      ];
    case 1:
      return [
        {
          type: "aws:iam/role:Role",
          name,
          properties: { name: `${name}-role`, assumeRolePolicy: ASSUME_ROLE, path: "/", tags, tagsAll: tags },
          outputs: {
            name: `${name}-role`,
            arn: arn("iam", `role/${name}-role`),
            assumeRolePolicy: ASSUME_ROLE,
            uniqueId: `AROA${i}`,
            tags,
            tagsAll: tags,
          },
        },
      ];
    case 2:
      return [
        {
          type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
          name,
          properties: {
            role: `app-${i - 1}-role`,
            policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
          },
          outputs: {
            role: `app-${i - 1}-role`,
            policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
          },
        },
      ];
    case 3:
      return [
        {
          type: "aws:ec2/securityGroup:SecurityGroup",
          name,
          properties: {
            name: `${name}-sg`,
            description: "Managed by Pulumi",
            vpcId: UNKNOWN,
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            tags,
            tagsAll: tags,
          },
          outputs: { name: `${name}-sg`, id: `sg-${i}`, arn: arn("ec2", `security-group/sg-${i}`), tags },
        },
      ];
    case 4:
      return [
        {
          type: "aws:lambda/function:Function",
          name,
          properties: {
            name: `${name}-fn`,
            runtime: "nodejs20.x",
            handler: "index.handler",
            role: UNKNOWN,
            memorySize: 256,
            timeout: 30,
            environment: { variables: { STAGE: "prod", TABLE: `${name}-table` } },
            tags,
            tagsAll: tags,
          },
          outputs: { name: `${name}-fn`, arn: arn("lambda", `function:${name}-fn`), memorySize: 256, tags },
        },
      ];
    default:
      // An ordinary EC2 instance: a priced type, but no accelerator (not applicable).
      return [
        {
          type: "aws:ec2/instance:Instance",
          name,
          properties: {
            ami: "ami-0abcdef",
            instanceType: pick(["t3.micro", "m7i.large"], r),
            tags,
            tagsAll: tags,
          },
          outputs: { id: `i-${i}`, instanceType: "t3.micro", privateIp: "10.0.0.1", tags },
        },
      ];
  }
}

/** One GPU or inference "unit": 1 to 4 resources that belong together. */
const GPU_KINDS = 6;

function gpu(i: number, r: () => number, bigInstanceEvery: number): BenchResource[] {
  const name = `gpu-${i}`;
  const tags = { ...COST_TAGS, Name: name };
  const scaled = { "computeguard:team": "research" };
  switch (i % GPU_KINDS) {
    case 0: {
      // The occasional p5.48xlarge ($40,179/mo): the one a per-resource budget may block.
      const big = Math.floor(i / GPU_KINDS) % bigInstanceEvery === 0;
      const instanceType = big ? "p5.48xlarge" : pick(GPU_INSTANCE_TYPES, r);
      const props = { ami: "ami-0gpu", instanceType, tags: { ...tags, ...scaled }, tagsAll: tags };
      return [
        { type: "aws:ec2/instance:Instance", name, properties: props, outputs: { ...props, id: `i-g${i}` } },
      ];
    }
    case 1: {
      const props = {
        clusterName: "ml",
        nodeGroupName: `${name}-ng`,
        nodeRoleArn: UNKNOWN,
        subnetIds: [UNKNOWN],
        instanceTypes: [pick(GPU_INSTANCE_TYPES, r)],
        capacityType: "ON_DEMAND",
        scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 2 + Math.floor(r() * 7) },
        tags,
      };
      return [{ type: "aws:eks/nodeGroup:NodeGroup", name, properties: props, outputs: props }];
    }
    case 2: {
      const template = `${name}-lt`;
      const lt = { name: template, instanceType: pick(GPU_INSTANCE_TYPES, r), imageId: "ami-0gpu", tags };
      const group = {
        name: `${name}-asg`,
        minSize: 0,
        maxSize: 4,
        desiredCapacity: 1,
        launchTemplate: { name: template, version: "$Latest" },
        availabilityZones: ["us-east-1a"],
        tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      };
      return [
        { type: "aws:ec2/launchTemplate:LaunchTemplate", name: template, properties: lt, outputs: lt },
        {
          type: "aws:autoscaling/group:Group",
          name: `${name}-asg`,
          properties: group,
          outputs: group,
          dependsOn: { launchTemplate: [template] },
        },
      ];
    }
    case 5: {
      // An @pulumi/eks NodeGroup: its Auto Scaling group lives in a CloudFormation template.
      const configuration = `${name}-lc`;
      const lc = {
        name: `${configuration}-5f3e2a1`,
        imageId: "ami-066e69f6f03b5383e",
        instanceType: pick(GPU_INSTANCE_TYPES, r),
        iamInstanceProfile: `${name}-profile`,
        securityGroups: ["sg-09d2243315b59599e"],
        userData: "MIME-Version: 1.0\n...",
      };
      const maxSize = 2 + Math.floor(r() * 4);
      const templateBody = [
        "AWSTemplateFormatVersion: '2010-09-09'",
        "Outputs:",
        "    NodeGroup:",
        "        Value: !Ref NodeGroup",
        "Resources:",
        "    NodeGroup:",
        "        Type: AWS::AutoScaling::AutoScalingGroup",
        "        Properties:",
        "          DesiredCapacity: 1",
        `          LaunchConfigurationName: ${lc.name}`,
        "          MinSize: 1",
        `          MaxSize: ${maxSize}`,
        '          VPCZoneIdentifier: ["subnet-03711d3b9b21b3a8e","subnet-06e8296c053e2b952"]',
        "          Tags:",
        "          - Key: Name",
        `            Value: ${name}-worker`,
        "            PropagateAtLaunch: 'true'",
        "",
      ].join("\n");
      const stack = { name: `${name}-nodes`, templateBody, tags };
      return [
        {
          type: "aws:ec2/launchConfiguration:LaunchConfiguration",
          name: configuration,
          properties: lc,
          outputs: { ...lc, arn: arn("autoscaling", `launchConfiguration:${lc.name}`) },
        },
        {
          type: "aws:cloudformation/stack:Stack",
          name: `${name}-nodes`,
          properties: stack,
          outputs: { ...stack, outputs: { NodeGroup: `${name}-nodes-NodeGroup-1` } },
          dependsOn: { templateBody: [configuration] },
        },
      ];
    }
    default: {
      const config = `${name}-cfg`;
      const endpoint = `${name}-ep`;
      const cfg = {
        name: config,
        productionVariants: [
          {
            variantName: "primary",
            modelName: `${name}-model`,
            instanceType: pick(ENDPOINT_TYPES, r),
            initialInstanceCount: 1,
          },
        ],
        tags: {
          ...tags,
          "computeguard:tokens-per-month": "2000000000",
          "computeguard:price-per-1m-tokens-usd": "4.00",
        },
      };
      const ep = { name: endpoint, endpointConfigName: config, tags };
      const target = {
        resourceId: `endpoint/${endpoint}/variant/primary`,
        scalableDimension: "sagemaker:variant:DesiredInstanceCount",
        serviceNamespace: "sagemaker",
        minCapacity: 1,
        maxCapacity: 4,
        tags,
      };
      return [
        {
          type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
          name: config,
          properties: cfg,
          outputs: cfg,
        },
        {
          type: "aws:sagemaker/endpoint:Endpoint",
          name: endpoint,
          properties: ep,
          outputs: ep,
          dependsOn: { endpointConfigName: [config] },
        },
        {
          type: "aws:appautoscaling/target:Target",
          name: `${name}-scaling`,
          properties: target,
          outputs: target,
          dependsOn: { resourceId: [endpoint] },
        },
      ];
    }
  }
}

export interface WorkloadOptions {
  /** Total resources (approximate to within one GPU unit). */
  resources: number;
  /** Share of GPU/inference resources (0..1). Default 0.2. */
  gpuShare?: number;
  /** Every n-th GPU unit of the instance kind is a p5.48xlarge. Default 10. */
  bigInstanceEvery?: number;
  seed?: number;
}

/** Resources in creation order: a group after its launch template, an endpoint after its configuration. */
export function workload(options: WorkloadOptions): BenchResource[] {
  const r = random(options.seed ?? 42);
  const gpuShare = options.gpuShare ?? 0.2;
  const out: BenchResource[] = [];
  let gpuCount = 0;
  let units = 0;
  let plain = 0;
  while (out.length < options.resources) {
    if (gpuCount < gpuShare * (out.length + 1)) {
      const unit = gpu(units++, r, options.bigInstanceEvery ?? 10);
      gpuCount += unit.length;
      out.push(...unit);
    } else {
      out.push(...ordinary(plain++, r));
    }
  }
  return out.slice(0, options.resources);
}

export const isGpuResource = (r: BenchResource) => r.name.startsWith("gpu-");
