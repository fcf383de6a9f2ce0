/**
 * `Client`: the entry point of @temporalio/client — a connection, a namespace and a data
 * converter, with `client.workflow` (WorkflowClient) and `client.activity`
 * (AsyncCompletionClient).
 */
import { hostname } from "node:os";
import { checkOptions, queryRejectConditionCodec, type OptionsShape, type QueryRejectCondition } from "../common/index.js";
import { describeValue } from "../common/enums.js";
import { Connection } from "./connection.js";
import { ClientConverter, loadDataConverter, type DataConverter, type LoadedDataConverter } from "./converter.js";
import { WorkflowClient } from "./workflow-client.js";
import { AsyncCompletionClient } from "./async-completion-client.js";
import { ScheduleClient } from "./schedule-client.js";
import { workflowInterceptorsSource, type ClientInterceptors } from "./interceptors.js";

/**
 * What `ClientOptions.connection` takes: a client `Connection`, or a worker `NativeConnection`
 * (as in @temporalio/client, whose `ConnectionLike` covers both). A NativeConnection wraps a
 * Connection (src/worker/connection.ts), so it is matched by that shape rather than imported:
 * the client does not depend on the worker package.
 */
export type ConnectionLike = Connection | { readonly connection: Connection };

/** The client `Connection` behind `ClientOptions.connection`, or undefined if it is neither shape. */
function clientConnectionOf(value: unknown): Connection | undefined {
  if (value instanceof Connection) return value;
  const inner = typeof value === "object" && value !== null ? (value as { connection?: unknown }).connection : undefined;
  return inner instanceof Connection ? inner : undefined;
}

export interface ClientOptions {
  /**
   * Default: a lazy connection to 127.0.0.1:7233. A `NativeConnection` shared with a Worker
   * lets `requestEagerStart` hand the first workflow task straight to that worker; so does a
   * `Connection` the worker was created from (every RPC goes through core's client here).
   */
  connection?: ConnectionLike;
  /** Default `default`. */
  namespace?: string;
  dataConverter?: DataConverter;
  /** Default `pid@hostname`. */
  identity?: string;
  /**
   * Interceptors of the client's calls (docs/interceptors.md): `workflow`, a list of
   * WorkflowClientInterceptor (the first is the outermost), or the deprecated `{ calls: [factory] }`.
   * `schedule`, a list of ScheduleClientInterceptor (`create`, the one hook of the official 1.24).
   * `nexus` and `activity` are accepted and have no effect yet (a warning).
   */
  interceptors?: ClientInterceptors;
  /** Options of `client.workflow`. */
  workflow?: { queryRejectCondition?: QueryRejectCondition };
}

// Unknown options are TypeErrors; official options we do not implement warn once (console:
// the client has no logger) and have no effect — src/common/option-check.ts.
const clientOptionsShape: OptionsShape = {
  name: "ClientOptions",
  supported: ["connection", "namespace", "dataConverter", "identity", "workflow", "interceptors"],
  officialOnly: ["plugins"],
};
// The official Client spreads `workflow` into its WorkflowClient options and then overrides
// `interceptors` with `interceptors.workflow`: `workflow.interceptors` has no effect there either.
const workflowClientOptionsShape: OptionsShape = { name: "ClientOptions.workflow", supported: ["queryRejectCondition"], ignoredByOfficial: ["interceptors"] };
// No Nexus or standalone-activity client here yet.
const interceptorsShape: OptionsShape = { name: "ClientOptions.interceptors", supported: ["workflow", "schedule"], officialOnly: ["nexus", "activity"] };

export class Client {
  readonly connection: Connection;
  readonly namespace: string;
  readonly identity: string;
  readonly dataConverter: LoadedDataConverter;
  readonly workflow: WorkflowClient;
  readonly activity: AsyncCompletionClient;
  readonly schedule: ScheduleClient;
  readonly options: Readonly<ClientOptions>;

  constructor(options: ClientOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError("ClientOptions: expected an object");
    checkOptions(clientOptionsShape, options);
    if (options.workflow !== undefined) {
      if (options.workflow === null || typeof options.workflow !== "object") throw new TypeError("ClientOptions.workflow: expected an object");
      checkOptions(workflowClientOptionsShape, options.workflow);
      queryRejectConditionCodec.encode(options.workflow.queryRejectCondition, "ClientOptions.workflow.queryRejectCondition");
    }
    if (options.interceptors !== undefined && options.interceptors !== null) {
      if (typeof options.interceptors !== "object") throw new TypeError(`ClientOptions.interceptors: expected an object ({ workflow: [...] }), got ${typeof options.interceptors}`);
      checkOptions(interceptorsShape, options.interceptors);
    }
    const interceptors = workflowInterceptorsSource(options.interceptors?.workflow);
    const connection = options.connection === undefined ? undefined : clientConnectionOf(options.connection);
    if (options.connection !== undefined && connection === undefined) {
      throw new TypeError("ClientOptions.connection: expected a Connection (Connection.connect()) or a NativeConnection (NativeConnection.connect())");
    }
    if (options.namespace !== undefined && (typeof options.namespace !== "string" || options.namespace === "")) {
      throw new TypeError(`ClientOptions.namespace: expected a non-empty string, got ${describeValue(options.namespace)}`);
    }
    if (options.identity !== undefined && typeof options.identity !== "string") throw new TypeError(`ClientOptions.identity: expected a string, got ${describeValue(options.identity)}`);
    this.options = options;
    // With a NativeConnection, `client.connection` is the Connection it wraps (same core client).
    this.connection = connection ?? Connection.lazy();
    this.namespace = options.namespace ?? "default";
    this.identity = options.identity ?? `${process.pid}@${hostname()}`;
    this.dataConverter = loadDataConverter(options.dataConverter);
    const ctx = {
      connection: this.connection,
      namespace: this.namespace,
      identity: this.identity,
      converter: new ClientConverter(this.dataConverter),
      queryRejectCondition: options.workflow?.queryRejectCondition,
      interceptors,
    };
    this.workflow = new WorkflowClient(ctx);
    this.activity = new AsyncCompletionClient(ctx);
    try {
      this.schedule = new ScheduleClient({
        connection: this.connection,
        namespace: this.namespace,
        identity: this.identity,
        dataConverter: options.dataConverter,
        interceptors: options.interceptors?.schedule,
      });
    } catch (err) {
      // Only the interceptors can be wrong here (the rest was checked above): name them as the user wrote them.
      if (err instanceof TypeError) throw new TypeError(err.message.replace("ScheduleClientOptions.interceptors", "ClientOptions.interceptors.schedule"), { cause: err });
      throw err;
    }
  }

  /** The raw typed WorkflowService RPCs of this client's connection. */
  get workflowService() {
    return this.connection.workflowService;
  }

  withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> {
    return this.connection.withDeadline(deadline, fn);
  }
  withAbortSignal<R>(signal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    return this.connection.withAbortSignal(signal, fn);
  }
  withMetadata<R>(metadata: Record<string, string>, fn: () => Promise<R>): Promise<R> {
    return this.connection.withMetadata(metadata, fn);
  }
}
