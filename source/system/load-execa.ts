/**
 * execa, loaded the first time a command runs: its module graph adds about 10 MB to the resident
 * size of every run, and most checks run no command (no busy port, Linux's route table read from
 * /proc, --no-router).
 */
export const loadExeca = async (): Promise<typeof import('execa')> => import('execa');
