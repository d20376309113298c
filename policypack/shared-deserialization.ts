import { replaceDeserializeProperties } from "./policy-sdk.js";

/**
 * The SDK deserializes a resource's properties (and its provider's) once per policy it runs, ten
 * times over for the same protobuf Struct, which the request hands back as the very same object
 * each time. Deserialize each Struct once and give every policy that result: computeguard's
 * policies only read properties, never write them. Must run before the pack analyzes anything.
 */
export function shareDeserializedProperties(): void {
  replaceDeserializeProperties((deserialize) => {
    const done = new WeakMap<object, unknown>();
    return (struct, proxySecrets) => {
      if (proxySecrets || !struct) return deserialize(struct, proxySecrets);
      let props = done.get(struct);
      if (props === undefined) {
        props = deserialize(struct, proxySecrets);
        done.set(struct, props);
      }
      return props;
    };
  });
}
