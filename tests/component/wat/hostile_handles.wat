;; A guest that makes resource handles in a loop and never drops them, for
;; tests/component/hostile_lift_test.cpp: make(n) calls resource.new n times and returns the
;; last handle. Past Config::max_component_handles live handles, resource.new traps.
(component
  (type $r (resource (rep i32)))
  (core func $new (canon resource.new $r))
  (core module $M
    (import "" "new" (func $new (param i32) (result i32)))
    (func (export "make") (param $n i32) (result i32)
      (local $i i32) (local $h i32)
      (block $done
        (loop $more
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $h (call $new (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $more)))
      (local.get $h)))
  (core instance $m (instantiate $M (with "" (instance (export "new" (func $new))))))
  (func (export "make") (param "n" u32) (result u32) (canon lift (core func $m "make"))))
