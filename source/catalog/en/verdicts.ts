/** Filled as the verdicts words move into the catalog. */
export const verdicts = {};
