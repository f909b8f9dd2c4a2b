// Texts of the component trap kinds (traps.h) and the traps built from them.
#include "rill/component/rt/traps.h"

namespace rill::component::rt {

const char* component_trap_text(ComponentTrap k) {
  using T = ComponentTrap;
  switch (k) {
    case T::CannotLeave: return "cannot leave component instance";
    case T::CannotEnter: return "cannot enter component instance";
    case T::Poisoned: return "cannot enter component instance: it trapped earlier";
    case T::UnknownHandle: return "unknown handle index";
    case T::WrongHandleType: return "handle index used with the wrong type";
    case T::OwnBorrowed: return "cannot remove owned resource while borrowed";
    case T::BorrowNotOwn: return "cannot lift an own handle from a borrow";
    case T::HandleTableFull: return "resource handle table is full";
    case T::BorrowsRemain: return "borrow handles still remain at the end of the call";
    case T::UnalignedPointer: return "unaligned pointer";
    case T::StringOutOfBounds: return "string content out-of-bounds";
    case T::ListOutOfBounds: return "list content out-of-bounds";
    case T::ValuesOutOfBounds: return "pointer/length out of bounds of memory";
    case T::HostStringOutOfBounds: return "string pointer/length out of bounds of memory";
    case T::HostListOutOfBounds: return "list pointer/length out of bounds of memory";
    case T::ReallocOutOfBounds: return "realloc return: beyond end of memory";
    case T::ReallocUnaligned: return "realloc return: result not aligned";
    case T::StringTooLong: return "string byte length exceeds the maximum";
    case T::ListTooLong: return "list byte length exceeds the maximum";
    case T::InvalidUtf8: return "invalid utf-8";
    case T::IncompleteUtf8: return "incomplete utf-8 byte sequence";
    case T::InvalidUtf16: return "invalid utf-16";
    case T::InvalidChar: return "invalid `char` bit pattern";
    case T::InvalidDiscriminant: return "invalid variant discriminant";
    case T::BadCanonOption: return "canonical ABI option missing or of the wrong type";
    case T::HostValueMismatch: return "host value does not match its type";
    case T::LiftBudget: return "the call lifts more than its budget of host memory for values";
    case T::NoCurrentTask: return "context slots are only available during a call";
    case T::BackpressureOverflow: return "backpressure counter overflow";
    case T::BackpressureUnderflow: return "backpressure counter underflow";
    case T::SyncTaskBlocked: return "cannot block a synchronous task before returning";
    case T::UnsupportedCallbackCode: return "unsupported callback code";
    case T::Deadlock: return "deadlock detected: event loop cannot make further progress";
    case T::SubtaskNotResolved: return "cannot drop a subtask which has not yet resolved";
    case T::WaitableSetHasWaiters: return "cannot drop waitable set with waiters";
    case T::WaitableInSet: return "waitable cannot be used synchronously while added to a waitable set";
    case T::LiftFutureInSet: return "cannot lift future while it's in a waitable set";
    case T::LiftStreamInSet: return "cannot lift stream while it's in a waitable set";
    case T::DropBusyStream: return "cannot drop busy stream";
    case T::RemoveBusyStream: return "cannot remove busy stream";
    case T::DropUnwrittenFuture: return "cannot drop future write end without first writing a value";
    case T::ConcurrentCopy: return "cannot have concurrent operations active on a future/stream";
    case T::LiftFutureAfterRead: return "cannot lift future after previous read succeeded";
    case T::LiftStreamAfterDrop:
      return "cannot lift stream after being notified that the writable end dropped";
    case T::IntraComponentFuture: return "cannot read from and write to intra-component future";
    case T::ReadFutureAfterRead: return "cannot read from future after previous read succeeded";
    case T::ReadStreamAfterDrop:
      return "cannot read from stream after being notified that the writable end dropped";
    case T::WriteFutureAfterDone:
      return "cannot write to future after previous write succeeded or readable end dropped";
    case T::WriteStreamAfterDrop:
      return "cannot write to stream after being notified that the readable end dropped";
    case T::IntraComponentStream: return "cannot read from and write to intra-component stream";
    case T::DropBusyFuture: return "cannot drop busy future";
    case T::RemoveBusyFuture: return "cannot remove busy future";
    case T::ChannelTypeMismatch: return "type mismatch for stream or future handle";
    case T::BufferTooLong: return "stream buffer too long";
    case T::NoCopyToCancel: return "there is no copy in progress to cancel";
    case T::SyncWaiter: return "waitable is being waited on synchronously";
    case T::WaitableSetNotEmpty: return "cannot drop waitable set with waitables in it";
    case T::TaskNoResult: return "async-lifted export failed to produce a result";
    case T::TaskReturnTwice: return "cannot call `task.return` more than once";
    case T::TaskReturnMismatch: return "invalid `task.return` signature and/or options for current task";
    case T::TaskCancelSync: return "`task.cancel` called by a synchronous task";
    case T::TaskCancelNotCancelled: return "`task.cancel` called by a task which has not been cancelled";
    case T::SubtaskCancelDelivered: return "`subtask.cancel` called after terminal status delivered";
    case T::SubtaskCancelTwice: return "`subtask.cancel` called more than once";
    case T::NoTask: return "cannot call an import outside of a task";
    case T::ThreadCreate: return "cannot create a thread";
    case T::UnknownThread: return "unknown thread index";
    case T::ThreadNotSuspended: return "cannot resume a thread that is not suspended";
    case T::InstanceDropped: return "the instance was dropped";
    case T::NotSupported: return "not supported yet";
  }
  return "component trap";
}

namespace {
engine::Trap make(ComponentTrap k, std::string message) {
  engine::Trap t = engine::Trap::make(engine::TrapKind::Component);
  t.message = std::move(message);
  t.component_code = static_cast<uint16_t>(k);
  return t;
}
}  // namespace

engine::Trap component_trap(ComponentTrap k) { return make(k, component_trap_text(k)); }

engine::Trap component_trap(ComponentTrap k, std::string_view detail) {
  std::string m = component_trap_text(k);
  m += ": ";
  m += detail;
  return make(k, std::move(m));
}

engine::Trap handle_trap(ComponentTrap k, uint32_t index) {
  const std::string n = std::to_string(index);
  switch (k) {
    case ComponentTrap::UnknownHandle: return make(k, "unknown handle index " + n);
    case ComponentTrap::WrongHandleType: return make(k, "handle index " + n + " used with the wrong type");
    default: return make(k, std::string(component_trap_text(k)) + " (handle index " + n + ")");
  }
}

}  // namespace rill::component::rt
