;; A guest that starts calls that never end (tests/component/thread_limit_test.cpp): flood(n)
;; async-lowers `hang` n times; each call blocks on its own fiber, waiting for a future nobody
;; writes. The store caps its live threads, so a large n traps instead of piling up stacks.
(component
  (component $H
    (type $F (future u32))
    (core module $Mem (memory (export "mem") 1))
    (core instance $mem (instantiate $Mem))
    (alias core export $mem "mem" (core memory $memory))
    (core func $f.new (canon future.new $F))
    (core func $f.read (canon future.read $F (memory $memory)))
    (core module $HM
      (import "" "f.new" (func $f.new (result i64)))
      (import "" "f.read" (func $f.read (param i32 i32) (result i32)))
      (func (export "hang") (drop (call $f.read (i32.wrap_i64 (call $f.new)) (i32.const 0)))))
    (core instance $hm (instantiate $HM
      (with "" (instance (export "f.new" (func $f.new)) (export "f.read" (func $f.read))))))
    (type $hang-t (func async))
    (func (export "hang") (type $hang-t) (canon lift (core func $hm "hang") async)))
  (component $D
    (type $hang-t (func async))
    (import "hang" (func $hang (type $hang-t)))
    (core func $hang (canon lower (func $hang) async))
    (core module $DM
      (import "" "hang" (func $hang (result i32)))
      (func (export "flood") (param $n i32) (result i32)
        (local $k i32)
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
            (drop (call $hang))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l)))
        (local.get $k)))
    (core instance $dm (instantiate $DM (with "" (instance (export "hang" (func $hang))))))
    (func (export "flood") (param "n" u32) (result u32) (canon lift (core func $dm "flood"))))
  (instance $h (instantiate $H))
  (instance $d (instantiate $D (with "hang" (func $h "hang"))))
  (export "flood" (func $d "flood")))
