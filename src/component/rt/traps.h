// Component-model traps as kinds (the trap_if sites of definitions.py), each with the text of the
// reference implementation that the component spec suite's `text` fields hold. A component trap
// is an engine::Trap of kind TrapKind::Component whose {component_code} is a ComponentTrap; core
// traps inside a component (unreachable, out of bounds, ...) stay engine TrapKinds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rill/engine/trap.h"

namespace rill::component::rt {

/// Why the canonical ABI or a canon built-in trapped. The texts are those of the suite; where
/// Wasmtime words a check differently at the host boundary than between two components, each
/// wording is its own kind (the Host* ones).
enum class ComponentTrap : uint16_t {
  // Instance flags (definitions.py may_leave, may_enter_from; Explainer.md invariant 1).
  CannotLeave,        ///< "cannot leave component instance"
  CannotEnter,        ///< "cannot enter component instance"
  Poisoned,           ///< "cannot enter component instance: it trapped earlier"
  // Handles (definitions.py Table.get, lift_own, lift_borrow, canon resource.*).
  UnknownHandle,      ///< "unknown handle index N"
  WrongHandleType,    ///< "handle index N used with the wrong type"
  OwnBorrowed,        ///< "cannot remove owned resource while borrowed"
  BorrowNotOwn,       ///< "cannot lift an own handle from a borrow"
  HandleTableFull,    ///< "resource handle table is full"
  BorrowsRemain,      ///< "borrow handles still remain at the end of the call"
  // Values in linear memory (load/store, load_string_from_range, load_list_from_range).
  UnalignedPointer,   ///< "unaligned pointer"
  StringOutOfBounds,  ///< "string content out-of-bounds" (between components)
  ListOutOfBounds,    ///< "list content out-of-bounds" (between components)
  ValuesOutOfBounds,  ///< "pointer/length out of bounds of memory" (spilled params or results)
  HostStringOutOfBounds,  ///< "string pointer/length out of bounds of memory" (host boundary)
  HostListOutOfBounds,    ///< "list pointer/length out of bounds of memory" (host boundary)
  ReallocOutOfBounds,     ///< "realloc return: beyond end of memory" (host boundary)
  ReallocUnaligned,       ///< "realloc return: result not aligned" (host boundary)
  StringTooLong,      ///< "string byte length exceeds the maximum" (MAX_STRING_BYTE_LENGTH)
  ListTooLong,        ///< "list byte length exceeds the maximum" (MAX_LIST_BYTE_LENGTH)
  InvalidUtf8,        ///< "invalid utf-8"
  IncompleteUtf8,     ///< "incomplete utf-8 byte sequence" (the string ends inside a character)
  InvalidUtf16,       ///< "invalid utf-16" (an unpaired surrogate)
  InvalidChar,        ///< "invalid `char` bit pattern"
  InvalidDiscriminant,  ///< "invalid variant discriminant"
  /// "canonical ABI option missing or of the wrong type" (memory, realloc)
  BadCanonOption,
  // Values from the host that do not fit the type they are lowered as.
  HostValueMismatch,  ///< "host value does not match its type"
  /// "the call lifts more than its budget of host memory for values" (Config::max_lift_bytes)
  LiftBudget,
  // Canon built-ins (definitions.py canon_context_*, canon_backpressure_*).
  NoCurrentTask,          ///< "context slots are only available during a call"
  BackpressureOverflow,   ///< "backpressure counter overflow"
  BackpressureUnderflow,  ///< "backpressure counter underflow"
  // The async runtime (issue 11): tasks, waitables, streams and futures.
  SyncTaskBlocked,        ///< "cannot block a synchronous task before returning"
  UnsupportedCallbackCode,  ///< "unsupported callback code"
  Deadlock,               ///< "deadlock detected: event loop cannot make further progress"
  SubtaskNotResolved,     ///< "cannot drop a subtask which has not yet resolved"
  WaitableSetHasWaiters,  ///< "cannot drop waitable set with waiters"
  WaitableInSet,  ///< "waitable cannot be used synchronously while added to a waitable set"
  LiftFutureInSet,        ///< "cannot lift future while it's in a waitable set"
  LiftStreamInSet,        ///< "cannot lift stream while it's in a waitable set"
  DropBusyStream,         ///< "cannot drop busy stream"
  RemoveBusyStream,       ///< "cannot remove busy stream"
  DropUnwrittenFuture,    ///< "cannot drop future write end without first writing a value"
  ConcurrentCopy,  ///< "cannot have concurrent operations active on a future/stream"
  LiftFutureAfterRead,    ///< "cannot lift future after previous read succeeded"
  /// "cannot lift stream after being notified that the writable end dropped"
  LiftStreamAfterDrop,
  IntraComponentFuture,   ///< "cannot read from and write to intra-component future"
  ReadFutureAfterRead,    ///< "cannot read from future after previous read succeeded"
  /// "cannot read from stream after being notified that the writable end dropped"
  ReadStreamAfterDrop,
  /// "cannot write to future after previous write succeeded or readable end dropped"
  WriteFutureAfterDone,
  /// "cannot write to stream after being notified that the readable end dropped"
  WriteStreamAfterDrop,
  IntraComponentStream,   ///< "cannot read from and write to intra-component stream"
  DropBusyFuture,         ///< "cannot drop busy future"
  RemoveBusyFuture,       ///< "cannot remove busy future"
  ChannelTypeMismatch,    ///< "type mismatch for stream or future handle"
  BufferTooLong,          ///< "stream buffer too long" (Buffer.MAX_LENGTH)
  NoCopyToCancel,         ///< "there is no copy in progress to cancel"
  SyncWaiter,             ///< "waitable is being waited on synchronously"
  WaitableSetNotEmpty,    ///< "cannot drop waitable set with waitables in it"
  TaskNoResult,           ///< "async-lifted export failed to produce a result"
  TaskReturnTwice,        ///< "cannot call `task.return` more than once"
  /// "invalid `task.return` signature and/or options for current task"
  TaskReturnMismatch,
  TaskCancelSync,         ///< "`task.cancel` called by a synchronous task"
  TaskCancelNotCancelled,  ///< "`task.cancel` called by a task which has not been cancelled"
  SubtaskCancelDelivered,  ///< "`subtask.cancel` called after terminal status delivered"
  SubtaskCancelTwice,     ///< "`subtask.cancel` called more than once"
  NoTask,                 ///< "cannot call an import outside of a task"
  ThreadCreate,           ///< "cannot create a thread" (no memory for its stack)
  UnknownThread,          ///< "unknown thread index"
  ThreadNotSuspended,     ///< "cannot resume a thread that is not suspended"
  InstanceDropped,        ///< "the instance was dropped" (a suspended call ended by teardown)
  // Not implemented yet: the message names what.
  NotSupported,  ///< "not supported yet"
};

/// The reference text of {k}.
const char* component_trap_text(ComponentTrap k);

/// A trap of kind {k} whose message is its text.
engine::Trap component_trap(ComponentTrap k);
/// The same with {detail} after the text ("<text>: <detail>"): context that keeps the text a
/// prefix of the message, so the suite's match rule still holds.
engine::Trap component_trap(ComponentTrap k, std::string_view detail);
/// A trap about handle {index}: "unknown handle index 5", "handle index 5 used with the wrong
/// type", otherwise "<text> (handle index 5)".
engine::Trap handle_trap(ComponentTrap k, uint32_t index);

/// True when {t} is the component trap {k}.
inline bool is_component_trap(const engine::Trap& t, ComponentTrap k) {
  return t.kind == engine::TrapKind::Component && t.component_code == static_cast<uint16_t>(k);
}

}  // namespace rill::component::rt
