import { version } from '../../package.json';

/** The package version, inlined by esbuild at build time. */
export const VERSION: string = version;
