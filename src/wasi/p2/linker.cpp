// add_to_linker: one Host (the Context and its resource types) shared by every interface.
#include "rill/wasi/p2/host.h"

namespace rill::wasi::p2 {

void add_to_linker(ComponentLinker& linker) {
  add_to_linker(linker, nullptr);
}

void add_to_linker(ComponentLinker& linker, std::shared_ptr<Context> ctx) {
  auto h = std::make_shared<Host>(std::move(ctx));
  add_poll(linker, h);
  add_streams(linker, h);
  add_cli(linker, h);
  add_clocks_random(linker, h);
  add_filesystem(linker, h);
  add_sockets(linker, h);
}

}  // namespace rill::wasi::p2
