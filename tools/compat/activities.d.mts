// Types of activities.mjs (plain JS so that node runs it too).
export declare function pick(token: string, n: number): Promise<string>;
export declare function measure(token: string): Promise<number>;
export declare function flaky(token: string, failures: number): Promise<number>;
export declare function slow(ms: number): Promise<number>;
