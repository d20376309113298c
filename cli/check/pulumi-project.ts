import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { parseYaml } from "./yaml.js";

/** The stack a check runs when none is named, as `pulumi stack init dev` would create. */
export const DEFAULT_STACK = "dev";

/** A Pulumi Node.js program and the stack configuration it runs with, as the language host would see them. */
export interface PulumiProgram {
  /** Directory of Pulumi.yaml (or of the program when there is none): the program's working directory. */
  projectDir: string;
  project: string;
  /** Absolute path of the module the program starts from. */
  entry: string;
  stack: string;
  /** The stack's config file, when it has one. */
  stackConfigFile?: string;
  /** Fully qualified keys ("aws:region", "<project>:nodeGroupMax") to the string values the SDK reads. */
  config: Record<string, string>;
  secretKeys: string[];
}

type YamlMap = Record<string, unknown>;

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"];
const ENTRY_CANDIDATES = ["index.ts", "index.mts", "index.cts", "index.js", "index.mjs", "index.cjs"];
/** What a `secure:` value stands for offline: the real one needs the stack's secrets provider. */
export const SECRET_PLACEHOLDER = "[secret]";

function isMap(value: unknown): value is YamlMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readYamlMap(path: string, cwd: string): YamlMap {
  const shown = relative(cwd, path) || path;
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, "utf8"), shown);
  } catch (error) {
    const first = (error as Error).message.split("\n")[0];
    throw new UsageError(`${shown} is not valid YAML: ${first}`);
  }
  if (parsed === undefined || parsed === null) return {};
  if (!isMap(parsed)) throw new UsageError(`${shown}: expected a YAML mapping at the top level`);
  return parsed;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Node's view of a directory as a module: package.json `main`, else an index file. */
function entryOfDirectory(dir: string, cwd: string): string | undefined {
  const pkgPath = join(dir, "package.json");
  if (existsSync(pkgPath)) {
    let main: unknown;
    try {
      main = (JSON.parse(readFileSync(pkgPath, "utf8")) as { main?: unknown }).main;
    } catch (error) {
      throw new UsageError(`${relative(cwd, pkgPath)} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof main === "string" && main.trim() !== "") {
      const target = resolve(dir, main);
      if (isDirectory(target)) return entryOfDirectory(target, cwd);
      if (existsSync(target)) return target;
    }
  }
  return ENTRY_CANDIDATES.map((name) => join(dir, name)).find((path) => existsSync(path));
}

/** A config value as the CLI hands it to the program: strings as they are, anything else as JSON. */
function configString(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function qualify(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Pulumi.yaml `config:`: a plain value, or `{ value }` / `{ default }` with a type and description. */
function projectConfig(raw: unknown, project: string, file: string, into: PulumiProgram): void {
  if (raw === undefined || raw === null) return;
  if (!isMap(raw)) throw new UsageError(`${file}: config must be a mapping of keys to values`);
  for (const [key, entry] of Object.entries(raw)) {
    const spec = isMap(entry) ? entry : { value: entry };
    const value = spec.value ?? spec.default;
    if (value === undefined || value === null) continue;
    into.config[qualify(key, project)] = configString(value);
    if (spec.secret === true) into.secretKeys.push(qualify(key, project));
  }
}

/** Pulumi.<stack>.yaml `config:`; `secure:` values cannot be decrypted offline and read as a placeholder. */
function stackConfig(raw: unknown, project: string, file: string, into: PulumiProgram): void {
  if (raw === undefined || raw === null) return;
  if (!isMap(raw)) throw new UsageError(`${file}: config must be a mapping of keys to values`);
  for (const [key, value] of Object.entries(raw)) {
    const qualified = qualify(key, project);
    if (isMap(value) && typeof value.secure === "string") {
      into.config[qualified] = SECRET_PLACEHOLDER;
      into.secretKeys.push(qualified);
    } else if (value !== undefined && value !== null) {
      into.config[qualified] = configString(value);
    }
  }
}

function runtimeName(runtime: unknown): unknown {
  return isMap(runtime) ? runtime.name : runtime;
}

/**
 * Finds the program the way `pulumi` does from a project directory: Pulumi.yaml's `main`, else the
 * directory's package.json `main`, else index.ts / index.js; and the stack's Pulumi.<stack>.yaml.
 * Every problem is a UsageError naming the file or flag.
 */
export function loadPulumiProgram(options: {
  programDir?: string;
  stack?: string;
  cwd?: string;
}): PulumiProgram {
  const cwd = options.cwd ?? process.cwd();
  const given = options.programDir !== undefined;
  const dir = resolve(cwd, options.programDir ?? ".");
  if (!isDirectory(dir)) {
    throw new UsageError(
      existsSync(dir)
        ? `--program ${options.programDir}: not a directory`
        : `--program ${options.programDir}: no such directory`,
    );
  }
  const projectFile = PROJECT_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (!projectFile && !given) {
    throw new UsageError(`no Pulumi.yaml in ${cwd}: run from a Pulumi project or give --program DIR`);
  }
  const shownProject = projectFile ? relative(cwd, projectFile) || basename(projectFile) : undefined;
  const settings = projectFile ? readYamlMap(projectFile, cwd) : {};
  if (projectFile) {
    if (typeof settings.name !== "string" || settings.name.trim() === "") {
      throw new UsageError(`${shownProject}: name is required`);
    }
    const runtime = runtimeName(settings.runtime);
    if (runtime !== "nodejs") {
      throw new UsageError(
        `${shownProject}: runtime ${JSON.stringify(runtime ?? null)} is not supported: check runs Node.js programs (runtime: nodejs)`,
      );
    }
  }
  const project = typeof settings.name === "string" ? settings.name : basename(dir);

  let entry: string | undefined;
  if (settings.main !== undefined) {
    if (typeof settings.main !== "string") throw new UsageError(`${shownProject}: main must be a path`);
    const target = resolve(dir, settings.main);
    if (!existsSync(target))
      throw new UsageError(`${shownProject}: main ${settings.main}: no such file or directory`);
    entry = isDirectory(target) ? entryOfDirectory(target, cwd) : target;
    if (!entry) throw new UsageError(`${shownProject}: main ${settings.main}: no index.ts or index.js in it`);
  } else {
    entry = entryOfDirectory(dir, cwd);
    if (!entry) {
      throw new UsageError(
        `no program in ${relative(cwd, dir) || "."}: no package.json main, index.ts or index.js`,
      );
    }
  }

  const stack = options.stack ?? DEFAULT_STACK;
  if (!/^[\w.-]+$/.test(stack)) throw new UsageError(`--stack ${stack}: not a stack name`);
  const configDir = typeof settings.stackConfigDir === "string" ? resolve(dir, settings.stackConfigDir) : dir;
  const program: PulumiProgram = { projectDir: dir, project, entry, stack, config: {}, secretKeys: [] };
  projectConfig(settings.config, project, shownProject ?? "Pulumi.yaml", program);
  const stackFile = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`]
    .map((name) => join(configDir, name))
    .find((path) => existsSync(path));
  if (stackFile) {
    const shown = relative(cwd, stackFile) || basename(stackFile);
    stackConfig(readYamlMap(stackFile, cwd).config, project, shown, program);
    program.stackConfigFile = stackFile;
  }
  // As in Pulumi, a stack without Pulumi.<stack>.yaml is valid: it has only the project's config.
  return program;
}

/** Where a path is, said relative to the working directory for one-line messages. */
export function shownPath(path: string, cwd = process.cwd()): string {
  return relative(cwd, path) || basename(path) || dirname(path);
}
