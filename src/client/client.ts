/**
 * `Client`: the entry point of @temporalio/client — a connection, a namespace and a data
 * converter, with `client.workflow` (WorkflowClient) and `client.activity`
 * (AsyncCompletionClient).
 */
import { hostname } from "node:os";
import { Connection } from "./connection.js";
import { ClientConverter, loadDataConverter, type DataConverter, type LoadedDataConverter } from "./converter.js";
import { WorkflowClient } from "./workflow-client.js";
import { AsyncCompletionClient } from "./async-completion-client.js";

export interface ClientOptions {
  /** Default: a lazy connection to 127.0.0.1:7233. */
  connection?: Connection;
  /** Default `default`. */
  namespace?: string;
  dataConverter?: DataConverter;
  /** Default `pid@hostname`. */
  identity?: string;
  /** Options of `client.workflow`. */
  workflow?: { queryRejectCondition?: "NONE" | "NOT_OPEN" | "NOT_COMPLETED_CLEANLY" };
}

export class Client {
  readonly connection: Connection;
  readonly namespace: string;
  readonly identity: string;
  readonly dataConverter: LoadedDataConverter;
  readonly workflow: WorkflowClient;
  readonly activity: AsyncCompletionClient;
  readonly options: Readonly<ClientOptions>;

  constructor(options: ClientOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError("ClientOptions: expected an object");
    if (options.connection !== undefined && !(options.connection instanceof Connection)) {
      throw new TypeError("ClientOptions.connection: expected a Connection (from Connection.connect())");
    }
    if (options.namespace !== undefined && (typeof options.namespace !== "string" || options.namespace === "")) {
      throw new TypeError("ClientOptions.namespace: expected a non-empty string");
    }
    if (options.identity !== undefined && typeof options.identity !== "string") throw new TypeError("ClientOptions.identity: expected a string");
    this.options = options;
    this.connection = options.connection ?? Connection.lazy();
    this.namespace = options.namespace ?? "default";
    this.identity = options.identity ?? `${process.pid}@${hostname()}`;
    this.dataConverter = loadDataConverter(options.dataConverter);
    const ctx = {
      connection: this.connection,
      namespace: this.namespace,
      identity: this.identity,
      converter: new ClientConverter(this.dataConverter),
      queryRejectCondition: options.workflow?.queryRejectCondition,
    };
    this.workflow = new WorkflowClient(ctx);
    this.activity = new AsyncCompletionClient(ctx);
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
