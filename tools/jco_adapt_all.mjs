// `jco new CORE.wasm --wasi-command` for many modules in one node process (jco's CLI takes about
// a second per call, mostly start-up): each preview1 command module becomes a WASI 0.2 component
// through jco's bundled preview1 adapter. Writes OUT_DIR/<parent dir>/<name>.wasm for each input
// (tests/wasi/run_wasi_testsuite.py --adapted-dir reads that layout) and skips outputs newer than
// their input. Usage: node tools/jco_adapt_all.mjs OUT_DIR CORE.wasm...
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { componentNew } from "@bytecodealliance/jco-transpile/wasm-tools";

const [outDir, ...inputs] = process.argv.slice(2);
if (!outDir || inputs.length === 0) {
  console.error("usage: node tools/jco_adapt_all.mjs OUT_DIR CORE.wasm...");
  process.exit(2);
}
// The adapter `jco new --wasi-command` uses (the pinned jco in ../node_modules).
const adapter = await readFile(new URL(
    "../node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm", import.meta.url));

async function mtime(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return -1;
  }
}

let failed = 0;
for (const input of inputs) {
  const out = join(outDir, basename(dirname(input)), basename(input));
  if ((await mtime(out)) >= (await mtime(input)))
    continue;
  try {
    const bytes = await componentNew(await readFile(input), [["wasi_snapshot_preview1", adapter]]);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, bytes);
  } catch (e) {
    console.error(`${input}: ${e.message ?? e}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
