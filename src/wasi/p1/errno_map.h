// Mapping from host (Linux) errno values to preview1 Errno. The reverse is never needed.
#pragma once

#include "rill/wasi/p1/abi.h"

namespace rill::wasi::p1 {

/// The preview1 errno for host errno {e}; unknown values become Errno::Io.
Errno from_host_errno(int e);
/// from_host_errno(errno), for use right after a failed system call.
Errno last_errno();

}  // namespace rill::wasi::p1
