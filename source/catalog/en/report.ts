/** Filled as the report words move into the catalog. */
export const report = {};
