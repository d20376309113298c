import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmount, formatRate, formatUsd, maxMoney, money, sum, toCents, ZERO } from "../../src/money.js";

describe("money()", () => {
  it("parses decimal strings and finite numbers exactly", () => {
    expect(money("55.04").toFixed()).toBe("55.04");
    expect(money(" 21.957642 ").toFixed()).toBe("21.957642");
    expect(money(0.1).plus(money(0.2)).toFixed()).toBe("0.3");
    expect(money(-12).toFixed()).toBe("-12");
    expect(money(money("1.5")).toFixed()).toBe("1.5");
  });

  it.each([["12abc"], [""], ["1e3"], ["1,000.00"], ["$5"], [".5"]])("rejects the string %j", (text) => {
    expect(() => money(text)).toThrow(RangeError);
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY]])("rejects %s", (n) => {
    expect(() => money(n)).toThrow(RangeError);
  });
});

describe("rounding", () => {
  it("rounds to the cent half away from zero, in decimal (no binary drift)", () => {
    expect(toCents(money("0.005")).toFixed(2)).toBe("0.01");
    // 2.675 is 2.67499999... as a binary float; as a decimal it rounds up.
    expect(toCents(money("2.675")).toFixed(2)).toBe("2.68");
    expect(toCents(money("-2.675")).toFixed(2)).toBe("-2.68");
    expect(toCents(money("16029.07866")).toFixed(2)).toBe("16029.08");
    expect(toCents(money("1.004999")).toFixed(2)).toBe("1.00");
  });

  it("sums exactly, and the empty sum is zero", () => {
    expect(sum([]).toFixed()).toBe("0");
    expect(sum(Array.from({ length: 10 }, () => money("0.1"))).toFixed()).toBe("1");
    expect(sum([money("40179.20"), money("40179.20")]).toFixed(2)).toBe("80358.40");
  });

  it("maxMoney picks the larger", () => {
    expect(maxMoney(money("1.5"), money("2")).toFixed()).toBe("2");
    expect(maxMoney(money("3"), ZERO).toFixed()).toBe("3");
  });
});

describe("formatting", () => {
  it("writes JSON amounts with exactly two places", () => {
    expect(formatAmount(money("80358.4"))).toBe("80358.40");
    expect(formatAmount(money("0"))).toBe("0.00");
    expect(formatAmount(money("1656.224"))).toBe("1656.22");
    expect(formatAmount(money("-0.001"))).toBe("0.00");
  });

  it("writes dollars with thousands separators", () => {
    expect(formatUsd(money("80358.4"))).toBe("$80,358.40");
    expect(formatUsd(money("1234567.891"))).toBe("$1,234,567.89");
    expect(formatUsd(money("999.999"))).toBe("$1,000.00");
    expect(formatUsd(money("0.5"))).toBe("$0.50");
    expect(formatUsd(money("-12"))).toBe("-$12.00");
    expect(formatUsd(money("-0.004"))).toBe("$0.00");
  });

  it("keeps an hourly rate's published precision", () => {
    expect(formatRate(money("21.957642"))).toBe("$21.957642/h");
    expect(formatRate(money("39.60"))).toBe("$39.6/h");
  });

  it("round-trips any amount of cents through formatAmount and formatUsd", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (cents) => {
        const value = money((cents < 0n ? "-" : "") + centsText(cents < 0n ? -cents : cents));
        const plain = formatAmount(value);
        expect(plain).toMatch(/^-?\d+\.\d{2}$/);
        expect(money(plain).equals(value)).toBe(true);
        expect(formatUsd(value).replace(/[$,]/g, "")).toBe(plain);
      }),
    );
  });
});

function centsText(cents: bigint): string {
  const text = cents.toString().padStart(3, "0");
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}
