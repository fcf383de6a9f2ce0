// Types of activities.mjs (plain JS so that node runs it too).
export declare function pick(token: string, n: number): Promise<string>;
export declare function measure(token: string): Promise<number>;
