// Injected into the CommonJS bundles (esbuild.mjs `inject`): what `import.meta.url` means in
// ESM sources, the file URL of the bundle itself. esbuild's `define` points `import.meta.url` here.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
