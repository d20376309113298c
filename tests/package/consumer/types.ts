// Compiled, never run: each @ts-expect-error must meet a real type error, so this file type-checks only
// if the installed package's declarations are real types (with `any` every directive is unused, TS2578).
import type * as pulumi from "@pulumi/pulumi";
import { type CostSummary, GpuInstance, type GpuInstanceArgs, InvalidArgumentsError } from "computeguard";

export function typed(): void {
  const args: GpuInstanceArgs = { instanceType: "g5.xlarge", ami: "ami-1", marketType: "spot" };
  const gpu = new GpuInstance("typed", args);
  const cost: pulumi.Output<string | undefined> = gpu.monthlyWorstCaseUsd;
  const status: CostSummary["costStatus"] = "priced";
  // @ts-expect-error instanceType is a string
  new GpuInstance("wrong", { instanceType: 8, ami: "ami-1" });
  // @ts-expect-error ami is required
  new GpuInstance("wrong", { instanceType: "p5.48xlarge" });
  // @ts-expect-error a cost is a decimal string output, not a number
  const wrong: pulumi.Output<number> = gpu.monthlyWorstCaseUsd;
  // @ts-expect-error costStatus is one of the estimate statuses
  const bad: CostSummary["costStatus"] = "cheap";
  void [cost, status, wrong, bad, InvalidArgumentsError];
}
