// Runs a WASI preview1 command module under Node's V8 (node:wasi), for bench/run.sh.
// Usage: node --no-warnings bench/kernels/node_wasi.mjs FILE.wasm [args...]
// No preopens and an empty environment, like the other runtimes' columns; the exit status is
// the guest's proc_exit code (or 0 when _start returns).
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node_wasi.mjs FILE.wasm [args...]\n');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [file, ...rest], env: {}, preopens: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
