/**
 * The directory of this module, in both builds: `__dirname` does not exist in an ES module and
 * `import.meta` does not compile to CommonJS, but a `.cts` file is CommonJS in both (Node runs a
 * `.cjs` file as CommonJS whatever the package type), and the ES module build imports it.
 */
export = __dirname;
