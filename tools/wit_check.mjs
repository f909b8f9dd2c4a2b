// Checks that a WIT file parses and resolves (wasm-tools through jco): embeds a dummy module
// for world {WORLD}. Used by the tests to check `rill inspect` prints valid WIT.
// Usage: node tools/wit_check.mjs WIT_FILE [WORLD]
import { readFile } from "node:fs/promises";
import { componentEmbed } from "@bytecodealliance/jco-transpile/wasm-tools";

const [witFile, world = "root"] = process.argv.slice(2);
if (!witFile) {
  console.error("usage: node tools/wit_check.mjs WIT_FILE [WORLD]");
  process.exit(2);
}
try {
  await componentEmbed({ dummy: true, witSource: await readFile(witFile, "utf8"), world });
} catch (e) {
  console.error(`${witFile}: ${e.message ?? e}`);
  process.exit(1);
}
