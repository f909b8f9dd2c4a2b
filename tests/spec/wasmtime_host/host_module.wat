;; The harness's core module `simple-module`: global g = 100, f returns 101.
(component
  (import "host" (instance $host
    (export "simple-module" (core module
      (export "f" (func (result i32)))
      (export "g" (global i32))))))
  (alias export $host "simple-module" (core module $Simple))
  (core instance $simple (instantiate $Simple))
  (core module $User
    (import "" "f" (func $f (result i32)))
    (import "" "g" (global $g i32))
    (func (export "run") (result i32) (i32.add (call $f) (global.get $g))))
  (core instance $user (instantiate $User (with "" (instance $simple))))
  (func (export "run") (result u32) (canon lift (core func $user "run"))))
