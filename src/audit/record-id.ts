import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A ULID: 48-bit millisecond time then 80 random bits, Crockford base32, so ids sort by time. */
export function newRecordId(now: number = Date.now()): string {
  let time = "";
  let rest = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
  const random = Array.from(randomBytes(16), (byte) => CROCKFORD[byte & 31]).join("");
  return time + random;
}
