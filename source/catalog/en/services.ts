/** Filled as the services words move into the catalog. */
export const services = {};
