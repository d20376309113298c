// Runs index.ts under Pulumi's mocks, as a user's unit test would, and prints what it saw as JSON.
import * as pulumi from "@pulumi/pulumi";

const registered: { type: string; name: string }[] = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push({ type: args.type, name: args.name });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      if (args.token === "aws:index/getRegion:getRegion") {
        return { name: "us-east-1", region: "us-east-1", id: "us-east-1" };
      }
      throw new Error(`unexpected call ${args.token}`);
    },
  },
  "consumer",
  "dev",
  false,
);

// After setMocks: the components' module registers resources with whatever runtime is current.
const program = await import("./index.js");
const value = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

console.log(
  JSON.stringify({
    trainerMonthlyUsd: await value(program.trainerMonthlyUsd),
    trainerAssumptions: await value(program.trainerAssumptions),
    chatMonthlyUsd: await value(program.chatMonthlyUsd),
    chatStatus: await value(program.chatStatus),
    registered,
  }),
);
