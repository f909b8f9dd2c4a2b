;; A command that imports wasi:http, which Rill's WASI 0.2 host does not define (next to
;; wasi:cli/environment, which it does): `rill run` must refuse it naming the missing interface.
(component
  (import "wasi:cli/environment@0.2.0" (instance
    (export "get-arguments" (func (result (list string))))))
  (import "wasi:http/outgoing-handler@0.2.0" (instance
    (export "ping" (func (result u32)))))
  (core module $M (func (export "run") (result i32) (i32.const 0)))
  (core instance $m (instantiate $M))
  (func $run (result (result)) (canon lift (core func $m "run")))
  (instance $runner (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $runner)))
