import { requireAsPolicySdk } from "./policy-sdk.js";

interface DeserializeModule {
  deserializeProperties(struct: object | undefined, proxySecrets: boolean): unknown;
}

/**
 * The SDK deserializes a resource's properties (and its provider's) once per policy it runs, ten
 * times over for the same protobuf Struct, which the request hands back as the very same object
 * each time. Deserialize each Struct once and give every policy that result: computeguard's
 * policies only read properties, never write them. The SDK calls the function through its
 * module's exports, so replacing the export is enough. Must run before the pack analyzes anything.
 */
export function shareDeserializedProperties(): void {
  const sdk = requireAsPolicySdk("./deserialize.js") as DeserializeModule;
  const deserialize = sdk.deserializeProperties;
  const done = new WeakMap<object, unknown>();
  sdk.deserializeProperties = (struct, proxySecrets) => {
    if (proxySecrets || !struct) return deserialize(struct, proxySecrets);
    let props = done.get(struct);
    if (props === undefined) {
      props = deserialize(struct, proxySecrets);
      done.set(struct, props);
    }
    return props;
  };
}
