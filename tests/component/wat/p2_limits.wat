;; Guests for `rill run --timeout` and `--max-memory` with components (tests/wasi/run_limits_test.cpp):
;; `spin` loops forever in wasm; `sleep` blocks in the host (pollable.block on a monotonic-clock
;; pollable an hour away); `grow(n)` runs memory.grow by n pages and returns its result.
(component
  (import "wasi:io/poll@0.2.0" (instance $poll
    (export "pollable" (type $p (sub resource)))
    (export "[method]pollable.block" (func (param "self" (borrow $p))))))
  (alias export $poll "pollable" (type $pollable))
  (alias export $poll "[method]pollable.block" (func $block))
  (type $clock_t (instance
    (alias outer 1 $pollable (type $p))
    (export "pollable" (type $p2 (eq $p)))
    (export "subscribe-duration" (func (param "when" u64) (result (own $p2))))))
  (import "wasi:clocks/monotonic-clock@0.2.0" (instance $clock (type $clock_t)))
  (alias export $clock "subscribe-duration" (func $subscribe))

  (core func $block_lowered (canon lower (func $block)))
  (core func $subscribe_lowered (canon lower (func $subscribe)))
  (core module $Main
    (import "env" "block" (func $block (param i32)))
    (import "env" "subscribe" (func $subscribe (param i64) (result i32)))
    (memory 1)
    (func (export "spin") (loop $l (br $l)))
    (func (export "sleep")
      (call $block (call $subscribe (i64.const 3600000000000))))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
  (core instance $main (instantiate $Main
    (with "env" (instance
      (export "block" (func $block_lowered))
      (export "subscribe" (func $subscribe_lowered))))))
  (func (export "spin") (canon lift (core func $main "spin")))
  (func (export "sleep") (canon lift (core func $main "sleep")))
  (func (export "grow") (param "pages" u32) (result s32) (canon lift (core func $main "grow"))))
