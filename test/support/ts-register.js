/**
 * Lets child processes started by the tests `require()` the TypeScript
 * sources directly (node -r ./test/support/ts-register.js child.ts), with no
 * build step. Types are not checked here; tsc and ts-jest do that.
 */
'use strict';

const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	sourceMap: false,
};

// Replaces Node's own .ts handling (type stripping), which cannot resolve the
// extension-less relative imports the sources use.
require.extensions['.ts'] = function compileTypeScript(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
	module._compile(outputText, filename);
};
