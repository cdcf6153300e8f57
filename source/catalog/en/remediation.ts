/** Filled as the remediation words move into the catalog. */
export const remediation = {};
