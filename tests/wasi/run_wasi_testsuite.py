#!/usr/bin/env python3
"""Runs the prebuilt WASI preview1 test suite (../shared/testsuite/wasi/p1/<suite>/*.wasm) through
`rill run`, one process per test against a fresh copy of its preopened directory, and compares the
exit status and the stdout/stderr prefixes its JSON asks for (../shared/testsuite/wasi/README.md).

With --adapted-dir, runs instead the WASI 0.2 components made from the same programs by jco's
preview1 adapter (tools/jco_adapt_all.mjs writes DIR/<suite>/<test>.wasm), which exercises the 0.2
host the way real toolchains do. Through the adapter a non-zero proc_exit status arrives as
wasi:cli/exit.exit(err), so a test expecting a non-zero status expects 1 there.

Skips come from tests/wasi/p1_skips.txt, or p1_adapter_skips.txt with --adapted-dir (lines
`suite/test reason`). Prints one line per test and `N passed, N failed, N skipped`; exits 1 on any
failure, 77 (CTest's skip code) without the suite.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP_RETURN_CODE = 77


def load_skips(path):
    skips = {}
    if not path or not os.path.exists(path):
        return skips
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition(" ")
            skips[name] = reason.strip() or "listed in p1_skips.txt"
    return skips


def make_writable(root):
    # The shared copy has no write bits; tests create and delete files in their directory.
    for dirpath, dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            p = os.path.join(dirpath, name)
            if not os.path.islink(p):
                os.chmod(p, 0o644)


def copy_dir(src, dst):
    shutil.copytree(src, dst, symlinks=True)
    make_writable(dst)


def run_test(rill, suite_dir, wasm, spec, tmp, timeout):
    """Returns None on success, else the reason it failed."""
    cmd = [rill, "run"]
    for key, value in spec.get("env", {}).items():
        cmd += ["--env", f"{key}={value}"]
    if spec.get("root"):
        copy_dir(os.path.join(suite_dir, spec["root"]), os.path.join(tmp, "root"))
        cmd += ["--dir", os.path.join(tmp, "root") + "::/"]
    for d in spec.get("dirs", []):
        copy_dir(os.path.join(suite_dir, d), os.path.join(tmp, d))
        cmd += ["--dir", os.path.join(tmp, d) + "::" + d]
    cmd += [wasm] + list(spec.get("args", []))
    try:
        proc = subprocess.run(cmd, cwd=tmp, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout} s"
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    want_exit = spec.get("exit_code", 0)
    problems = []
    if proc.returncode != want_exit:
        problems.append(f"exit status {proc.returncode}, expected {want_exit}")
    for stream, text in (("stdout", out), ("stderr", err)):
        if stream in spec and not text.startswith(spec[stream]):
            problems.append(f"{stream} {text[:200]!r} does not start with {spec[stream]!r}")
    if not problems:
        return None
    detail = "; ".join(problems)
    if err and "stderr" not in detail:
        detail += "\n    stderr: " + err.strip().replace("\n", "\n    ")[:2000]
    return detail


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rill", required=True, help="path to the rill binary")
    ap.add_argument("--suite-root", default=os.path.join(here, "..", "..", "..", "shared",
                                                         "testsuite", "wasi", "p1"))
    ap.add_argument("--skips", help="skip list (default: p1_skips.txt, or p1_adapter_skips.txt "
                                    "with --adapted-dir)")
    ap.add_argument("--adapted-dir", help="run the adapted 0.2 components in this directory")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("filters", nargs="*", help="suite or suite/test names to run (default: all)")
    opts = ap.parse_args()

    # The tests run in temporary directories: make every path absolute first.
    opts.suite_root = os.path.abspath(opts.suite_root)
    opts.rill = os.path.abspath(opts.rill)
    if not opts.skips:
        opts.skips = os.path.join(here, "p1_adapter_skips.txt" if opts.adapted_dir else "p1_skips.txt")
    opts.skips = os.path.abspath(opts.skips)
    if not os.path.isdir(opts.suite_root):
        print(f"WASI test suite not found at {opts.suite_root}, skipping")
        return SKIP_RETURN_CODE
    skips = load_skips(opts.skips)
    passed = failed = skipped = 0
    for suite in sorted(os.listdir(opts.suite_root)):
        suite_dir = os.path.join(opts.suite_root, suite)
        if not os.path.isdir(suite_dir):
            continue
        for f in sorted(os.listdir(suite_dir)):
            if not f.endswith(".wasm"):
                continue
            test = f[:-len(".wasm")]
            name = f"{suite}/{test}"
            if opts.filters and suite not in opts.filters and name not in opts.filters:
                continue
            if name in skips:
                print(f"SKIP {name}: {skips[name]}")
                skipped += 1
                continue
            spec = {}
            json_path = os.path.join(suite_dir, test + ".json")
            if os.path.exists(json_path):
                with open(json_path) as jf:
                    spec = json.load(jf)
            wasm = os.path.join(suite_dir, f)
            if opts.adapted_dir:
                wasm = os.path.join(os.path.abspath(opts.adapted_dir), suite, f)
                if spec.get("exit_code", 0) != 0:
                    spec["exit_code"] = 1  # exit(err): the adapter's only non-zero status
                if not os.path.exists(wasm):
                    print(f"FAIL {name}: no adapted component {wasm}")
                    failed += 1
                    continue
            with tempfile.TemporaryDirectory(prefix="rill-wasi-") as tmp:
                problem = run_test(opts.rill, suite_dir, wasm, spec, tmp, opts.timeout)
            if problem is None:
                print(f"PASS {name}")
                passed += 1
            else:
                print(f"FAIL {name}: {problem}")
                failed += 1
            sys.stdout.flush()
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
