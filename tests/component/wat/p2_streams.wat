;; WASI 0.2 streams without the preview1 adapter, for tests/wasi/p2_host_test.cpp: `probe`
;; writes "hi" to stdout with blocking-write-and-flush and returns what came back: 0 for ok,
;; 1 for stream-error.last-operation-failed, 2 for stream-error.closed.
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
    (data (i32.const 64) "hi")
    (func (export "probe") (result i32)
      (call $write (call $get_stdout) (i32.const 64) (i32.const 2) (i32.const 0))
      (if (result i32) (i32.eqz (i32.load8_u (i32.const 0)))
        (then (i32.const 0))
        (else (i32.add (i32.load8_u (i32.const 4)) (i32.const 1))))))
  (core instance $main (instantiate $Main
    (with "env" (instance
      (export "mem" (memory $memory))
      (export "write" (func $write_lowered))
      (export "get-stdout" (func $get_stdout_lowered))))))
  (func (export "probe") (result u32) (canon lift (core func $main "probe"))))
