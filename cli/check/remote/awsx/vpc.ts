import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ExpandedComponent, type Expander } from "../expansion.js";

type SubnetType = "Public" | "Private" | "Isolated" | "Unused";

/** The order awsx creates a zone's subnets in: public first, so private routes find their NAT gateway. */
const ORDER: Record<SubnetType, number> = { Public: 0, Private: 1, Isolated: 2, Unused: 3 };

/** `count` equal blocks of an IPv4 CIDR, in order (`10.0.0.0/16`, 6 -> six /19s). */
function splitCidr(cidr: string, count: number): string[] {
  const [base = "10.0.0.0", bits = "16"] = cidr.split("/");
  const start = base.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  const prefix = Number(bits) + Math.ceil(Math.log2(Math.max(count, 1)));
  const size = 2 ** (32 - prefix);
  return Array.from({ length: count }, (_, i) => {
    const n = start + i * size;
    return `${[24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".")}/${prefix}`;
  });
}

/**
 * awsx.ec2.Vpc: the aws:ec2/vpc, an internet gateway, and per availability zone (3 unless given)
 * a subnet of each spec'd type (public and private unless given) with its route table, association
 * and default route; an Elastic IP and NAT gateway in public subnets per the NAT strategy (one per
 * zone unless given). Subnet CIDRs are equal splits of the VPC's block, not awsx's exact layout:
 * nothing is priced from them. Ids are unknown until the VPC exists, as in a preview.
 */
export const expandVpc: Expander = (name, inputs, opts) => {
  const component = new ExpandedComponent("awsx:ec2:Vpc", name, {}, opts);
  const cidrBlock: string = typeof inputs.cidrBlock === "string" ? inputs.cidrBlock : "10.0.0.0/16";
  const tags = { Name: name, ...inputs.tags };
  const zoneCount: number = inputs.availabilityZoneNames?.length ?? inputs.numberOfAvailabilityZones ?? 3;
  const zones = inputs.availabilityZoneNames
    ? pulumi.output(inputs.availabilityZoneNames as string[])
    : aws.getAvailabilityZonesOutput({}, { parent: component }).names;
  const types: SubnetType[] = (
    (inputs.subnetSpecs as Array<{ type: SubnetType }> | undefined)?.map((s) => s.type) ?? [
      "Public",
      "Private",
    ]
  )
    .filter((t) => t !== "Unused")
    .sort((a, b) => ORDER[a] - ORDER[b]);
  const strategy: string = inputs.natGateways?.strategy ?? "OnePerAz";
  const cidrs = splitCidr(cidrBlock, zoneCount * types.length);

  const vpc = new aws.ec2.Vpc(
    name,
    {
      cidrBlock,
      enableDnsHostnames: inputs.enableDnsHostnames,
      enableDnsSupport: inputs.enableDnsSupport,
      instanceTenancy: inputs.instanceTenancy,
      tags,
    },
    { parent: component },
  );
  const igw = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags }, { parent: vpc });
  const subnets: Record<SubnetType, aws.ec2.Subnet[]> = { Public: [], Private: [], Isolated: [], Unused: [] };
  const allSubnets: aws.ec2.Subnet[] = [];
  const routeTables: aws.ec2.RouteTable[] = [];
  const routeTableAssociations: aws.ec2.RouteTableAssociation[] = [];
  const routes: aws.ec2.Route[] = [];
  const natGateways: aws.ec2.NatGateway[] = [];
  const eips: aws.ec2.Eip[] = [];
  for (let zone = 0; zone < zoneCount; zone++) {
    for (const [t, type] of types.entries()) {
      const resourceName = `${name}-${type.toLowerCase()}-${zone + 1}`;
      const subnet = new aws.ec2.Subnet(
        resourceName,
        {
          vpcId: vpc.id,
          availabilityZone: zones.apply((z) => z[zone] as string),
          mapPublicIpOnLaunch: type === "Public",
          cidrBlock: cidrs[zone * types.length + t],
          tags: { ...tags, Name: resourceName, SubnetType: type },
        },
        { parent: vpc },
      );
      subnets[type].push(subnet);
      allSubnets.push(subnet);
      const table = new aws.ec2.RouteTable(
        resourceName,
        { vpcId: vpc.id, tags: { ...tags, Name: resourceName, SubnetType: type } },
        { parent: subnet },
      );
      routeTables.push(table);
      routeTableAssociations.push(
        new aws.ec2.RouteTableAssociation(
          resourceName,
          { routeTableId: table.id, subnetId: subnet.id },
          { parent: table },
        ),
      );
      if (
        type === "Public" &&
        (strategy === "OnePerAz" || (strategy === "Single" && natGateways.length === 0))
      ) {
        const eip = new aws.ec2.Eip(
          `${name}-${zone + 1}`,
          { tags: { ...inputs.tags, Name: `${name}-${zone + 1}` } },
          { parent: subnet },
        );
        eips.push(eip);
        natGateways.push(
          new aws.ec2.NatGateway(
            `${name}-${zone + 1}`,
            {
              subnetId: subnet.id,
              allocationId: eip.allocationId,
              tags: { ...inputs.tags, Name: `${name}-${zone + 1}` },
            },
            { parent: subnet },
          ),
        );
      }
      const nat = strategy === "Single" ? natGateways[0] : natGateways[zone];
      if (type === "Public" || (type === "Private" && strategy !== "None" && nat)) {
        routes.push(
          new aws.ec2.Route(
            resourceName,
            {
              routeTableId: table.id,
              destinationCidrBlock: "0.0.0.0/0",
              ...(type === "Public" ? { gatewayId: igw.id } : { natGatewayId: nat!.id }),
            },
            { parent: table },
          ),
        );
      }
    }
  }
  const ids = (list: aws.ec2.Subnet[]) => pulumi.all(list.map((s) => s.id));
  const outputs = {
    vpc,
    vpcId: vpc.id,
    subnets: allSubnets,
    publicSubnets: subnets.Public,
    privateSubnets: subnets.Private,
    isolatedSubnets: subnets.Isolated,
    publicSubnetIds: ids(subnets.Public),
    privateSubnetIds: ids(subnets.Private),
    isolatedSubnetIds: ids(subnets.Isolated),
    routeTables,
    routeTableAssociations,
    routes,
    internetGateway: igw,
    natGateways,
    eips,
    vpcEndpoints: [],
  };
  return component.expansion(outputs);
};
