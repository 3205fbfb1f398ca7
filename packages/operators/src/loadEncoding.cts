/**
 * Loads a gpt-tokenizer encoding synchronously, on first use.
 *
 * Why a CommonJS file in an ES module package: the encodings are large (o200k takes about 0.3 s and
 * 30 MB to load), so they must not load when the package is imported, yet the first count must stay
 * synchronous (operators count inside the event that carries the text). A static `import` is eager
 * and `import()` is asynchronous; `require` is neither, and in a `.cts` file it is the module's own
 * loader in both builds: the CommonJS build requires this file and the ES module build imports it
 * (Node runs a `.cjs` file as CommonJS whatever the package type).
 */
import type * as Encoding from 'gpt-tokenizer/encoding/o200k_base';

function loadEncoding(encoding: 'o200k_base' | 'cl100k_base'): typeof Encoding {
  // Literal specifiers, so bundlers can see both encodings.
  return encoding === 'o200k_base' ? require('gpt-tokenizer/encoding/o200k_base') : require('gpt-tokenizer/encoding/cl100k_base');
}

export = loadEncoding;
