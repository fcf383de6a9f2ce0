// Official workflow interceptor of tools/compat-headers.ts: writes a header on every activity.
import { defaultPayloadConverter } from "temporal-bun-sdk/workflow";

export const interceptors = () => ({
  outbound: [
    {
      async scheduleActivity(input: any, next: any) {
        return next({ ...input, headers: { ...input.headers, tracing: defaultPayloadConverter.toPayload({ traceparent: "00-official-workflow-01" }) } });
      },
    },
  ],
});
