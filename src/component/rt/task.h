// Component-Model concurrency at run time (definitions.py "Concurrency", CanonicalABI.md
// "Thread State", "Task State", "Waitable State", "Subtask State"; Concurrency.md): threads,
// tasks, the store's scheduler, waitables, waitable sets and subtasks.
//
// Execution model. Every lifted call is a Task with an implicit Thread. A thread that may block
// while its caller goes on (an `async` function, or one lifted with the async ABI) runs on a
// native fiber of its own (engine/fiber.h): blocking suspends the fiber and control returns to
// whoever resumed it, as definitions.py's `block` returns to `resume`. A sync call of a sync
// function runs inline on its caller's stack (the caller could do nothing but wait for it), so
// the common call costs no switch; if such a thread blocks, it runs definitions.py's sync-call
// loop (the callee instance's other ready threads) right there and traps when none is ready.
//
// The scheduler belongs to the store (engine::StoreExtension). A trap on a fiber is kept in the
// scheduler and returned by every resume up to the host call, poisoning the instances it passes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "rill/component/rt/instance.h"
#include "rill/component/rt/traps.h"
#include "rill/engine/fiber.h"

namespace rill::component::rt {

/// What a blocked thread was resumed with: definitions.py Cancelled, plus Aborted when its
/// instance or store is dropped (the built-in that blocked then traps).
enum class Block : uint8_t { Resumed = 0, Cancelled = 1, Aborted = 2 };

class Scheduler;

/// definitions.py Thread.
struct Thread {
  enum class State : uint8_t { Running, Suspended, Waiting, Done };
  std::shared_ptr<Task> task;
  Scheduler* sched = nullptr;
  State state = State::Suspended;
  bool cancellable = false;
  /// Runs on its resumer's stack (a sync call of a sync function): never suspended by a switch.
  bool inline_ = false;
  uint32_t index = 0;  ///< in task->inst->threads; 0: not registered
  uint64_t storage[2] = {0, 0};
  std::function<bool()> ready_func;  ///< while Waiting
  std::unique_ptr<engine::Fiber> fiber;
  /// The thread's work: the thread ends (Done) when it returns; a trap ends the store's run.
  std::function<MaybeTrap()> body;
  Block block_result = Block::Resumed;
  Thread* switch_to = nullptr;  ///< set by a block that hands over to another thread

  bool running() const { return state == State::Running; }
  bool suspended() const { return state == State::Suspended; }
  bool waiting() const { return state == State::Waiting; }
  bool ready() const { return state == State::Waiting && ready_func(); }
};

/// definitions.py Task: one call of a lifted function.
struct Task {
  enum class State : uint8_t { Initial, Started, PendingCancel, CancelDelivered, Resolved };
  /// The lifted function's type (owned by it; tasks end before their instance does).
  const FuncTypeRt* ft = nullptr;
  CanonOpts opts;
  ComponentInstanceRt* inst = nullptr;
  ComponentInstanceRt* caller = nullptr;
  ArgsFn on_start;
  ResultsFn on_resolve;
  State state = State::Initial;
  uint32_t num_borrows = 0;
  Thread* implicit_thread = nullptr;
  /// Registered threads; inline so a sync call allocates nothing for its one thread.
  boost::container::small_vector<Thread*, 2> threads;

  bool is_async_type() const { return ft && ft->async; }
  /// definitions.py needs_exclusive: the implicit per-instance lock of the sync and callback ABIs.
  bool needs_exclusive() const { return !opts.async || opts.callback != nullptr; }
  bool resolved() const { return state == State::Resolved; }

  void register_thread(Thread* t);
  /// Traps when the last thread leaves an unresolved task.
  MaybeTrap unregister_thread(Thread* t);
  /// Calls on_start (Started); the arguments go to {storage}/{args}.
  MaybeTrap start(std::vector<Value>& storage, std::span<const Value>& args);
  MaybeTrap return_(std::vector<Value>& results);
  MaybeTrap cancel();
  bool deliver_pending_cancel(bool cancellable);
  MaybeTrap request_cancellation(ComponentInstanceRt* by);
};

/// definitions.py EventCode / EventTuple.
enum class EventCode : uint32_t {
  None = 0,
  Subtask = 1,
  StreamRead = 2,
  StreamWrite = 3,
  FutureRead = 4,
  FutureWrite = 5,
  TaskCancelled = 6,
};
struct Event {
  EventCode code = EventCode::None;
  uint32_t p1 = 0;
  uint32_t p2 = 0;
};

struct WaitableSet;

/// definitions.py Waitable: something that delivers one pending event at a time.
struct Waitable : TableObject {
  std::function<Event()> pending_event;
  WaitableSet* wset = nullptr;
  bool has_sync_waiter = false;

  ~Waitable() override;
  bool has_pending_event() const { return static_cast<bool>(pending_event); }
  Event get_pending_event();
  void join(WaitableSet* s);
  /// Blocks the current thread until an event is pending (never cancelled).
  MaybeTrap wait_for_pending_event();
};

/// definitions.py WaitableSet.
struct WaitableSet : TableObject {
  std::vector<Waitable*> elems;
  uint32_t num_waiting = 0;
  /// Rotates through the elements so no waitable starves the others.
  size_t next = 0;

  ~WaitableSet() override;
  bool has_pending_event() const;
  Event get_pending_event();
};

/// definitions.py Subtask: the caller's view of a call made with `canon lower`.
struct Subtask : Waitable {
  enum class State : uint32_t {
    Starting = 0,
    Started = 1,
    Returned = 2,
    CancelledBeforeStarted = 3,
    CancelledBeforeReturned = 4,
  };
  State state = State::Starting;
  CancelFn on_cancel;
  LendScope lenders;
  bool lenders_released = false;
  bool cancellation_requested = false;
  std::vector<engine::Value> flat_results;
  /// Set by canon lower once the subtask is in the caller's table (on_progress).
  std::function<void()> on_progress;

  bool resolved() const { return state >= State::Returned; }
  bool resolve_delivered() const { return lenders_released; }
  void deliver_resolve();
};

/// definitions.py ErrorContext.
struct ErrorContext : TableObject {
  std::string debug_message;
};

/// One call of an asynchronous host function (HostFuncRt::async_fn), ended once by the host:
/// resolve (its results are lowered into the caller, whose subtask then has an event), fail
/// (the store's run traps) or, after the caller asked to cancel (on_cancel), cancelled. Until
/// then the caller's thread waits, and a scheduler with nothing else to run runs the thread's
/// io_context (engine/reactor.h), where the host completes its work.
struct HostCall {
  ResultsFn on_resolve;
  FuncTypePtr type;
  Scheduler* sched = nullptr;
  bool done = false;
  bool cancel_requested = false;
  std::function<void()> on_cancel;

  void resolve(std::vector<Value> results);
  void fail(Trap t);
  void cancelled();

 private:
  bool finish();
};

/// The store's scheduler: the current thread, the waiting threads, and the trap that ends a run.
class Scheduler final : public engine::StoreExtension {
 public:
  /// The scheduler of {store}, created on first use.
  static Scheduler& of(engine::Store& store);
  ~Scheduler() override;

  Thread* current() const { return current_; }
  /// Runs the inline thread {t} (its first resume, with {body} as the thread's work) right here.
  template <class Body>
  MaybeTrap run_inline(Thread* t, Body&& body) {
    t->state = Thread::State::Running;
    Thread* prev = std::exchange(current_, t);
    MaybeTrap r = body();
    current_ = prev;
    t->state = Thread::State::Done;
    if (r) {
      poison(t->task->inst);
      set_trap(std::move(*r));
    }
    if (trap_) return trap_;
    return std::nullopt;
  }
  /// Whether a ready thread might unblock {self}: one in the same top-level component
  /// instance (threads of other top-level instances of the store do not count).
  bool may_unblock(const Thread* self) const;
  /// A fresh task, reused from a small pool when no one holds it any more.
  std::shared_ptr<Task> new_task();
  /// Drops every reference the scheduler and {t}'s instance keep to {t}, which is going away.
  void forget(Thread* t);
  /// Makes {t} current; returns the thread that was.
  Thread* exchange_current(Thread* t) { return std::exchange(current_, t); }

  /// A thread of {task} that runs {body}, on a fiber unless {inline_thread}.
  /// Not registered with the task yet. An Error past engine Config::max_component_threads
  /// fiber threads alive in the store, or when no stack can be mapped.
  Result<std::shared_ptr<Thread>> new_thread(const std::shared_ptr<Task>& task,
                                             std::function<MaybeTrap()> body, bool inline_thread);

  /// definitions.py Thread.resume: runs {t} (and any thread it hands over to) until it blocks
  /// or ends. Returns the run's trap, if one happened.
  MaybeTrap resume(Thread* t, Block how = Block::Resumed);
  /// definitions.py block: the current thread {self} stops until resumed. Its state
  /// (Suspended/Waiting) is set by the caller. With {switch_to}, that thread runs next.
  Block block(Thread* self, Thread* switch_to = nullptr);

  // definitions.py Thread methods on the current thread.
  Block suspend(Thread* self, bool cancellable);
  /// Returns at once when {ready} already holds (definitions.py may do either), unless
  /// {always_switch}: a yield lets the other ready threads run first.
  Block wait_until(Thread* self, std::function<bool()> ready, bool cancellable, bool always_switch = false);
  Block yield(Thread* self, bool cancellable) {
    return wait_until(self, [] { return true; }, cancellable, true);
  }
  Block suspend_then_resume(Thread* self, bool cancellable, Thread* other);
  Block yield_then_resume(Thread* self, bool cancellable, Thread* other);
  Block suspend_then_promote(Thread* self, bool cancellable, Thread* other);
  Block yield_then_promote(Thread* self, bool cancellable, Thread* other);
  void resume_later(Thread* t);

  /// The sync-call loop (end of definitions.py canon_lift): until {task} resolves, runs ready
  /// threads of its instance (not the one holding the exclusive lock); traps when none is.
  MaybeTrap run_until_resolved_sync(Task& task);
  /// Store.tick until {done}: any ready thread of the store runs; traps ("deadlock detected")
  /// when none is ready.
  MaybeTrap run_until(const std::function<bool()>& done);

  /// The pending trap of the run (taken), or a trap of kind {fallback}.
  Trap take_trap(ComponentTrap fallback);
  bool has_trap() const { return trap_.has_value(); }
  void set_trap(Trap t) {
    if (!trap_) trap_ = std::move(t);
  }
  /// Resumes every suspended or waiting thread of {inst} with Aborted until it ends.
  void abort_threads_of(ComponentInstanceRt* inst);

  uint32_t nesting_depth = 0;
  /// Asynchronous host calls not ended yet: while there are some, a scheduler with no ready
  /// thread runs the thread's io_context instead of reporting a deadlock.
  uint32_t pending_host_calls = 0;

 private:
  Thread* next_ready() const;
  /// Runs one handler of the thread's io_context (waits for one): how host calls end.
  void run_io_once();
  MaybeTrap tick(Thread* pick);
  void start_waiting(Thread* t, std::function<bool()> ready);
  void stop_waiting(Thread* t);
  Block block_inline(Thread* self, Thread* switch_to);
  Block block_inline_loop(Thread* self, Thread* switch_to);
  void reap(Thread* t);
  /// Ends {t}: drops it when it never ran, else resumes it with Aborted.
  void abort(Thread* t);

  Thread* current_ = nullptr;
  std::vector<Thread*> waiting_;
  std::vector<std::shared_ptr<Thread>> live_;  ///< fiber threads until they end
  MaybeTrap trap_;
  std::vector<std::shared_ptr<Task>> task_pool_;
};

/// Wasmtime's eager form of "a sync task may not block": a built-in that may block (a
/// synchronous wait, read, write, cancel or call of an `async` function, thread.suspend) traps
/// at once when called by a task whose function is not `async` and has not returned yet, even if
/// it would not have blocked, unless a ready thread might unblock it (Scheduler::may_unblock; the
/// suite's trap-if-block-and-sync, dont-block-start and
/// during-sync-call-may-block-if-other-ready-threads). Blocking with no thread that may run
/// then traps as a deadlock.
MaybeTrap check_may_block(const Thread* self);

/// The thread the current guest code runs on, creating a thread and task for code that runs
/// outside any call (a core start function during instantiation).
Thread* current_thread(ComponentInstanceRt* inst);


}  // namespace rill::component::rt
