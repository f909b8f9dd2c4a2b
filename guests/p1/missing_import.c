// Imports a preview1 function that does not exist: `rill run` must refuse to link it.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("not_a_function")))
int not_a_function(void);

int main(void) {
  return not_a_function();
}
