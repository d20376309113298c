import { createRequire } from "node:module";

/**
 * Requires a module the way @pulumi/policy itself resolves it. The pack patches the gRPC server
 * and the SDK's deserializer, so it must reach the very instances the SDK uses, wherever the
 * pack's installer put them (an installed or published pack does not declare @grpc/grpc-js).
 */
export const requireAsPolicySdk = createRequire(createRequire(import.meta.url).resolve("@pulumi/policy"));
