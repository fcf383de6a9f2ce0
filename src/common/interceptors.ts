/**
 * Interceptor composition, shared by the client, activity and workflow interceptors, as
 * @temporalio/common's: the first interceptor of the list is the outermost, each gets the
 * next one (or the SDK's own implementation) as `next`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyFunc = (...args: any[]) => any;
type OmitLast<T extends unknown[]> = T extends [...infer Rest, unknown] ? Rest : never;
type OmitLastParam<F extends AnyFunc> = (...args: OmitLast<Parameters<F>>) => ReturnType<F>;

/** The type of `next` for method `FN` of interceptor interface `IF`. */
export type Next<IF, FN extends keyof IF> = Required<IF>[FN] extends AnyFunc ? OmitLastParam<Required<IF>[FN]> : never;

/**
 * `next` wrapped by every interceptor of the list that has `method`, the first outermost. With
 * none, `next` itself (no extra call, no extra microtask).
 */
export function composeInterceptors<I, M extends keyof I>(interceptors: readonly I[], method: M, next: Next<I, M>): Next<I, M> {
  let composed: any = next;
  for (let i = interceptors.length - 1; i >= 0; --i) {
    const interceptor = interceptors[i] as any;
    const fn = interceptor?.[method];
    if (fn !== undefined) {
      const prev = composed;
      composed = (input: unknown) => fn.call(interceptor, input, prev);
    }
  }
  return composed;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
