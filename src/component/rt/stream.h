// Streams and futures at run time (definitions.py "Buffer State", "Stream State", "Future
// State"; Concurrency.md "Streams and Futures"). Copies are rendezvous: nothing is buffered in
// the host. A copy waits in the shared object with the guest buffer it was given until the other
// end posts one; then the elements go straight from the writer's memory to the reader's (one
// memcpy for numbers; lifted and lowered one by one otherwise, which moves owned handles).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "rill/component/rt/abi.h"
#include "rill/component/rt/task.h"

namespace rill::component::rt {

/// definitions.py BufferGuestImpl: {length} elements of {t} at {ptr} in the memory of {opts}.
struct Buffer {
  CanonOpts opts;
  ComponentInstanceRt* inst = nullptr;
  RTypePtr t;  ///< null: a stream/future without an element type
  uint32_t ptr = 0;
  uint32_t length = 0;
  uint32_t progress = 0;
  uint32_t remain() const { return length - progress; }
  bool is_zero_length() const { return length == 0; }
};

enum class CopyResult : uint32_t { Completed = 0, Dropped = 1, Cancelled = 2 };
inline constexpr uint32_t kBlocked = 0xffffffffu;

/// Called when elements were copied into or out of the pending buffer; the argument releases
/// that buffer (definitions.py OnCopy / ReclaimBuffer).
using OnCopy = std::function<void(std::function<void()> reclaim)>;
using OnCopyDone = std::function<void(CopyResult)>;

/// definitions.py SharedStreamImpl and SharedFutureImpl: what both ends of one stream or
/// future share.
struct SharedChannel {
  bool future = false;
  RTypePtr t;
  bool dropped = false;
  ComponentInstanceRt* pending_inst = nullptr;
  Buffer* pending_buffer = nullptr;
  OnCopy pending_on_copy;
  OnCopyDone pending_on_copy_done;

  void reset_pending();
  void reset_and_notify_pending(CopyResult r);
  void cancel() { reset_and_notify_pending(CopyResult::Cancelled); }
  void drop();
  MaybeTrap read(ComponentInstanceRt* inst, Buffer* dst, OnCopy on_copy, OnCopyDone on_copy_done);
  MaybeTrap write(ComponentInstanceRt* inst, Buffer* src, OnCopy on_copy, OnCopyDone on_copy_done);

 private:
  /// read and write: {buf} is the reader's (writing false) or the writer's buffer.
  MaybeTrap copy(ComponentInstanceRt* inst, Buffer* buf, bool writing, OnCopy on_copy, OnCopyDone on_copy_done);
};

/// definitions.py CopyEnd: one end of a stream or future in an instance's table.
struct CopyEnd : Waitable {
  enum class State : uint8_t { Idle, Copying, CancellingCopy, Done };
  State state = State::Idle;
  HandleKind kind = HandleKind::StreamReadable;
  std::shared_ptr<SharedChannel> shared;
  std::unique_ptr<Buffer> buffer;  ///< the copy in progress (or last copy, until its event)

  bool copying() const { return state == State::Copying || state == State::CancellingCopy; }
};

/// Lifting and lowering the ends and error contexts that values carry (definitions.py
/// lift_stream / lift_future / lift_error_context and the lower_* counterparts).
bool lift_async_end(Cx& cx, uint32_t i, const RType& t, Value& out);
bool lower_async_end(Cx& cx, const Value& v, const RType& t, uint32_t& out);
bool lift_error_context(Cx& cx, uint32_t i, Value& out);
bool lower_error_context(Cx& cx, const Value& v, uint32_t& out);

}  // namespace rill::component::rt
