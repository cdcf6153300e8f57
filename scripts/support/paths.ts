// Where the repository, the built CLI and the generated files are, for bench/ and scripts/.
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = path.join(REPO, 'dist', 'cli.js');
