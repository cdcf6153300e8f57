/** Filled as the tui words move into the catalog. */
export const tui = {};
