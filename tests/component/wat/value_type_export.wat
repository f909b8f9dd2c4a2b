;; An instance import that exports a record type next to a function using it (as every WIT
;; interface with a record does, e.g. wasi:clocks/wall-clock's datetime); the host defines only
;; the function. `sum` calls it and adds the two fields.
(component
  (type $inst (instance
    (type $p (record (field "x" u32) (field "y" u32)))
    (export "point" (type $p2 (eq $p)))
    (export "origin" (func (result $p2)))))
  (import "test:demo/geo@0.1.0" (instance $geo (type $inst)))
  (alias export $geo "point" (type $point))
  (alias export $geo "origin" (func $origin))
  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (alias core export $mem "mem" (core memory $memory))
  (core func $origin_lowered (canon lower (func $origin) (memory $memory)))
  (core module $Main
    (import "env" "mem" (memory 1))
    (import "env" "origin" (func $origin (param i32)))
    (func (export "sum") (result i32)
      (call $origin (i32.const 16))
      (i32.add (i32.load (i32.const 16)) (i32.load (i32.const 20)))))
  (core instance $main (instantiate $Main
    (with "env" (instance (export "mem" (memory $memory)) (export "origin" (func $origin_lowered))))))
  (func (export "sum") (result u32) (canon lift (core func $main "sum"))))
