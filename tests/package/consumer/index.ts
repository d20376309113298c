// A Pulumi program as a user writes it, with computeguard installed from its tarball.
import { GpuInstance, InferenceEndpoint } from "computeguard";

const trainer = new GpuInstance("trainer", {
  instanceType: "p5.48xlarge",
  ami: "ami-0abcdef1234567890",
  economics: { team: "research", costCenter: "cc-42" },
});

const chat = new InferenceEndpoint("chat", {
  executionRoleArn: "arn:aws:iam::123456789012:role/sagemaker",
  image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/tgi:latest",
  instanceType: "ml.g5.2xlarge",
  initialInstanceCount: 1,
  economics: { team: "research", costCenter: "cc-42" },
});

export const trainerMonthlyUsd = trainer.monthlyWorstCaseUsd;
export const trainerAssumptions = trainer.costAssumptions;
export const chatMonthlyUsd = chat.monthlyWorstCaseUsd;
export const chatStatus = chat.costStatus;
