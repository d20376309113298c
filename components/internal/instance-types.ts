import { createContext, type EstimatorOptions, stackLinks } from "../../src/estimate/estimator.js";
import { acceleratorTypes } from "../../src/pricing/accelerator-types.js";
import { familyOf, type Pricer, type Service, serviceOf } from "../../src/pricing/pricer.js";
import { checkText } from "./checks.js";
import type { ArgumentProblems } from "./invalid-arguments.js";

/** The core's pricer (the catalog in use, then the sheet), exactly as the estimate will use it. */
export function pricerFor(pricing: EstimatorOptions): Pricer {
  return createContext(pricing, stackLinks(true)).pricer;
}

/**
 * An instance type the component can carry a price for. With the region known at construction the
 * core's pricer must price it there; with the region left to the provider, the catalog or the price
 * sheet must at least know the type (a gap in one region then shows as costStatus "unpriced").
 */
export function checkInstanceType(
  problems: ArgumentProblems,
  field: string,
  instanceType: unknown,
  pricer: Pricer,
  options: { service: Service; region?: string | undefined; requirePrice?: boolean },
): instanceType is string {
  if (!checkText(problems, field, instanceType, true)) return false;
  const { service, region } = options;
  if (serviceOf(instanceType) !== service) {
    problems.add(
      field,
      service === "sagemaker"
        ? `"${instanceType}" is not a SageMaker instance type (they start with "ml.")`
        : `"${instanceType}" is a SageMaker instance type; EC2 types have no "ml." prefix`,
    );
    return false;
  }
  if (!acceleratorTypes(pricer.catalog).isAccelerator(instanceType)) {
    problems.add(field, `"${instanceType}" has no GPU or accelerator`);
    return false;
  }
  if (options.requirePrice === false) return true;
  if (region !== undefined) {
    const quote = pricer.hourly({
      instanceType,
      region,
      service,
      purchase: "on-demand",
      applySavingsPlan: false,
    });
    if (!quote.priced) {
      problems.add(
        field,
        `cannot be priced: ${quote.reason}${pricer.sheet ? "" : "; give a priceSheet with a rate for it"}`,
      );
      return false;
    }
    return true;
  }
  const family = familyOf(instanceType);
  const inSheet = (pricer.sheet?.rates ?? []).some(
    (r) => r.service === service && (r.instanceType === instanceType || r.family === family),
  );
  if (!pricer.catalog.knowsType(instanceType) && !inSheet) {
    problems.add(
      field,
      `"${instanceType}" is not in the price catalog${pricer.sheet ? ` or price sheet "${pricer.sheet.name}"` : "; give a priceSheet with a rate for it"}`,
    );
    return false;
  }
  return true;
}
