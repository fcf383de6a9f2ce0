/**
 * The data converter: how values become payloads (payload converter), errors become
 * Failures (failure converter), and payloads are transformed on the wire (codecs).
 * Same shape as @temporalio/common's DataConverter, plus `payloadConverter` /
 * `failureConverter` instances as an alternative to the module paths.
 *
 * This file is reachable from workflow code (src/common/index.ts), so it never loads a
 * module itself: `payloadConverterPath` / `failureConverterPath` are loaded by the host
 * (src/common/converter-module.ts, handed in as `loadModule`) for the client and activities,
 * and by the workflow bundle for workflow code (docs/data-conversion.md, "Converter modules").
 */
import { ValueError } from "./errors.js";
import { checkOptions, type OptionsShape } from "./option-check.js";
import { DefaultFailureConverter, type FailureConverter } from "./failure-converter.js";
import type { PayloadCodec } from "./payload-codec.js";
import { defaultPayloadConverter, type PayloadConverter } from "./payload-converter.js";

export interface DataConverter {
  /**
   * Path of a module with a `payloadConverter` named export (an object with `toPayload` and
   * `fromPayload`). The worker also bundles it into the workflow code, so workflows convert
   * with the same converter. Relative paths are resolved against the working directory.
   */
  payloadConverterPath?: string;
  /** Path of a module with a `failureConverter` named export (`errorToFailure`, `failureToError`). */
  failureConverterPath?: string;
  /**
   * A payload converter instance (temporal-bun-sdk; the official SDK takes only the path).
   * Used by the client and activities; workflow code gets it only through the path, so a
   * worker with workflows should use `payloadConverterPath`. Default: defaultPayloadConverter.
   */
  payloadConverter?: PayloadConverter;
  /** A failure converter instance (see `payloadConverter`). Default: new DefaultFailureConverter(). */
  failureConverter?: FailureConverter;
  /** Applied to every payload on the wire (search attributes excepted); default none. */
  payloadCodecs?: PayloadCodec[];
}

export interface LoadedDataConverter {
  payloadConverter: PayloadConverter;
  failureConverter: FailureConverter;
  payloadCodecs: PayloadCodec[];
}

export const defaultFailureConverter: FailureConverter = new DefaultFailureConverter();

/**
 * The keys of a DataConverter (and of a LoadedDataConverter, which the official client also
 * takes). A misspelt key would otherwise be dropped and values would silently reach history in
 * the default encoding. `externalStorage` (official, experimental) is not implemented: it warns.
 */
const dataConverterShape: OptionsShape = {
  name: "dataConverter",
  supported: ["payloadConverterPath", "failureConverterPath", "payloadConverter", "failureConverter", "payloadCodecs"],
  officialOnly: ["externalStorage"],
};

/** Which converter module option: the export it must have and the methods that export needs. */
export type ConverterPathOption = "payloadConverterPath" | "failureConverterPath";

const EXPORTS: Record<ConverterPathOption, { name: string; methods: [string, string] }> = {
  payloadConverterPath: { name: "payloadConverter", methods: ["toPayload", "fromPayload"] },
  failureConverterPath: { name: "failureConverter", methods: ["errorToFailure", "failureToError"] },
};

/** Loads the module at `path` (resolved as the loader sees fit); throws ValueError naming `option` and the path. */
export type ConverterModuleLoader = (path: string, option: ConverterPathOption) => unknown;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return `an object with keys [${Object.keys(v as object).join(", ")}]`;
  return typeof v;
}

/**
 * The converter a loaded converter module exports, checked: the module must have the named
 * export (`payloadConverter` / `failureConverter`) and it must have both methods. Used by the
 * host loader and inside the workflow sandbox, so both report a bad module the same way.
 */
export function converterFromModule(module: unknown, path: string, option: "payloadConverterPath"): PayloadConverter;
export function converterFromModule(module: unknown, path: string, option: "failureConverterPath"): FailureConverter;
export function converterFromModule(module: unknown, path: string, option: ConverterPathOption): PayloadConverter | FailureConverter;
export function converterFromModule(module: unknown, path: string, option: ConverterPathOption): PayloadConverter | FailureConverter {
  const { name, methods } = EXPORTS[option];
  const mod = module as Record<string, unknown> | null | undefined;
  if (typeof mod !== "object" || mod === null || !(name in mod) || mod[name] === undefined) {
    const others = typeof mod === "object" && mod !== null ? Object.keys(mod).filter((k) => k !== "__esModule") : [];
    throw new ValueError(
      `dataConverter.${option}: module '${path}' has no \`${name}\` named export` +
        (others.length > 0 ? ` (its exports: ${others.join(", ")})` : "") +
        (others.includes("default") ? `; export it by name: \`export const ${name} = …\`` : ""),
    );
  }
  const converter = mod[name] as Record<string, unknown> | null;
  if (typeof converter !== "object" || converter === null || !methods.every((m) => typeof converter[m] === "function")) {
    throw new ValueError(
      `dataConverter.${option}: the \`${name}\` export of '${path}' must be an object with ${methods[0]} and ${methods[1]} methods, got ${describe(converter)}`,
    );
  }
  return converter as unknown as PayloadConverter | FailureConverter;
}

/**
 * Fills in defaults and checks the shape; errors name the offending option. Converter paths
 * need `loadModule` (host code passes src/common/converter-module.ts's loader); without it a
 * path is refused rather than ignored.
 */
export function loadDataConverter(dataConverter?: DataConverter | null, loadModule?: ConverterModuleLoader): LoadedDataConverter {
  const dc = dataConverter ?? {};
  if (typeof dc !== "object") throw new TypeError(`dataConverter: expected an object, got ${typeof dc}`);
  checkOptions(dataConverterShape, dc);
  const { payloadCodecs } = dc;
  let { payloadConverter, failureConverter } = dc;
  if (payloadConverter !== undefined && (typeof payloadConverter?.toPayload !== "function" || typeof payloadConverter.fromPayload !== "function")) {
    throw new TypeError("dataConverter.payloadConverter: expected an object with toPayload and fromPayload");
  }
  if (failureConverter !== undefined && (typeof failureConverter?.errorToFailure !== "function" || typeof failureConverter.failureToError !== "function")) {
    throw new TypeError("dataConverter.failureConverter: expected an object with errorToFailure and failureToError");
  }
  if (payloadCodecs !== undefined && !Array.isArray(payloadCodecs)) throw new TypeError("dataConverter.payloadCodecs: expected an array of PayloadCodec");
  (payloadCodecs ?? []).forEach((codec, i) => {
    if (typeof codec?.encode !== "function" || typeof codec?.decode !== "function") {
      throw new TypeError(`dataConverter.payloadCodecs[${i}]: expected an object with encode and decode`);
    }
  });
  for (const option of ["payloadConverterPath", "failureConverterPath"] as const) {
    const path = dc[option];
    if (path === undefined) continue;
    if (typeof path !== "string" || path === "") throw new TypeError(`dataConverter.${option}: expected a non-empty string (a module path), got ${JSON.stringify(path)}`);
    const instance = option === "payloadConverterPath" ? "payloadConverter" : "failureConverter";
    if (dc[instance] !== undefined) throw new TypeError(`dataConverter.${option}: pass either ${option} or ${instance}, not both`);
    if (loadModule === undefined) {
      throw new ValueError(`dataConverter.${option}: converter modules are loaded by the Client and the Worker; this loadDataConverter call cannot load '${path}'`);
    }
    const module = loadModule(path, option);
    if (option === "payloadConverterPath") payloadConverter = converterFromModule(module, path, option);
    else failureConverter = converterFromModule(module, path, option);
  }
  return {
    payloadConverter: payloadConverter ?? defaultPayloadConverter,
    failureConverter: failureConverter ?? defaultFailureConverter,
    payloadCodecs: payloadCodecs ? [...payloadCodecs] : [],
  };
}

/** The default converters with no codec, already loaded, as @temporalio/common's `defaultDataConverter`. */
export const defaultDataConverter: LoadedDataConverter = {
  payloadConverter: defaultPayloadConverter,
  failureConverter: defaultFailureConverter,
  payloadCodecs: [],
};
