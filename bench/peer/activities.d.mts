// Types of activities.mjs (plain JS so that node runs it too).
export declare function greet(name: string): Promise<string>;
export declare function step(name: string, i: number): Promise<string>;
