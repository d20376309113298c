/**
 * A push-based streaming JSON parser for files too large to hold in memory (an EC2 offer file
 * is hundreds of MB). Text arrives in chunks of any size; the handler decides, per container,
 * whether to walk into it ("descend"), build it as a plain value ("collect") or validate and
 * drop it ("skip"). Memory is bounded by the collected values and the longest single string.
 *
 * Strict JSON (RFC 8259) except that control characters inside strings are not rejected.
 */

/** A JSON number, kept as its source text so money never passes through a binary float. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };
export type JsonPath = readonly (string | number)[];
export type ContainerKind = "object" | "array";
export type Visit = "descend" | "collect" | "skip";

export interface JsonStreamHandler {
  /** A container starts inside a descended one (or at the root). `path` is only valid during the call. */
  enterContainer(path: JsonPath, kind: ContainerKind): Visit;
  /** A scalar inside a descended container, or a collected container, is complete. */
  value(path: JsonPath, value: JsonValue): void;
}

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
  }
}

// Plain numeric constants: the hot loop compares small integers.
const DESCEND = 0;
const COLLECT = 1;
const SKIP = 2;
type Mode = typeof DESCEND | typeof COLLECT | typeof SKIP;

const VALUE = 0;
const VALUE_OR_CLOSE = 1;
const KEY_OR_CLOSE = 2;
const KEY = 3;
const COLON = 4;
const AFTER_VALUE = 5;
const IN_STRING = 6;
const IN_NUMBER = 7;
const IN_LITERAL = 8;
const DONE = 9;

interface Frame {
  isObject: boolean;
  mode: Mode;
  /** Whether this frame pushed a segment onto the parser's path (its parent descends). */
  ownsSegment: boolean;
  built: Record<string, JsonValue> | JsonValue[] | undefined;
  key: string;
  index: number;
}

const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class JsonStreamParser {
  private state: number = VALUE;
  private readonly stack: Frame[] = [];
  private readonly path: (string | number)[] = [];
  private stringIsKey = false;
  /** Text of a string, number or literal that a chunk boundary cut in two. */
  private pending = "";
  private pendingHasEscape = false;
  private line = 1;
  private lineStart = 0;
  private consumed = 0;
  private started = false;

  constructor(private readonly handler: JsonStreamHandler) {}

  write(text: string): void {
    let i = 0;
    const n = text.length;
    let nextBackslash = -2;
    while (i < n) {
      if (this.state === IN_STRING) {
        if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = text.indexOf("\\", i);
        i = this.continueString(text, i, nextBackslash);
        continue;
      }
      if (this.state === IN_NUMBER || this.state === IN_LITERAL) {
        i = this.continueBareword(text, i);
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        i++;
        continue;
      }
      if (c === 0x0a) {
        this.line++;
        this.lineStart = this.consumed + i + 1;
        i++;
        continue;
      }
      if (i === 0 && !this.started && c === 0xfeff) {
        i++;
        continue;
      }
      this.started = true;
      i = this.structural(c, text, i);
    }
    this.consumed += n;
  }

  end(): void {
    if (this.state === IN_NUMBER || this.state === IN_LITERAL) this.finishBareword(0);
    if (this.state === DONE) return;
    if (!this.started) throw this.error("empty input", 0);
    const where =
      this.state === IN_STRING
        ? "inside a string"
        : this.stack.at(-1)?.isObject
          ? "inside an object"
          : "inside an array";
    throw this.error(`unexpected end of input ${where}`, 0);
  }

  private error(reason: string, offsetInChunk: number): JsonSyntaxError {
    return new JsonSyntaxError(reason, this.line, this.consumed + offsetInChunk - this.lineStart + 1);
  }

  private structural(c: number, text: string, i: number): number {
    const state = this.state;
    const expectsValue = state === VALUE || state === VALUE_OR_CLOSE;
    switch (c) {
      case 0x7b: // {
      case 0x5b: // [
        if (!expectsValue) throw this.unexpected(text, i);
        this.openContainer(c === 0x7b);
        return i + 1;
      case 0x7d: // }
        if (!(state === KEY_OR_CLOSE || state === AFTER_VALUE) || !this.stack.at(-1)?.isObject) {
          throw this.unexpected(text, i);
        }
        this.closeContainer();
        return i + 1;
      case 0x5d: // ]
        if (!(state === VALUE_OR_CLOSE || state === AFTER_VALUE) || this.stack.at(-1)?.isObject !== false) {
          throw this.unexpected(text, i);
        }
        this.closeContainer();
        return i + 1;
      case 0x2c: // ,
        if (state !== AFTER_VALUE) throw this.unexpected(text, i);
        this.state = this.stack.at(-1)!.isObject ? KEY : VALUE;
        return i + 1;
      case 0x3a: // :
        if (state !== COLON) throw this.unexpected(text, i);
        this.state = VALUE;
        return i + 1;
      case QUOTE:
        if (state === KEY_OR_CLOSE || state === KEY) this.stringIsKey = true;
        else if (expectsValue) this.stringIsKey = false;
        else throw this.unexpected(text, i);
        this.state = IN_STRING;
        this.pending = "";
        this.pendingHasEscape = false;
        return i + 1;
      default:
        if (!expectsValue) throw this.unexpected(text, i);
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.state = IN_NUMBER;
        else if (c === 0x74 || c === 0x66 || c === 0x6e) this.state = IN_LITERAL;
        else throw this.unexpected(text, i);
        this.pending = "";
        return i;
    }
  }

  private unexpected(text: string, i: number): JsonSyntaxError {
    const ch = text[i]!;
    const what =
      this.state === DONE ? "data after the end of the document" : `character ${JSON.stringify(ch)}`;
    const expected: Record<number, string> = {
      [VALUE]: "a value",
      [VALUE_OR_CLOSE]: "a value or ']'",
      [KEY_OR_CLOSE]: "a key or '}'",
      [KEY]: "a key",
      [COLON]: "':'",
      [AFTER_VALUE]: "',' or the end of the container",
    };
    const suffix = expected[this.state] ? ` (expected ${expected[this.state]})` : "";
    return this.error(`unexpected ${what}${suffix}`, i);
  }

  /** Scans for the closing quote; `nextBackslash` is the first backslash at or after `i` (or -1). */
  private continueString(text: string, i: number, nextBackslash: number): number {
    let close = text.indexOf('"', i);
    while (close !== -1 && this.isEscaped(text, i, close)) close = text.indexOf('"', close + 1);
    const end = close === -1 ? text.length : close;
    const hasEscape = nextBackslash !== -1 && nextBackslash < end;
    const wanted = this.stack.at(-1)?.mode !== SKIP;
    if (close === -1) {
      // A skipped string keeps only its trailing backslashes: all that escape parity needs.
      if (wanted) {
        this.pending += text.slice(i);
      } else {
        const tail = trailingBackslashes(text, i);
        this.pending = tail.length === text.length - i ? this.pending + tail : tail;
      }
      this.pendingHasEscape ||= hasEscape;
      return text.length;
    }
    if (wanted) {
      const raw = this.pending.length > 0 ? this.pending + text.slice(i, close) : text.slice(i, close);
      const decoded = hasEscape || this.pendingHasEscape ? this.decodeEscapes(raw, close) : raw;
      this.finishString(decoded);
    } else {
      this.finishString("");
    }
    this.pending = "";
    this.pendingHasEscape = false;
    return close + 1;
  }

  /** A quote is escaped when an odd run of backslashes precedes it (possibly spanning chunks). */
  private isEscaped(text: string, start: number, quote: number): boolean {
    let run = 0;
    let k = quote - 1;
    while (k >= start && text.charCodeAt(k) === BACKSLASH) {
      run++;
      k--;
    }
    if (k < start) {
      let p = this.pending.length - 1;
      while (p >= 0 && this.pending.charCodeAt(p) === BACKSLASH) {
        run++;
        p--;
      }
    }
    return run % 2 === 1;
  }

  private decodeEscapes(raw: string, closeOffset: number): string {
    let out = "";
    let from = 0;
    let k = raw.indexOf("\\");
    while (k !== -1) {
      out += raw.slice(from, k);
      const e = raw[k + 1];
      switch (e) {
        case '"':
        case "\\":
        case "/":
          out += e;
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "u": {
          const hex = raw.slice(k + 2, k + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error(`invalid \\u escape "\\u${hex}"`, closeOffset);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          from = k + 6;
          k = raw.indexOf("\\", from);
          continue;
        }
        default:
          throw this.error(`invalid escape "\\${e ?? ""}" in a string`, closeOffset);
      }
      from = k + 2;
      k = raw.indexOf("\\", from);
    }
    return out + raw.slice(from);
  }

  private finishString(value: string): void {
    if (this.stringIsKey) {
      const frame = this.stack.at(-1)!;
      frame.key = value;
      this.state = COLON;
      return;
    }
    this.scalar(value);
  }

  private continueBareword(text: string, i: number): number {
    let j = i;
    const n = text.length;
    if (this.state === IN_NUMBER) {
      while (j < n) {
        const c = text.charCodeAt(j);
        if ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x2b || c === 0x65 || c === 0x45)
          j++;
        else break;
      }
    } else {
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c >= 0x61 && c <= 0x7a) j++;
        else break;
      }
    }
    this.pending += text.slice(i, j);
    if (j < n) this.finishBareword(j);
    return j;
  }

  private finishBareword(offsetInChunk: number): void {
    const word = this.pending;
    this.pending = "";
    if (this.state === IN_NUMBER) {
      if (!NUMBER_TEXT.test(word)) throw this.error(`invalid number ${JSON.stringify(word)}`, offsetInChunk);
      this.scalar(this.stack.at(-1)?.mode === SKIP ? null : new JsonNumber(word));
      return;
    }
    if (word === "true") this.scalar(true);
    else if (word === "false") this.scalar(false);
    else if (word === "null") this.scalar(null);
    else throw this.error(`invalid literal ${JSON.stringify(word)}`, offsetInChunk);
  }

  /** Delivers a complete scalar to its parent. */
  private scalar(value: JsonValue): void {
    const parent = this.stack.at(-1);
    if (parent === undefined) {
      this.handler.value(this.path, value);
    } else if (parent.mode === COLLECT) {
      this.insert(parent, value);
    } else if (parent.mode === DESCEND) {
      this.path.push(parent.isObject ? parent.key : parent.index);
      this.handler.value(this.path, value);
      this.path.pop();
    }
    this.afterValue();
  }

  private afterValue(): void {
    const parent = this.stack.at(-1);
    if (parent === undefined) {
      this.state = DONE;
      return;
    }
    if (!parent.isObject) parent.index++;
    this.state = AFTER_VALUE;
  }

  private insert(parent: Frame, value: JsonValue): void {
    if (parent.isObject) (parent.built as Record<string, JsonValue>)[parent.key] = value;
    else (parent.built as JsonValue[]).push(value);
  }

  private openContainer(isObject: boolean): void {
    const parent = this.stack.at(-1);
    let mode: Mode;
    let ownsSegment = false;
    if (parent === undefined || parent.mode === DESCEND) {
      if (parent !== undefined) {
        this.path.push(parent.isObject ? parent.key : parent.index);
        ownsSegment = true;
      }
      const visit = this.handler.enterContainer(this.path, isObject ? "object" : "array");
      mode = visit === "descend" ? DESCEND : visit === "collect" ? COLLECT : SKIP;
    } else {
      mode = parent.mode;
    }
    // Collected objects have no prototype, so a "__proto__" key is just data.
    const built =
      mode === COLLECT ? (isObject ? (Object.create(null) as Record<string, JsonValue>) : []) : undefined;
    this.stack.push({ isObject, mode, ownsSegment, built, key: "", index: 0 });
    this.state = isObject ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
  }

  private closeContainer(): void {
    const frame = this.stack.pop()!;
    const parent = this.stack.at(-1);
    if (frame.mode === COLLECT) {
      if (parent?.mode === COLLECT) this.insert(parent, frame.built!);
      else this.handler.value(this.path, frame.built!);
    }
    if (frame.ownsSegment) this.path.pop();
    this.afterValue();
  }
}

/** The run of backslashes ending `text`, not reaching before `from`. */
function trailingBackslashes(text: string, from: number): string {
  let k = text.length;
  while (k > from && text.charCodeAt(k - 1) === BACKSLASH) k--;
  return text.slice(k);
}

/** Feeds a byte or text stream through a parser, decoding UTF-8 strictly and naming any syntax error. */
export async function parseJsonStream(
  source: AsyncIterable<Uint8Array | string>,
  handler: JsonStreamHandler,
): Promise<void> {
  const parser = new JsonStreamParser(handler);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const chunk of source) {
    parser.write(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
  }
  parser.write(decoder.decode());
  parser.end();
}
