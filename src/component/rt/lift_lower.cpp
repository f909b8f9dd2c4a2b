// `canon lift` and `canon lower` at run time (definitions.py canon_lift, canon_lower,
// Store.lift/lower/invoke): every lifted call is a task whose implicit thread runs the core
// function, inline for a sync call of a sync function and on a fiber otherwise (task.h).
#include "rill/component/rt/abi.h"
#include "rill/component/rt/task.h"

namespace rill::component::rt {

namespace {

constexpr uint32_t kMaxFlatAsyncParams = 4;

const std::vector<RTypePtr>& result_types(const FuncTypeRt& ft) {
  static const std::vector<RTypePtr> kNone;
  return ft.result ? ft.results_tuple->elems : kNone;
}

/// The body of a lifted call's implicit thread (definitions.py canon_lift.thread_func).
struct LiftCall {
  Task* task;  ///< owned by the thread ({self}->task)
  engine::Function* core;
  Thread* self = nullptr;

  MaybeTrap exit_implicit_thread() {
    ComponentInstanceRt* inst = task->inst;
    MaybeTrap t = task->unregister_thread(self);
    if (task->is_async_type() && task->needs_exclusive() && inst->exclusive_thread == self)
      inst->exclusive_thread = nullptr;
    return t;
  }

  /// Task.enter_implicit_thread: false when the task was cancelled while waiting to enter.
  bool enter(MaybeTrap& trapped) {
    ComponentInstanceRt* inst = task->inst;
    Scheduler& sched = *self->sched;
    if (task->is_async_type()) {
      Task* tk = task;
      auto has_backpressure = [inst, tk] {
        return inst->backpressure > 0 || (tk->needs_exclusive() && inst->exclusive_thread != nullptr);
      };
      if (has_backpressure() || inst->num_waiting_to_enter > 0) {
        inst->num_waiting_to_enter++;
        const Block b = sched.wait_until(self, [has_backpressure] { return !has_backpressure(); }, true);
        inst->num_waiting_to_enter--;
        if (b == Block::Aborted) {
          trapped = sched.take_trap(ComponentTrap::InstanceDropped);
          return false;
        }
        if (b == Block::Cancelled) {
          trapped = task->cancel();
          return false;
        }
      }
      if (task->needs_exclusive()) inst->exclusive_thread = self;
    }
    task->register_thread(self);
    return true;
  }

  MaybeTrap wait_for_event(Event& ev, WaitableSet* ws, bool& aborted) {
    ComponentInstanceRt* inst = task->inst;
    Scheduler& sched = *self->sched;
    ws->num_waiting++;
    const Block b = sched.wait_until(
        self, [inst, ws] { return inst->exclusive_thread == nullptr && ws->has_pending_event(); }, true);
    ws->num_waiting--;
    aborted = b == Block::Aborted;
    if (aborted) return sched.take_trap(ComponentTrap::InstanceDropped);
    ev = b == Block::Cancelled ? Event{EventCode::TaskCancelled, 0, 0} : ws->get_pending_event();
    return std::nullopt;
  }

  MaybeTrap run() {
    MaybeTrap trapped;
    if (!enter(trapped)) return trapped;
    Task& tk = *task;
    ComponentInstanceRt* inst = tk.inst;
    const FuncTypeRt& ft = *tk.ft;
    engine::Store& store = *inst->store;
    Cx cx{tk.opts, inst, &tk, nullptr, std::nullopt};
    cx.host_peer = tk.caller == nullptr;
    cx.budget = store.engine().config().max_lift_bytes;
    std::vector<Value> storage;
    std::span<const Value> args;
    if (MaybeTrap t = tk.start(storage, args)) return t;
    std::vector<engine::Value> flat_args;
    flat_args.reserve(ft.flat_params.size());
    if (!lower_flat_values(cx, kMaxFlatParams, args, ft.params, ft.params_tuple, flat_args, std::nullopt))
      return std::move(cx.trap);
    std::vector<engine::Value> flat_results;
    if (MaybeTrap t = store.call(core, flat_args, flat_results)) return t;

    if (!tk.opts.async) {
      std::vector<Value> results;
      size_t pos = 0;
      if (!lift_flat_values(cx, kMaxFlatResults, flat_results, pos, result_types(ft), ft.results_tuple, results))
        return std::move(cx.trap);
      if (MaybeTrap t = tk.return_(results)) return t;
      if (tk.opts.post_return) {
        inst->may_leave = false;
        std::vector<engine::Value> none;
        MaybeTrap t = store.call(tk.opts.post_return, flat_results, none);
        inst->may_leave = true;
        if (t) return t;
      }
      return exit_implicit_thread();
    }
    if (!tk.opts.callback) return exit_implicit_thread();

    Scheduler& sched = *self->sched;
    uint32_t packed = flat_results.empty() ? 0 : flat_results[0].i32;
    for (;;) {
      const uint32_t code = packed & 0xf;
      const uint32_t si = packed >> 4;
      if (code == 0) break;  // EXIT
      inst->exclusive_thread = nullptr;
      Event ev;
      if (code == 1) {  // YIELD
        const Block b = sched.wait_until(self, [inst] { return inst->exclusive_thread == nullptr; }, true, true);
        if (b == Block::Aborted) return sched.take_trap(ComponentTrap::InstanceDropped);
        ev = b == Block::Cancelled ? Event{EventCode::TaskCancelled, 0, 0} : Event{};
      } else if (code == 2) {  // WAIT
        std::shared_ptr<TableObject> keep = inst->handles.object(si);
        auto* ws = inst->handles.get_as<WaitableSet>(si, HandleKind::WaitableSet);
        if (!ws) return handle_trap(ComponentTrap::UnknownHandle, si);
        bool aborted = false;
        if (MaybeTrap t = wait_for_event(ev, ws, aborted)) return t;
      } else {
        return component_trap(ComponentTrap::UnsupportedCallbackCode);
      }
      inst->exclusive_thread = self;
      const engine::Value cb_args[3] = {engine::Value::from_i32(static_cast<uint32_t>(ev.code)),
                                        engine::Value::from_i32(ev.p1), engine::Value::from_i32(ev.p2)};
      flat_results.clear();
      if (MaybeTrap t = store.call(tk.opts.callback, cb_args, flat_results)) return t;
      packed = flat_results.empty() ? 0 : flat_results[0].i32;
    }
    return exit_implicit_thread();
  }
};

}  // namespace

MaybeTrap LiftedFunc::call(ComponentInstanceRt* caller, ArgsFn on_start, ResultsFn on_resolve,
                           CancelFn* on_cancel) {
  if (inst->poisoned) return component_trap(ComponentTrap::Poisoned);
  if (!inst->may_enter_from(caller)) return component_trap(ComponentTrap::CannotEnter);
  Scheduler& sched = Scheduler::of(*inst->store);
  if (!type->async && !opts.async) {
    // A sync call of a sync function runs inline: the caller only waits for it. Its implicit
    // thread lives on this stack (it is unregistered when the call ends); the task comes from
    // the scheduler's pool, as threads it starts may outlive the call.
    Thread thread;
    thread.task = sched.new_task();
    Task& task = *thread.task;
    task.ft = type.get();
    task.opts = opts;
    task.inst = inst;
    task.caller = caller;
    task.on_start = std::move(on_start);
    task.on_resolve = std::move(on_resolve);
    thread.sched = &sched;
    thread.inline_ = true;
    task.implicit_thread = &thread;
    LiftCall lc{&task, core, &thread};
    inst->enter_from(caller);
    MaybeTrap t = sched.run_inline(&thread, [&lc] { return lc.run(); });
    if (!t && !task.resolved()) t = sched.run_until_resolved_sync(task);
    sched.forget(&thread);  // after a trap it may still be registered or waiting
    inst->leave_to(caller);
    if (t) poison(inst);
    return t;
  }
  auto task = std::make_shared<Task>();
  task->ft = type.get();
  task->opts = opts;
  task->inst = inst;
  task->caller = caller;
  task->on_start = std::move(on_start);
  task->on_resolve = std::move(on_resolve);
  auto lc = std::make_shared<LiftCall>(LiftCall{task.get(), core});
  auto thread = sched.new_thread(task, [lc] { return lc->run(); }, false);
  if (!thread) return component_trap(ComponentTrap::ThreadCreate, thread.error().message);
  lc->self = thread->get();
  task->implicit_thread = thread->get();
  inst->enter_from(caller);
  MaybeTrap t = sched.resume(thread->get());
  if (!t && !type->async) t = sched.run_until_resolved_sync(*task);
  inst->leave_to(caller);
  if (t) {
    poison(inst);
    return t;
  }
  if (on_cancel) *on_cancel = [task](ComponentInstanceRt* by) { return task->request_cancellation(by); };
  return std::nullopt;
}

MaybeTrap HostFuncRt::call(ComponentInstanceRt* caller, ArgsFn on_start, ResultsFn on_resolve,
                           CancelFn* on_cancel) {
  std::vector<Value> storage;
  std::span<const Value> args;
  if (MaybeTrap t = on_start(storage, args)) return t;
  if (async_fn) {
    if (!caller)
      return component_trap(ComponentTrap::NotSupported, "calling an asynchronous host function from the host");
    Scheduler& sched = Scheduler::of(*caller->store);
    auto hc = std::make_shared<HostCall>();
    hc->on_resolve = std::move(on_resolve);
    hc->type = type;
    hc->sched = &sched;
    sched.pending_host_calls++;
    if (on_cancel)
      *on_cancel = [hc](ComponentInstanceRt*) -> MaybeTrap {
        hc->cancel_requested = true;
        if (std::function<void()> f = hc->on_cancel) f();
        return std::nullopt;
      };
    async_fn(args, hc);
    if (sched.has_trap()) return sched.take_trap(ComponentTrap::HostValueMismatch);
    return std::nullopt;
  }
  std::vector<Value> results;
  if (MaybeTrap t = fn(args, results)) return t;
  if (results.size() != (type->result ? 1u : 0u))
    return component_trap(ComponentTrap::HostValueMismatch,
                          "host function returned " + std::to_string(results.size()) + " results, expected " +
                              std::to_string(type->result ? 1 : 0));
  return on_resolve(&results);
}

namespace {

/// canon lower with the sync ABI: the caller's thread waits until the callee resolves.
MaybeTrap lower_sync(const FuncPtr& callee, const CanonOpts& opts, ComponentInstanceRt* inst, Thread* thread,
                     std::span<const engine::Value> args, std::span<engine::Value> results) {
  const FuncTypeRt& ft = *callee->type;
  Subtask sub;
  Cx cx{opts, inst, nullptr, &sub.lenders, std::nullopt};
  cx.host_peer = callee->lifted_into() == nullptr;
  cx.budget = inst->store->engine().config().max_lift_bytes;
  size_t pos = 0;
  auto on_start = [&](std::vector<Value>& vals, std::span<const Value>& out) -> MaybeTrap {
    sub.state = Subtask::State::Started;
    if (!lift_flat_values(cx, kMaxFlatParams, args, pos, ft.params, ft.params_tuple, vals))
      return std::move(cx.trap);
    out = vals;
    return std::nullopt;
  };
  auto on_resolve = [&](std::vector<Value>* vals) -> MaybeTrap {
    if (!vals) {
      sub.state = Subtask::State::CancelledBeforeReturned;
      return std::nullopt;
    }
    std::optional<uint32_t> out_ptr;
    if (ft.flat_results.size() > kMaxFlatResults) out_ptr = args.back().i32;
    std::vector<engine::Value> flat;
    if (!lower_flat_values(cx, kMaxFlatResults, *vals, result_types(ft), ft.results_tuple, flat, out_ptr))
      return std::move(cx.trap);
    for (size_t i = 0; i < flat.size() && i < results.size(); ++i) results[i] = flat[i];
    sub.state = Subtask::State::Returned;
    return std::nullopt;
  };
  if (MaybeTrap t = callee->call(inst, on_start, on_resolve, nullptr)) return t;
  if (!sub.resolved()) {
    Scheduler& sched = *thread->sched;
    if (sched.wait_until(thread, [&sub] { return sub.resolved(); }, false) == Block::Aborted)
      return sched.take_trap(ComponentTrap::InstanceDropped);
  }
  sub.deliver_resolve();
  return std::nullopt;
}

/// What an async-lowered call keeps until its callee resolves.
struct AsyncLower {
  /// Weak: the caller's table owns the subtask, and the subtask's on_cancel owns the callee's
  /// task, whose callbacks own this (a strong pointer would be a cycle).
  std::weak_ptr<Subtask> sub;
  CanonOpts opts;
  ComponentInstanceRt* inst;
  FuncPtr callee;
  std::vector<engine::Value> args;
  std::optional<Cx> cx;
};

/// canon lower with the async ABI: returns RETURNED or `state | subtask << 4`.
MaybeTrap lower_async(const FuncPtr& callee, const CanonOpts& opts, ComponentInstanceRt* inst,
                      std::span<const engine::Value> args, std::span<engine::Value> results) {
  auto st = std::make_shared<AsyncLower>();
  auto subtask = std::make_shared<Subtask>();
  Subtask* sub = subtask.get();
  st->sub = subtask;
  st->opts = opts;
  st->inst = inst;
  st->callee = callee;
  st->args.assign(args.begin(), args.end());
  st->cx.emplace(Cx{st->opts, inst, nullptr, &sub->lenders, std::nullopt});
  st->cx->host_peer = callee->lifted_into() == nullptr;
  st->cx->budget = inst->store->engine().config().max_lift_bytes;
  auto on_start = [st](std::vector<Value>& vals, std::span<const Value>& out) -> MaybeTrap {
    std::shared_ptr<Subtask> keep = st->sub.lock();
    if (!keep) return component_trap(ComponentTrap::InstanceDropped);
    Subtask& sb = *keep;
    if (sb.on_progress) sb.on_progress();
    sb.state = Subtask::State::Started;
    const FuncTypeRt& ft = *st->callee->type;
    size_t pos = 0;
    if (!lift_flat_values(*st->cx, kMaxFlatAsyncParams, st->args, pos, ft.params, ft.params_tuple, vals))
      return std::move(st->cx->trap);
    out = vals;
    return std::nullopt;
  };
  auto on_resolve = [st](std::vector<Value>* vals) -> MaybeTrap {
    std::shared_ptr<Subtask> keep = st->sub.lock();
    if (!keep) return std::nullopt;  // the caller is gone: nowhere to deliver
    Subtask& sb = *keep;
    if (sb.on_progress) sb.on_progress();
    if (!vals) {
      sb.state = sb.state == Subtask::State::Starting ? Subtask::State::CancelledBeforeStarted
                                                      : Subtask::State::CancelledBeforeReturned;
      return std::nullopt;
    }
    const FuncTypeRt& ft = *st->callee->type;
    std::optional<uint32_t> out_ptr;
    if (ft.result) out_ptr = st->args.back().i32;
    std::vector<engine::Value> flat;
    if (!lower_flat_values(*st->cx, 0, *vals, result_types(ft), ft.results_tuple, flat, out_ptr))
      return std::move(st->cx->trap);
    sb.state = Subtask::State::Returned;
    return std::nullopt;
  };
  if (MaybeTrap t = callee->call(inst, on_start, on_resolve, &sub->on_cancel)) return t;
  if (sub->resolved()) {
    sub->deliver_resolve();
    results[0] = engine::Value::from_i32(static_cast<uint32_t>(Subtask::State::Returned));
    return std::nullopt;
  }
  const uint32_t i = inst->handles.add(HandleKind::Subtask, subtask);
  if (i == 0) return component_trap(ComponentTrap::HandleTableFull);
  std::weak_ptr<Subtask> weak = subtask;
  sub->on_progress = [weak, i] {
    std::shared_ptr<Subtask> sb = weak.lock();
    if (!sb) return;
    Subtask* raw = sb.get();
    raw->pending_event = [raw, i] {
      if (raw->resolved() && !raw->resolve_delivered()) raw->deliver_resolve();
      return Event{EventCode::Subtask, i, static_cast<uint32_t>(raw->state)};
    };
  };
  results[0] = engine::Value::from_i32(static_cast<uint32_t>(sub->state) | (i << 4));
  return std::nullopt;
}

}  // namespace

MaybeTrap call_lowered(const FuncPtr& callee, const CanonOpts& opts, ComponentInstanceRt* inst,
                       std::span<const engine::Value> args, std::span<engine::Value> results) {
  if (!inst->may_leave) return component_trap(ComponentTrap::CannotLeave);
  Thread* thread = current_thread(inst);
  if (!thread) return component_trap(ComponentTrap::NoTask);
  if (opts.async) return lower_async(callee, opts, inst, args, results);
  // (A host function's own waits are the host's business, not a block of the task.)
  if (callee->type->async && callee->lifted_into() != nullptr)
    if (MaybeTrap b = check_may_block(thread)) return b;
  return lower_sync(callee, opts, inst, thread, args, results);
}

MaybeTrap call_from_host(const FuncPtr& f, std::span<const Value> args, std::vector<Value>& results) {
  bool done = false;
  auto on_start = [&](std::vector<Value>&, std::span<const Value>& out) -> MaybeTrap {
    out = args;
    return std::nullopt;
  };
  auto on_resolve = [&](std::vector<Value>* vals) -> MaybeTrap {
    if (vals) results = std::move(*vals);
    done = true;
    return std::nullopt;
  };
  ComponentInstanceRt* into = f->lifted_into();
  if (!into) return f->call(nullptr, on_start, on_resolve);
  Scheduler& sched = Scheduler::of(*into->store);
  sched.nesting_depth++;
  MaybeTrap t = f->call(nullptr, on_start, on_resolve);
  if (!t && !done) t = sched.run_until([&done] { return done; });
  sched.nesting_depth--;
  if (sched.has_trap()) return sched.take_trap(ComponentTrap::Deadlock);  // the run's trap, wherever it happened
  return t;
}

}  // namespace rill::component::rt
