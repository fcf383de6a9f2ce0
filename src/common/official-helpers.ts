/**
 * Small helpers @temporalio/common exports (several marked internal or deprecated there), with
 * the official results, for code that imports them. Pure: reachable from workflow code.
 */
import { decode, encode } from "./encoding.js";
import { isRecord } from "./type-helpers.js";

/** UTF-8 encode, as the official `u8`. */
export function u8(s: string): Uint8Array {
  return encode(s);
}

/** UTF-8 decode, as the official `str`. */
export function str(arr: Uint8Array): string {
  return decode(arr);
}

/**
 * `error.message` of an Error-like value (a string `name` and `message`, a string or missing
 * `stack`), the string itself for a string, otherwise undefined — the official `errorMessage`
 * (src/common/type-helpers' own `errorMessage` falls back to `String(err)`, for failures).
 */
export function errorMessage(error: unknown): string | undefined {
  if (isRecord(error) && typeof error.name === "string" && typeof error.message === "string" && (error.stack == null || typeof error.stack === "string")) {
    return error.message;
  }
  return typeof error === "string" ? error : undefined;
}

/** `error.code` when it is a string (a Node system error's code, say), otherwise undefined, as the official `errorCode`. */
export function errorCode(error: unknown): string | undefined {
  return isRecord(error) && typeof error.code === "string" ? error.code : undefined;
}

/**
 * The workflow type of a workflow function (its name) or of a string (itself), as the official
 * `extractWorkflowType`: TypeError for an anonymous function or any other value.
 */
export function extractWorkflowType(workflowTypeOrFunc: string | ((...args: never[]) => unknown)): string {
  if (typeof workflowTypeOrFunc === "string") return workflowTypeOrFunc;
  if (typeof workflowTypeOrFunc === "function") {
    if (!workflowTypeOrFunc.name) throw new TypeError("Invalid workflow type: the workflow function is anonymous");
    return workflowTypeOrFunc.name;
  }
  throw new TypeError(`Invalid workflow type: expected either a string or a function, got '${typeof workflowTypeOrFunc}'`);
}

/** A Worker Deployment version: deployment name and Build Id (worker versioning itself is not implemented). */
export interface WorkerDeploymentVersion {
  readonly buildId: string;
  readonly deploymentName: string;
}

/** `deploymentName.buildId`, the canonical form of a deployment version, as the official `toCanonicalString`. */
export function toCanonicalString(version: WorkerDeploymentVersion): string {
  return `${version.deploymentName}.${version.buildId}`;
}

/** A core WorkerDeploymentVersion message → WorkerDeploymentVersion; undefined without a Build Id, as official. */
export function convertDeploymentVersion(v: { buildId?: string | null; deploymentName?: string | null } | null | undefined): WorkerDeploymentVersion | undefined {
  if (!v || !v.buildId) return undefined;
  return { buildId: v.buildId, deploymentName: v.deploymentName ?? "" };
}
