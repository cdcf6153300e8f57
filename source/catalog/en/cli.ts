/** Filled as the cli words move into the catalog. */
export const cli = {};
