;; Imports an interface by a versioned name (to test semver-compatible linking) and a host
;; resource with a method, and exports functions that use them.
(component
  (import "test:demo/math@0.2.0" (instance $m
    (export "double" (func (param "a" u32) (result u32)))))
  (import "test:demo/store@1.1.0" (instance $s
    (export "box" (type $box (sub resource)))
    (export "[constructor]box" (func (param "v" u32) (result (own $box))))
    (export "[method]box.get" (func (param "self" (borrow $box)) (result u32)))))
  (alias export $m "double" (func $double))
  (alias export $s "box" (type $box))
  (alias export $s "[constructor]box" (func $new_box))
  (alias export $s "[method]box.get" (func $box_get))
  (core func $double_lowered (canon lower (func $double)))
  (core func $new_box_lowered (canon lower (func $new_box)))
  (core func $box_get_lowered (canon lower (func $box_get)))
  (core func $box_drop (canon resource.drop $box))
  (core module $M
    (import "host" "double" (func $d (param i32) (result i32)))
    (import "host" "new-box" (func $new (param i32) (result i32)))
    (import "host" "box-get" (func $get (param i32) (result i32)))
    (import "host" "box-drop" (func $drop (param i32)))
    (func (export "quad") (param i32) (result i32) (call $d (call $d (local.get 0))))
    ;; Makes a box, reads it back, drops it.
    (func (export "roundtrip") (param i32) (result i32)
      (local $h i32) (local $v i32)
      (local.set $h (call $new (local.get 0)))
      (local.set $v (call $get (local.get $h)))
      (call $drop (local.get $h))
      (local.get $v))
    ;; Uses a handle after dropping it: must trap.
    (func (export "use-after-drop") (param i32) (result i32)
      (local $h i32)
      (local.set $h (call $new (local.get 0)))
      (call $drop (local.get $h))
      (call $get (local.get $h))))
  (core instance $host
    (export "double" (func $double_lowered))
    (export "new-box" (func $new_box_lowered))
    (export "box-get" (func $box_get_lowered))
    (export "box-drop" (func $box_drop)))
  (core instance $i (instantiate $M (with "host" (instance $host))))
  (func (export "quad") (param "a" u32) (result u32) (canon lift (core func $i "quad")))
  (func (export "roundtrip") (param "v" u32) (result u32) (canon lift (core func $i "roundtrip")))
  (func (export "use-after-drop") (param "v" u32) (result u32) (canon lift (core func $i "use-after-drop")))
)
