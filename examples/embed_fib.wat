;; The guest module of embed_fib.cpp; its bytes are embedded in fib_wasm.h.
;; Regenerate: wat2wasm --debug-names embed_fib.wat -o - | xxd -i (wabt's wat2wasm).
(module $fib_demo
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "fib table written")
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (call $add
              (call $fib (i32.sub (local.get $n) (i32.const 1)))
              (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; Writes fib(0..n-1) as i32s from address 64, logs a message from memory, returns n.
  (func $fill (export "fill") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store offset=64 (i32.shl (local.get $i) (i32.const 2)) (call $fib (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $log (i32.const 0) (i32.const 17))
    (local.get $n))
  (func $div (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
