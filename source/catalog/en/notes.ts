/** Filled as the notes words move into the catalog. */
export const notes = {};
