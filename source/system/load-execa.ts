/** What fwcheck uses of execa. */
export type Execa = Pick<typeof import('execa'), 'execa'>;

// Beside the build's modules (scripts/bundle-execa.mjs); absent when run from source and in the
// one-file builds, which carry execa inside: the package itself then.
const bundle = './execa.bundle.js';

let loading: Promise<Execa> | undefined;

/**
 * execa, loaded the first time a command runs, and once: its module graph adds about 10 MB to the
 * resident size of every run, and most checks run no command (no busy port, Linux's route table
 * read from /proc, --no-router). The one-file bundle of it loads in about half the time.
 */
export const loadExeca = async (): Promise<Execa> => {
	loading ??= (import(bundle) as Promise<Execa>).catch(async () => import('execa'));
	return loading;
};
