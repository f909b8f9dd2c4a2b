// Guest memory faults: the process-wide SIGSEGV/SIGBUS handler, the per-thread alternate signal
// stack, and the registry of linear-memory reservations the handler consults. Memory (memory.cpp)
// registers its reservations; the interpreter sets {tl_fault_jmp} around guest code.
#pragma once

#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace rill::engine::signals {

/// Install the fault handler (once per process) and this thread's alternate signal stack (once
/// per thread). Cheap after the first call on a thread; call before running guest code.
void ensure_installed();

/// The interpreter sets this around guest execution; the handler siglongjmps to it (value 1)
/// when a fault hits a registered reservation. Null outside guest code. The handler is installed
/// with SA_NODEFER, so sigsetjmp(buf, 0) (no signal-mask save, no syscall) is enough.
/// constinit: other files access it directly instead of through a TLS wrapper call (cheaper, and
/// g++ 12 miscompiles the wrapper's null check under -fsanitize=null). volatile: the compiler
/// cannot see that a faulting access reads it, so without it a set-access-clear sequence may
/// lose the set; still keep an opaque call or std::atomic_signal_fence between the set and
/// non-volatile guest accesses.
extern constinit thread_local sigjmp_buf* volatile tl_fault_jmp;

/// Most reservations alive at once (8 GiB each: 16384 of them fill a 47-bit address space).
inline constexpr uint32_t kMaxReservations = 16384;

/// Record [begin, begin+size) as guest memory; false when the registry is full.
bool register_reservation(const void* begin, size_t size);
/// Forget the reservation starting at {begin} (registered earlier).
void unregister_reservation(const void* begin);
/// True when {addr} lies inside a registered reservation. Async-signal-safe (no locks, no malloc).
bool in_reservation(uintptr_t addr);

}  // namespace rill::engine::signals
