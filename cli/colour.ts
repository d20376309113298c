import { OUTCOME_WORD } from "../src/policy/enforcement.js";

/** Colour only on a terminal, never with NO_COLOR set to anything but "" (https://no-color.org), nor on TERM=dumb. */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if ((env.NO_COLOR ?? "") !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

const SGR = { red: "31", yellow: "33", cyan: "36", green: "32", bold: "1" } as const;
const paint = (codes: string, text: string) => `\u001b[${codes}m${text}\u001b[0m`;

/** Each outcome word's colour: what stops a deployment stands out, what passed recedes. */
const OUTCOME_COLOUR: Record<string, string> = {
  [OUTCOME_WORD.blocked]: `${SGR.bold};${SGR.red}`,
  [OUTCOME_WORD.warning]: SGR.yellow,
  [OUTCOME_WORD.waived]: SGR.cyan,
  [OUTCOME_WORD.passed]: SGR.green,
  UNPRICED: SGR.yellow,
  FAILS: `${SGR.bold};${SGR.red}`,
};
const OUTCOME_WORDS = new RegExp(`\\b(${Object.keys(OUTCOME_COLOUR).join("|")})\\b`, "g");

/**
 * A human table with its outcome words coloured. The renderers stay plain text (the same table goes
 * to files, CI logs and tests); colour is the terminal's business, added here at the door.
 */
export function colourOutcomes(text: string): string {
  return text.replace(OUTCOME_WORDS, (word) => paint(OUTCOME_COLOUR[word]!, word));
}
