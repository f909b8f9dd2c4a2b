// `jco embed` with the WIT passed as source text: jco 1.35.0's CLI hands wasm-tools a WIT *path*,
// but runs it with no filesystem preopens, so every path fails with "No such file or directory".
// Usage: node tools/jco_embed.mjs WIT_FILE WORLD CORE_IN.wasm OUT.wasm
import { readFile, writeFile } from "node:fs/promises";
import { componentEmbed } from "@bytecodealliance/jco-transpile/wasm-tools";

const [witFile, world, input, output] = process.argv.slice(2);
if (!output) {
  console.error("usage: node tools/jco_embed.mjs WIT_FILE WORLD CORE_IN.wasm OUT.wasm");
  process.exit(2);
}
const bytes = await componentEmbed({
  binary: await readFile(input),
  witSource: await readFile(witFile, "utf8"),
  world,
});
await writeFile(output, bytes);
