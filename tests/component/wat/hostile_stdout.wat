;; A hostile WASI 0.2 writer, for tests/wasi/p2_hostile_test.cpp: `write-stdout(n)` grows its
;; memory to n bytes of 'x'... (zeros past the first page) and hands all n to stdout in one
;; blocking-write-and-flush, ignoring check-write; it returns 0 for ok, 1 for
;; stream-error.last-operation-failed, 2 for stream-error.closed. `give(n)` returns n bytes of
;; 'x' as a list<u8> (what `rill run --invoke` then prints).
(component
  (import "wasi:io/error@0.2.0" (instance $err (export "error" (type (sub resource)))))
  (alias export $err "error" (type $error))
  (type $streams_t (instance
    (alias outer 1 $error (type $e))
    (export "error" (type $e2 (eq $e)))
    (export "output-stream" (type $os (sub resource)))
    (type $se (variant (case "last-operation-failed" (own $e2)) (case "closed")))
    (export "stream-error" (type $se2 (eq $se)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8)) (result (result (error $se2)))))))
  (import "wasi:io/streams@0.2.0" (instance $streams (type $streams_t)))
  (alias export $streams "output-stream" (type $output_stream))
  (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))
  (type $stdout_t (instance
    (alias outer 1 $output_stream (type $o))
    (export "output-stream" (type $o2 (eq $o)))
    (export "get-stdout" (func (result (own $o2))))))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout (type $stdout_t)))
  (alias export $stdout "get-stdout" (func $get_stdout))

  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (alias core export $mem "mem" (core memory $memory))
  (core func $write_lowered (canon lower (func $write) (memory $memory)))
  (core func $get_stdout_lowered (canon lower (func $get_stdout)))
  (core module $Main
    (import "env" "mem" (memory 1))
    (import "env" "write" (func $write (param i32 i32 i32 i32)))
    (import "env" "get-stdout" (func $get_stdout (result i32)))
    (func (export "write-stdout") (param $n i32) (result i32)
      (local $pages i32)
      (local.set $pages (i32.sub (i32.wrap_i64 (i64.shr_u (i64.add (i64.extend_i32_u (local.get $n))
                                                                   (i64.const 65535)) (i64.const 16)))
                                 (memory.size)))
      (if (i32.gt_s (local.get $pages) (i32.const 0))
        (then (drop (memory.grow (local.get $pages)))))
      (memory.fill (i32.const 0) (i32.const 120) (i32.const 65536))
      (call $write (call $get_stdout) (i32.const 0) (local.get $n) (i32.const 0))
      (if (result i32) (i32.eqz (i32.load8_u (i32.const 0)))
        (then (i32.const 0))
        (else (i32.add (i32.load8_u (i32.const 4)) (i32.const 1)))))
    ;; give(n) -> list<u8>: n bytes of 'x' from address 16 (the result's (ptr, len) at 0).
    (func (export "give") (param $n i32) (result i32)
      (local $pages i32)
      (local.set $pages (i32.sub (i32.wrap_i64 (i64.shr_u (i64.add (i64.extend_i32_u (local.get $n))
                                                                   (i64.const 65551)) (i64.const 16)))
                                 (memory.size)))
      (if (i32.gt_s (local.get $pages) (i32.const 0))
        (then (drop (memory.grow (local.get $pages)))))
      (memory.fill (i32.const 16) (i32.const 120) (local.get $n))
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (local.get $n))
      (i32.const 0)))
  (core instance $main (instantiate $Main
    (with "env" (instance
      (export "mem" (memory $memory))
      (export "write" (func $write_lowered))
      (export "get-stdout" (func $get_stdout_lowered))))))
  (func (export "write-stdout") (param "n" u32) (result u32)
    (canon lift (core func $main "write-stdout")))
  (func (export "give") (param "n" u32) (result (list u8))
    (canon lift (core func $main "give") (memory $memory))))
