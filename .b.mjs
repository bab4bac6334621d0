import * as esbuild from 'esbuild';
await esbuild.build({ entryPoints: [process.argv[2]], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: 'server/db/.exp.mjs', target: 'node20', logLevel: 'error' });
