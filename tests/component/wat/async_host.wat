;; A guest of asynchronous host functions (tests/component/async_host_test.cpp): `slow-add`
;; ends later (the host completes it from a timer on the thread's io_context), `never` only when
;; cancelled. chain(n) makes n sync calls in a row, fan-out(n) n async calls at once and waits
;; for them in a waitable set, cancel-never cancels a call of `never`.
(component
  (type $slow-add-t (func async (param "a" u32) (param "b" u32) (result u32)))
  (type $never-t (func async (result u32)))
  (import "slow-add" (func $slow-add (type $slow-add-t)))
  (import "never" (func $never (type $never-t)))
  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (alias core export $mem "mem" (core memory $memory))
  (core func $slow-add-sync (canon lower (func $slow-add)))
  (core func $slow-add-async (canon lower (func $slow-add) async (memory $memory)))
  (core func $never-async (canon lower (func $never) async (memory $memory)))
  (core func $ws.new (canon waitable-set.new))
  (core func $ws.wait (canon waitable-set.wait (memory $memory)))
  (core func $join (canon waitable.join))
  (core func $sub.drop (canon subtask.drop))
  (core func $sub.cancel (canon subtask.cancel))
  (core func $ret (canon task.return (result u32)))
  (core module $M
    (import "" "mem" (memory 1))
    (import "" "slow-add-sync" (func $slow-add-sync (param i32 i32) (result i32)))
    (import "" "slow-add-async" (func $slow-add-async (param i32 i32 i32) (result i32)))
    (import "" "never-async" (func $never-async (param i32) (result i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "ws.wait" (func $ws.wait (param i32 i32) (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "sub.drop" (func $sub.drop (param i32)))
    (import "" "sub.cancel" (func $sub.cancel (param i32) (result i32)))
    (import "" "ret" (func $ret (param i32)))
    (func (export "chain") (param $n i32)
      (local $acc i32)
      (block $done
        (loop $l
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (call $slow-add-sync (local.get $acc) (i32.const 1)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $l)))
      (call $ret (local.get $acc)))
    (func (export "fan-out") (param $n i32)
      (local $ws i32) (local $k i32) (local $r i32) (local $pending i32) (local $sum i32)
      (local.set $ws (call $ws.new))
      (block $started
        (loop $l
          (br_if $started (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $r (call $slow-add-async (local.get $k) (local.get $k)
                                              (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 2)))))
          (if (i32.ne (i32.and (local.get $r) (i32.const 15)) (i32.const 2))
            (then
              (call $join (i32.shr_u (local.get $r) (i32.const 4)) (local.get $ws))
              (local.set $pending (i32.add (local.get $pending) (i32.const 1)))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $l)))
      (block $all
        (loop $w
          (br_if $all (i32.eqz (local.get $pending)))
          ;; SUBTASK (1) events; RETURNED (2) ends one call.
          (if (i32.ne (call $ws.wait (local.get $ws) (i32.const 8)) (i32.const 1)) (then unreachable))
          (if (i32.eq (i32.load (i32.const 12)) (i32.const 2))
            (then
              (call $sub.drop (i32.load (i32.const 8)))
              (local.set $pending (i32.sub (local.get $pending) (i32.const 1)))))
          (br $w)))
      (local.set $k (i32.const 0))
      (block $summed
        (loop $s
          (br_if $summed (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $sum (i32.add (local.get $sum)
                                   (i32.load (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 2))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $s)))
      (call $ret (local.get $sum)))
    (func (export "cancel-never")
      (local $r i32) (local $st i32)
      (local.set $r (call $never-async (i32.const 16)))
      (if (i32.ne (i32.and (local.get $r) (i32.const 15)) (i32.const 1)) (then unreachable))
      (local.set $st (call $sub.cancel (i32.shr_u (local.get $r) (i32.const 4))))
      (call $sub.drop (i32.shr_u (local.get $r) (i32.const 4)))
      (call $ret (local.get $st))))
  (core instance $m (instantiate $M
    (with "" (instance
      (export "mem" (memory $memory))
      (export "slow-add-sync" (func $slow-add-sync)) (export "slow-add-async" (func $slow-add-async))
      (export "never-async" (func $never-async))
      (export "ws.new" (func $ws.new)) (export "ws.wait" (func $ws.wait)) (export "join" (func $join))
      (export "sub.drop" (func $sub.drop)) (export "sub.cancel" (func $sub.cancel)) (export "ret" (func $ret))))))
  (type $n-t (func async (param "n" u32) (result u32)))
  (type $none-t (func async (result u32)))
  (func (export "chain") (type $n-t) (canon lift (core func $m "chain") async))
  (func (export "fan-out") (type $n-t) (canon lift (core func $m "fan-out") async))
  (func (export "cancel-never") (type $none-t) (canon lift (core func $m "cancel-never") async)))
