// Runs one recipe by its number: `npm run example -- 03`. Flags after the number go to the recipe:
// --live for the Copilot service, --fast for 1 ms paces, --users=N and the like.
import { readdirSync } from 'node:fs';
import path from 'node:path';

const recipes = readdirSync(__dirname).filter((name) => /^\d\d-.+\.ts$/.test(name)).sort();
const wanted = process.argv[2] ?? '';
// A number picks a recipe; `walkthrough` the protocol walk-through by hand, `walkthrough-rpc` the same
// on copilot-rx's RPC connection (docs/protocol-walkthrough.md).
const walkthroughs = new Set(['walkthrough', 'walkthrough-rpc']);
const file = walkthroughs.has(wanted) ? `${wanted}.ts` : /^\d{1,2}$/.test(wanted) ? recipes.find((name) => name.startsWith(`${wanted.padStart(2, '0')}-`)) : undefined;

if (file === undefined) {
  console.error(`usage: npm run example -- NN [--live] [--fast]  (or: npm run example -- walkthrough | walkthrough-rpc)\nrecipes:\n${recipes.map((name) => `  ${name}`).join('\n')}`);
  process.exitCode = 2;
} else {
  // The recipe reads its flags from process.argv, as if it had been started directly.
  process.argv.splice(2, 1);
  require(path.join(__dirname, file));
}
