// Running and pacing commands from the bench and the screenshot script.

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** One argument for sh: single-quoted, with embedded single quotes closed and reopened. */
export const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;
