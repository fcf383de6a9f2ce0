/**
 * Typed raw RPCs of temporal.api.testservice.v1.TestService (the time-skipping test server's own
 * service: lock/unlock time skipping, sleep, current time), sent through the native bridge like
 * every other RPC (core's client, service "test").
 */
import { create, fromBinary, toBinary, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import { TestService as TestServiceDesc } from "../proto/temporal/api/testservice/v1/service_pb.js";
import type { Connection } from "../client/connection.js";
import { toServiceError } from "../client/errors.js";

type Facade<M extends GenServiceMethods> = {
  [K in keyof M]: (request?: MessageInitShape<M[K]["input"]>) => Promise<MessageShape<M[K]["output"]>>;
};

/** As the official `TestService` of a time-skipping environment's connection. */
export type TestService = Facade<typeof TestServiceDesc extends GenService<infer M> ? M : never>;

export function testServiceOf(connection: Connection): TestService {
  const out: Record<string, unknown> = {};
  for (const method of TestServiceDesc.methods) {
    out[method.localName] = async (request: Record<string, unknown> = {}) => {
      const req = create(method.input, request as never);
      try {
        const bytes = await connection.nativeClient.rpc("test", method.name, toBinary(method.input, req), { retry: true });
        return fromBinary(method.output, bytes);
      } catch (err) {
        throw toServiceError(err, method.name);
      }
    };
  }
  return out as TestService;
}
