// The scheduler, threads, tasks, waitables and subtasks (task.h), after definitions.py.
#include "rill/component/rt/task.h"

#include <algorithm>

#include <boost/asio/io_context.hpp>

#include "rill/engine/reactor.h"

namespace rill::component::rt {

// ---- tasks ------------------------------------------------------------------------------------

void Task::register_thread(Thread* t) {
  threads.push_back(t);
  t->index = inst->threads.add(t);
}

MaybeTrap Task::unregister_thread(Thread* t) {
  threads.erase(std::remove(threads.begin(), threads.end(), t), threads.end());
  if (t->index != 0) inst->threads.remove(t->index);
  t->index = 0;
  if (threads.empty() && state != State::Resolved)
    return component_trap(ComponentTrap::TaskNoResult);
  return std::nullopt;
}

MaybeTrap Task::start(std::vector<Value>& storage, std::span<const Value>& args) {
  state = State::Started;
  return on_start(storage, args);
}

MaybeTrap Task::return_(std::vector<Value>& results) {
  if (state == State::Resolved) return component_trap(ComponentTrap::TaskReturnTwice);
  if (num_borrows > 0) return component_trap(ComponentTrap::BorrowsRemain);
  state = State::Resolved;
  ResultsFn f = std::move(on_resolve);  // what it holds goes with the call
  on_resolve = nullptr;
  on_start = nullptr;
  return f(&results);
}

MaybeTrap Task::cancel() {
  if (state != State::CancelDelivered)
    return component_trap(ComponentTrap::TaskCancelNotCancelled);
  if (num_borrows > 0) return component_trap(ComponentTrap::BorrowsRemain);
  state = State::Resolved;
  ResultsFn f = std::move(on_resolve);
  on_resolve = nullptr;
  on_start = nullptr;
  return f(nullptr);
}

bool Task::deliver_pending_cancel(bool cancellable) {
  if (cancellable && state == State::PendingCancel) {
    state = State::CancelDelivered;
    return true;
  }
  return false;
}

MaybeTrap Task::request_cancellation(ComponentInstanceRt* by) {
  Scheduler& sched = Scheduler::of(*inst->store);
  if (state == State::Initial) {
    state = State::CancelDelivered;
    return sched.resume(implicit_thread, Block::Cancelled);
  }
  if (state != State::Started) return std::nullopt;
  std::vector<Thread*> candidates;
  for (Thread* t : threads)
    if (t->cancellable && !t->running()) candidates.push_back(t);
  if (needs_exclusive() && inst->exclusive_thread && inst->exclusive_thread != implicit_thread)
    candidates.erase(std::remove(candidates.begin(), candidates.end(), implicit_thread), candidates.end());
  if (!candidates.empty() && inst->may_enter_from(by)) {
    state = State::CancelDelivered;
    inst->enter_from(by);
    MaybeTrap t = sched.resume(candidates.front(), Block::Cancelled);
    inst->leave_to(by);
    return t;
  }
  state = State::PendingCancel;
  return std::nullopt;
}

// ---- waitables --------------------------------------------------------------------------------

Waitable::~Waitable() { join(nullptr); }

Event Waitable::get_pending_event() {
  std::function<Event()> f = std::move(pending_event);
  pending_event = nullptr;
  return f();
}

void Waitable::join(WaitableSet* s) {
  if (wset) wset->elems.erase(std::remove(wset->elems.begin(), wset->elems.end(), this), wset->elems.end());
  wset = s;
  if (s) s->elems.push_back(this);
}

WaitableSet::~WaitableSet() {
  for (Waitable* w : elems) w->wset = nullptr;
}

bool WaitableSet::has_pending_event() const {
  return std::any_of(elems.begin(), elems.end(), [](const Waitable* w) { return w->has_pending_event(); });
}

Event WaitableSet::get_pending_event() {
  const size_t n = elems.size();
  for (size_t k = 0; k < n; ++k) {
    Waitable* w = elems[(next + k) % n];
    if (w->has_pending_event()) {
      next = (next + k + 1) % n;
      return w->get_pending_event();
    }
  }
  return Event{};
}

void Subtask::deliver_resolve() {
  lenders.release();
  lenders_released = true;
  on_cancel = nullptr;
}

// ---- host calls -------------------------------------------------------------------------------

bool HostCall::finish() {
  if (done) return false;
  done = true;
  if (sched->pending_host_calls > 0) sched->pending_host_calls--;
  return true;
}

void HostCall::resolve(std::vector<Value> results) {
  if (!finish()) return;
  const size_t want = type && type->result ? 1 : 0;
  if (results.size() != want) {
    sched->set_trap(component_trap(ComponentTrap::HostValueMismatch,
                                   "host function returned " + std::to_string(results.size()) +
                                       " results, expected " + std::to_string(want)));
    return;
  }
  ResultsFn f = std::move(on_resolve);
  on_resolve = nullptr;
  on_cancel = nullptr;
  if (MaybeTrap t = f(&results)) sched->set_trap(std::move(*t));
}

void HostCall::fail(Trap t) {
  if (!finish()) return;
  on_resolve = nullptr;
  on_cancel = nullptr;
  sched->set_trap(std::move(t));
}

void HostCall::cancelled() {
  if (!cancel_requested || !finish()) return;
  ResultsFn f = std::move(on_resolve);
  on_resolve = nullptr;
  on_cancel = nullptr;
  if (MaybeTrap t = f(nullptr)) sched->set_trap(std::move(*t));
}

// ---- the scheduler ----------------------------------------------------------------------------

namespace {
/// Whether the sync-call loop may run {t}: ready, not holding the exclusive lock, and not the
/// implicit thread of a task that runs under that lock (a callback or sync-ABI `async` task),
/// whose core code would otherwise run nested inside the sync call (Component Invariant #3;
/// the suite's during-sync-call-no-exclusive-resume test).
bool sync_loop_may_resume(const ComponentInstanceRt* inst, const Thread* t) {
  if (t == inst->exclusive_thread || !t->ready()) return false;
  const Task& task = *t->task;
  return !(t == task.implicit_thread && task.is_async_type() && task.needs_exclusive());
}

/// The threads of {inst} the sync-call loop may run now, {except} aside.
std::vector<Thread*> sync_candidates(const ComponentInstanceRt* inst, const Thread* except) {
  std::vector<Thread*> out;
  for (Thread* t : inst->threads.slots())
    if (t && t != except && sync_loop_may_resume(inst, t)) out.push_back(t);
  return out;
}
}  // namespace

Scheduler& Scheduler::of(engine::Store& store) {
  if (!store.extension()) store.set_extension(std::make_unique<Scheduler>());
  return static_cast<Scheduler&>(*store.extension());
}

Scheduler::~Scheduler() {
  // Threads still suspended when the store goes: unwind their guest frames.
  for (;;) {
    Thread* t = nullptr;
    for (const auto& p : live_)
      if (p->state == Thread::State::Suspended || p->state == Thread::State::Waiting) t = p.get();
    if (!t) break;
    abort(t);
    trap_.reset();
  }
}

void Scheduler::abort(Thread* t) {
  if (t->fiber && t->fiber->state() == engine::Fiber::State::Ready) {
    // Never started: nothing on its stack to unwind.
    forget(t);
    t->state = Thread::State::Done;
    reap(t);
    return;
  }
  (void)resume(t, Block::Aborted);
}

Result<std::shared_ptr<Thread>> Scheduler::new_thread(const std::shared_ptr<Task>& task,
                                                      std::function<MaybeTrap()> body,
                                                      bool inline_thread) {
  auto t = std::make_shared<Thread>();
  t->task = task;
  t->sched = this;
  t->body = std::move(body);
  t->inline_ = inline_thread;
  if (!inline_thread) {
    const uint64_t limit = task->inst->store->engine().config().max_component_threads;
    if (live_.size() >= limit)
      return Error{"the store has " + std::to_string(live_.size()) +
                   " threads alive already (engine Config::max_component_threads)"};
    Thread* raw = t.get();
    auto f = engine::Fiber::create([raw] {
      MaybeTrap r = raw->body();
      raw->body = nullptr;
      if (r) {
        poison(raw->task->inst);
        raw->sched->set_trap(std::move(*r));
      }
      raw->state = Thread::State::Done;
    });
    if (!f) return f.error();
    t->fiber = std::move(*f);
    live_.push_back(t);
  }
  return t;
}

void Scheduler::reap(Thread* t) {
  for (size_t i = 0; i < live_.size(); ++i)
    if (live_[i].get() == t) {
      std::shared_ptr<Thread> keep = std::move(live_[i]);
      live_[i] = std::move(live_.back());
      live_.pop_back();
      return;  // {keep} destroys the thread and its (finished) fiber here
    }
}

std::shared_ptr<Task> Scheduler::new_task() {
  for (auto& p : task_pool_)
    if (p.use_count() == 1) {
      Task& t = *p;
      t.state = Task::State::Initial;
      t.num_borrows = 0;
      t.implicit_thread = nullptr;
      t.threads.clear();
      t.caller = nullptr;
      return p;
    }
  auto t = std::make_shared<Task>();
  if (task_pool_.size() < 8) task_pool_.push_back(t);
  return t;
}

void Scheduler::forget(Thread* t) {
  if (t->waiting()) stop_waiting(t);
  ComponentInstanceRt* inst = t->task->inst;
  if (t->index != 0) {
    Task& task = *t->task;
    task.threads.erase(std::remove(task.threads.begin(), task.threads.end(), t), task.threads.end());
    inst->threads.remove(t->index);
    t->index = 0;
  }
  if (inst->exclusive_thread == t) inst->exclusive_thread = nullptr;
  if (current_ == t) current_ = nullptr;
}

void Scheduler::start_waiting(Thread* t, std::function<bool()> ready) {
  t->ready_func = std::move(ready);
  t->state = Thread::State::Waiting;
  waiting_.push_back(t);
}

void Scheduler::stop_waiting(Thread* t) {
  t->ready_func = nullptr;
  t->state = Thread::State::Suspended;
  waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), t), waiting_.end());
}

MaybeTrap Scheduler::resume(Thread* t, Block how) {
  while (t) {
    if (t->waiting()) stop_waiting(t);
    t->block_result = how;
    how = Block::Resumed;
    if (t->inline_) {
      if (t->body) {
        // First resume of an inline thread: its body runs right here.
        std::function<MaybeTrap()> body = std::move(t->body);
        t->body = nullptr;
        (void)run_inline(t, body);
      } else {
        // Blocked further down this stack: its loop sees it running again.
        t->state = Thread::State::Running;
      }
      break;
    }
    t->state = Thread::State::Running;
    Thread* prev = current_;
    current_ = t;
    t->fiber->resume();
    current_ = prev;
    Thread* next = std::exchange(t->switch_to, nullptr);
    if (t->state == Thread::State::Done) reap(t);
    t = next;
  }
  if (trap_) return trap_;
  return std::nullopt;
}

Block Scheduler::block(Thread* self, Thread* switch_to) {
  if (self->inline_) return block_inline(self, switch_to);
  self->switch_to = switch_to;
  engine::Fiber::suspend();
  return self->block_result;
}

Block Scheduler::block_inline(Thread* self, Thread* switch_to) {
  Block b = block_inline_loop(self, switch_to);
  if (b == Block::Aborted && self->waiting()) stop_waiting(self);
  if (b == Block::Aborted) self->state = Thread::State::Running;
  return b;
}

Block Scheduler::block_inline_loop(Thread* self, Thread* switch_to) {
  if (switch_to && resume(switch_to)) return Block::Aborted;
  // definitions.py's sync-call loop, run by the blocked thread itself: the callee instance's
  // other ready threads take turns with it until it can go on.
  ComponentInstanceRt* inst = self->task->inst;
  size_t turn = 0;
  for (;;) {
    if (self->running()) return self->block_result;
    const std::vector<Thread*> candidates = sync_candidates(inst, self);
    if (candidates.empty() && !self->ready() && pending_host_calls > 0) {
      run_io_once();
      if (trap_) return Block::Aborted;
      continue;
    }
    if (candidates.empty() || (turn > 0 && self->ready())) {
      if (self->ready()) {
        stop_waiting(self);
        self->state = Thread::State::Running;
        return Block::Resumed;
      }
      set_trap(component_trap(ComponentTrap::Deadlock));
      return Block::Aborted;
    }
    Thread* pick = candidates[turn++ % candidates.size()];
    if (resume(pick)) return Block::Aborted;
    if (self->ready()) turn = 1;
  }
}

Block Scheduler::suspend(Thread* self, bool cancellable) {
  if (self->task->deliver_pending_cancel(cancellable)) return Block::Cancelled;
  self->cancellable = cancellable;
  self->state = Thread::State::Suspended;
  return block(self);
}

Block Scheduler::wait_until(Thread* self, std::function<bool()> ready, bool cancellable, bool always_switch) {
  if (self->task->deliver_pending_cancel(cancellable)) return Block::Cancelled;
  if (!always_switch && ready()) return Block::Resumed;
  self->cancellable = cancellable;
  ComponentInstanceRt* inst = self->task->inst;
  if (inst->exclusive_thread != self || self->inline_ || !self->task->resolved()) {
    start_waiting(self, std::move(ready));
    return block(self);
  }
  // A thread holding its instance's exclusive lock (core code of a callback or sync-ABI
  // `async` task) whose task has already returned its value lets go of the lock while it waits
  // in a built-in, so other tasks can enter, and takes it back before it goes on (as Wasmtime
  // does: the suite's sync-streams test; async-calls-sync shows an unresolved one keeps it).
  inst->exclusive_thread = nullptr;
  start_waiting(self, [inst, ready = std::move(ready)] { return inst->exclusive_thread == nullptr && ready(); });
  const Block b = block(self);
  inst->exclusive_thread = self;
  return b;
}

Block Scheduler::suspend_then_resume(Thread* self, bool cancellable, Thread* other) {
  if (self->task->deliver_pending_cancel(cancellable)) return Block::Cancelled;
  self->cancellable = cancellable;
  self->state = Thread::State::Suspended;
  return block(self, other);
}

Block Scheduler::yield_then_resume(Thread* self, bool cancellable, Thread* other) {
  if (self->task->deliver_pending_cancel(cancellable)) return Block::Cancelled;
  self->cancellable = cancellable;
  start_waiting(self, [] { return true; });
  return block(self, other);
}

Block Scheduler::suspend_then_promote(Thread* self, bool cancellable, Thread* other) {
  if (self->task->deliver_pending_cancel(cancellable)) return Block::Cancelled;
  if (other->ready()) {
    stop_waiting(other);
    return suspend_then_resume(self, cancellable, other);
  }
  return suspend(self, cancellable);
}

Block Scheduler::yield_then_promote(Thread* self, bool cancellable, Thread* other) {
  if (self->task->deliver_pending_cancel(cancellable)) return Block::Cancelled;
  if (other->ready()) {
    stop_waiting(other);
    return yield_then_resume(self, cancellable, other);
  }
  return yield(self, cancellable);
}

void Scheduler::resume_later(Thread* t) { start_waiting(t, [] { return true; }); }

MaybeTrap Scheduler::run_until_resolved_sync(Task& task) {
  ComponentInstanceRt* inst = task.inst;
  size_t turn = 0;
  while (!task.resolved()) {
    if (trap_) return trap_;
    const std::vector<Thread*> candidates = sync_candidates(inst, nullptr);
    if (candidates.empty() && pending_host_calls > 0) {
      run_io_once();
      continue;
    }
    if (candidates.empty()) {
      set_trap(component_trap(ComponentTrap::Deadlock));
      return trap_;
    }
    if (MaybeTrap t = resume(candidates[turn++ % candidates.size()])) return t;
  }
  return std::nullopt;
}

namespace {
const ComponentInstanceRt* root_of(const ComponentInstanceRt* i) {
  while (i->parent) i = i->parent;
  return i;
}
}  // namespace

void Scheduler::run_io_once() {
  boost::asio::io_context& io = engine::thread_io_context();
  io.restart();
  io.run_one();
}

bool Scheduler::may_unblock(const Thread* self) const {
  const ComponentInstanceRt* root = root_of(self->task->inst);
  for (const Thread* t : waiting_)
    if (t != self && t->ready() && root_of(t->task->inst) == root) return true;
  return false;
}

Thread* Scheduler::next_ready() const {
  // The longest-waiting ready thread runs next (definitions.py picks at random).
  for (Thread* t : waiting_)
    if (t->task->inst->may_enter_from(nullptr) && t->ready()) return t;
  return nullptr;
}

MaybeTrap Scheduler::tick(Thread* pick) {
  ComponentInstanceRt* inst = pick->task->inst;
  inst->enter_from(nullptr);
  MaybeTrap t = resume(pick);
  inst->leave_to(nullptr);
  return t;
}

MaybeTrap Scheduler::run_until(const std::function<bool()>& done) {
  while (!done()) {
    if (trap_) return trap_;
    Thread* pick = next_ready();
    if (!pick && pending_host_calls > 0) {
      run_io_once();
      continue;
    }
    if (!pick) {
      set_trap(component_trap(ComponentTrap::Deadlock));
      return trap_;
    }
    if (MaybeTrap t = tick(pick)) return t;
  }
  return std::nullopt;
}


Trap Scheduler::take_trap(ComponentTrap fallback) {
  if (!trap_) return component_trap(fallback);
  Trap t = std::move(*trap_);
  trap_.reset();
  return t;
}

void Scheduler::abort_threads_of(ComponentInstanceRt* inst) {
  const bool had_trap = trap_.has_value();
  for (;;) {
    Thread* t = nullptr;
    for (const auto& p : live_)
      if (p->task->inst == inst && (p->suspended() || p->waiting())) t = p.get();
    if (!t) break;
    abort(t);
  }
  waiting_.erase(std::remove_if(waiting_.begin(), waiting_.end(), [inst](Thread* t) { return t->task->inst == inst; }),
                 waiting_.end());
  if (!had_trap) trap_.reset();
}

MaybeTrap check_may_block(const Thread* self) {
  const Task& t = *self->task;
  if (t.is_async_type() || t.resolved()) return std::nullopt;
  if (self->sched->may_unblock(self)) return std::nullopt;
  return component_trap(ComponentTrap::SyncTaskBlocked);
}

Thread* current_thread(ComponentInstanceRt* inst) {
  return Scheduler::of(*inst->store).current();
}

}  // namespace rill::component::rt
