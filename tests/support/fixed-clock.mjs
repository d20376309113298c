// Loaded with `node --import` into a CLI run that must see a fixed "now" (COMPUTEGUARD_TEST_NOW,
// an ISO date): `new Date()` and `Date.now()` return it, so an age check does not depend on today.
const fixed = Date.parse(process.env.COMPUTEGUARD_TEST_NOW ?? "");
if (!Number.isNaN(fixed)) {
  const RealDate = Date;
  class FixedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(fixed);
      else super(...args);
    }
    static now() {
      return fixed;
    }
  }
  globalThis.Date = FixedDate;
}
