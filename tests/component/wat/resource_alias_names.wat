;; wasi:http's `type trailers = fields`: an instance type re-exports a resource under a second
;; name, and the methods still name it by its first one (what dir.virt.wasm in
;; ../shared/fixtures/components does).
(component
  (import "rill:test/types@0.1.0" (instance
    (export "fields" (type (sub resource)))
    (export "trailers" (type (eq 0)))
    (type (borrow 0))
    (type (func (param "self" 2)))
    (export "[method]fields.clear" (func (type 3)))
  ))
)
