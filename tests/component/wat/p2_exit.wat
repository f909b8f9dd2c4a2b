;; wasi:cli/exit's exit-with-code without the preview1 adapter (which only ever calls `exit`), for
;; tests/wasi/hostile_test.cpp: `exit-with(code)` exits with {code}.
(component
  (import "wasi:cli/exit@0.2.6" (instance $exit
    (export "exit-with-code" (func (param "status-code" u8)))))
  (alias export $exit "exit-with-code" (func $exit_with_code))
  (core func $exit_lowered (canon lower (func $exit_with_code)))
  (core module $Main
    (import "host" "exit-with-code" (func $exit (param i32)))
    (func (export "exit-with") (param i32) (call $exit (local.get 0))))
  (core instance $main (instantiate $Main
    (with "host" (instance (export "exit-with-code" (func $exit_lowered))))))
  (func (export "exit-with") (param "code" u8) (canon lift (core func $main "exit-with"))))
