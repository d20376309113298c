import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { isKnown, orUnknown, readProps, Text } from "../../props.js";

export const TYPE = "aws:sagemaker/notebookInstance:NotebookInstance";

const NotebookProps = z.object({ instanceType: orUnknown(Text) });

/** Said wherever a SageMaker instance outside hosting is priced. */
export const SAGEMAKER_RATE_NOTE =
  "priced at the catalog's SageMaker instance rate (hosting); notebook and Studio rates for the same type are close but not identical";

/** One SageMaker ml.* instance of one of these types (none: unknown), always on: notebooks, Studio apps and spaces. */
export function oneSageMakerInstance(
  input: ResourceInput,
  types: string[],
  field: string,
  why: string,
  ctx: EstimateContext,
): ResourceEstimate {
  return estimateCompute(
    input,
    blankEstimate(input, "gpu-compute"),
    {
      service: "sagemaker",
      category: "gpu-compute",
      pools: [
        {
          instanceTypes: types,
          typeField: field,
          purchase: "on-demand",
          baselineCount: 1,
          worstCaseCount: 1,
        },
      ],
      assumptions: [why, SAGEMAKER_RATE_NOTE],
    },
    ctx,
  );
}

/** A SageMaker notebook instance: one ml.* instance, billed every hour it is InService. */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(NotebookProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const type = read.value.instanceType;
  return oneSageMakerInstance(
    input,
    isKnown(type) ? [type] : [],
    "instanceType",
    "runs until stopped: priced always on",
    ctx,
  );
}
