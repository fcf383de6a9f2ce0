export const v4 = (): string => crypto.randomUUID();
