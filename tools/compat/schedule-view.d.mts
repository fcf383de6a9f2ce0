export function scheduleView(value: unknown): unknown;
