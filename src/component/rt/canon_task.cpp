// The task, waitable, subtask, thread and error-context built-ins (definitions.py
// canon_task_*, canon_context_*, canon_backpressure_*, canon_waitable_*, canon_subtask_*,
// canon_thread_*, canon_error_context_*).
#include "rill/component/rt/abi.h"
#include "rill/component/rt/builtins.h"
#include "rill/component/rt/resolve.h"
#include "rill/component/rt/task.h"

namespace rill::component::rt {

namespace {

using Args = BuiltinArgs;
using Results = BuiltinResults;

Error at(uint64_t offset, std::string msg) { return Error{std::move(msg), offset}; }

void push(ScopeRt& s, engine::Store& store, wasm::FuncType sig, BuiltinBody body, bool check_leave = true) {
  push_builtin(s, store, std::move(sig), std::move(body), check_leave);
}

const wasm::ValType I32 = wasm::kI32;

engine::Value u32(uint32_t v) { return builtin_u32(v); }

MaybeTrap blocked_trap(Scheduler& sched) { return sched.take_trap(ComponentTrap::InstanceDropped); }

/// Writes an event to {mem} at {ptr} (definitions.py unpack_event) and returns its code.
MaybeTrap unpack_event(engine::Memory* mem, uint32_t ptr, const Event& e, Results r) {
  if (!mem) return component_trap(ComponentTrap::BadCanonOption);
  if (ptr % 4 != 0) return component_trap(ComponentTrap::UnalignedPointer);
  if (uint64_t{ptr} + 8 > mem->size_bytes()) return component_trap(ComponentTrap::ValuesOutOfBounds);
  uint8_t* p = mem->base() + ptr;
  std::memcpy(p, &e.p1, 4);
  std::memcpy(p + 4, &e.p2, 4);
  r[0] = u32(static_cast<uint32_t>(e.code));
  return std::nullopt;
}

WaitableSet* get_wset(ComponentInstanceRt* inst, uint32_t i, MaybeTrap& t) {
  auto* ws = inst->handles.get_as<WaitableSet>(i, HandleKind::WaitableSet);
  if (!ws) t = handle_trap(ComponentTrap::UnknownHandle, i);
  return ws;
}

Waitable* get_waitable(ComponentInstanceRt* inst, uint32_t i) {
  switch (inst->handles.kind(i)) {
    case HandleKind::Subtask:
    case HandleKind::StreamReadable:
    case HandleKind::StreamWritable:
    case HandleKind::FutureReadable:
    case HandleKind::FutureWritable:
      return static_cast<Waitable*>(inst->handles.object(i).get());
    default: return nullptr;
  }
}

/// definitions.py LiftOptions.equal, except that a task.return without a memory matches any
/// (as Wasmtime does: the cross-abi-calls tests return without one from a lift that has one).
bool same_lift_options(const CanonOpts& ret, const CanonOpts& task) {
  return ret.encoding == task.encoding && (!ret.memory || ret.memory == task.memory);
}

Result<bool> task_return(const Canon& c, ScopeRt& s, engine::Store& store, uint64_t offset) {
  RTypePtr result;
  if (c.result) {
    auto r = resolve_val(*c.result, s);
    if (!r) return at(offset, "task.return: " + r.error().message);
    result = *r;
  }
  RILL_TRY(CanonOpts opts, resolve_opts(c.opts, s, offset));
  std::vector<RTypePtr> ts;
  if (result) ts.push_back(result);
  FuncTypePtr tuple_type = make_func_type(false, {}, ts, nullptr);
  wasm::FuncType sig;
  if (tuple_type->flat_params.size() > kMaxFlatParams) sig.params = {I32};
  else sig.params = tuple_type->flat_params;
  push(s, store, sig, [result, opts, tuple_type](ComponentInstanceRt*, Thread* self, Args a, Results) -> MaybeTrap {
    Task& task = *self->task;
    if (!task.opts.async) return component_trap(ComponentTrap::TaskReturnMismatch);
    const RTypePtr want = task.ft ? task.ft->result : nullptr;
    const bool types_match = (!want && !result) || (want && result && !type_mismatch(*want, *result) &&
                                                    !type_mismatch(*result, *want));
    if (!types_match || !same_lift_options(opts, task.opts))
      return component_trap(ComponentTrap::TaskReturnMismatch);
    if (task.resolved()) return component_trap(ComponentTrap::TaskReturnTwice);
    Cx cx{opts, task.inst, &task, nullptr, std::nullopt};
    cx.budget = task.inst->store->engine().config().max_lift_bytes;
    std::vector<rill::Value> vals;
    size_t pos = 0;
    if (!lift_flat_values(cx, kMaxFlatParams, a, pos, tuple_type->params, tuple_type->params_tuple, vals))
      return std::move(cx.trap);
    return task.return_(vals);
  });
  return true;
}

/// thread.suspend-then-resume & co: {op} on the current thread and thread {i} of the instance.
using SwitchOp = Block (Scheduler::*)(Thread*, bool, Thread*);

}  // namespace

Result<bool> make_task_builtin(const Canon& c, ScopeRt& s, engine::Store& store, uint64_t offset) {
  const bool cancellable = c.cancellable;
  switch (c.kind) {
    case CanonKind::TaskReturn: return task_return(c, s, store, offset);
    case CanonKind::TaskCancel:
      push(s, store, {}, [](ComponentInstanceRt*, Thread* self, Args, Results) -> MaybeTrap {
        if (!self->task->opts.async) return component_trap(ComponentTrap::TaskCancelSync);
        return self->task->cancel();
      });
      return true;
    case CanonKind::ContextGet:
    case CanonKind::ContextSet: {
      const bool get = c.kind == CanonKind::ContextGet;
      const uint32_t slot = c.slot;
      const wasm::ValType t = c.core_type;
      if (slot >= 2) return at(offset, "context slot " + std::to_string(slot) + " out of bounds");
      wasm::FuncType sig = get ? wasm::FuncType{{}, {t}} : wasm::FuncType{{t}, {}};
      push(
          s, store, sig,
          [get, slot, t](ComponentInstanceRt*, Thread* self, Args a, Results r) -> MaybeTrap {
            if (get)
              r[0] = t == wasm::kI64 ? engine::Value::from_i64(self->storage[slot])
                                     : engine::Value::from_i32(static_cast<uint32_t>(self->storage[slot]));
            else
              self->storage[slot] = t == wasm::kI64 ? a[0].i64 : a[0].i32;
            return std::nullopt;
          },
          false);
      return true;
    }
    case CanonKind::BackpressureInc:
    case CanonKind::BackpressureDec: {
      const bool inc = c.kind == CanonKind::BackpressureInc;
      push(
          s, store, {},
          [inc](ComponentInstanceRt* inst, Thread*, Args, Results) -> MaybeTrap {
            if (inc) {
              if (inst->backpressure + 1 >= (1u << 16)) return component_trap(ComponentTrap::BackpressureOverflow);
              ++inst->backpressure;
            } else {
              if (inst->backpressure == 0) return component_trap(ComponentTrap::BackpressureUnderflow);
              --inst->backpressure;
            }
            return std::nullopt;
          },
          false);
      return true;
    }
    case CanonKind::WaitableSetNew:
      push(s, store, {{}, {I32}}, [](ComponentInstanceRt* inst, Thread*, Args, Results r) -> MaybeTrap {
        const uint32_t i = inst->handles.add(HandleKind::WaitableSet, std::make_shared<WaitableSet>());
        if (i == 0) return component_trap(ComponentTrap::HandleTableFull);
        r[0] = u32(i);
        return std::nullopt;
      });
      return true;
    case CanonKind::WaitableSetWait:
    case CanonKind::WaitableSetPoll: {
      if (idx(c.memory) >= s.core_memories.size()) return at(offset, "unknown core memory");
      engine::Memory* mem = s.core_memories[idx(c.memory)];
      const bool wait = c.kind == CanonKind::WaitableSetWait;
      push(s, store, {{I32, I32}, {I32}},
           [mem, wait, cancellable](ComponentInstanceRt* inst, Thread* self, Args a, Results r) -> MaybeTrap {
             if (wait)
               if (MaybeTrap b = check_may_block(self)) return b;
             MaybeTrap t;
             const uint32_t si = a[0].i32;
             std::shared_ptr<TableObject> keep = inst->handles.object(si);
             WaitableSet* ws = get_wset(inst, si, t);
             if (!ws) return t;
             Scheduler& sched = *self->sched;
             Event ev;
             if (wait) {
               ws->num_waiting++;
               const Block b = sched.wait_until(self, [ws] { return ws->has_pending_event(); }, cancellable);
               ws->num_waiting--;
               if (b == Block::Aborted) return blocked_trap(sched);
               ev = b == Block::Cancelled ? Event{EventCode::TaskCancelled, 0, 0} : ws->get_pending_event();
             } else if (self->task->deliver_pending_cancel(cancellable)) {
               ev = Event{EventCode::TaskCancelled, 0, 0};
             } else if (ws->has_pending_event()) {
               ev = ws->get_pending_event();
             }
             return unpack_event(mem, a[1].i32, ev, r);
           });
      return true;
    }
    case CanonKind::WaitableSetDrop:
      push(s, store, {{I32}, {}}, [](ComponentInstanceRt* inst, Thread*, Args a, Results) -> MaybeTrap {
        MaybeTrap t;
        WaitableSet* ws = get_wset(inst, a[0].i32, t);
        if (!ws) return t;
        if (!ws->elems.empty()) return component_trap(ComponentTrap::WaitableSetNotEmpty);
        if (ws->num_waiting > 0) return component_trap(ComponentTrap::WaitableSetHasWaiters);
        inst->handles.remove_object(a[0].i32);
        return std::nullopt;
      });
      return true;
    case CanonKind::WaitableJoin:
      push(s, store, {{I32, I32}, {}}, [](ComponentInstanceRt* inst, Thread*, Args a, Results) -> MaybeTrap {
        Waitable* w = get_waitable(inst, a[0].i32);
        if (!w) return handle_trap(ComponentTrap::UnknownHandle, a[0].i32);
        if (w->has_sync_waiter) return component_trap(ComponentTrap::WaitableInSet);
        if (a[1].i32 == 0) {
          w->join(nullptr);
          return std::nullopt;
        }
        MaybeTrap t;
        WaitableSet* ws = get_wset(inst, a[1].i32, t);
        if (!ws) return t;
        w->join(ws);
        return std::nullopt;
      });
      return true;
    case CanonKind::SubtaskCancel: {
      const bool async = c.async;
      push(s, store, {{I32}, {I32}}, [async](ComponentInstanceRt* inst, Thread* self, Args a, Results r) -> MaybeTrap {
        if (!async)
          if (MaybeTrap b = check_may_block(self)) return b;
        const uint32_t i = a[0].i32;
        std::shared_ptr<TableObject> keep = inst->handles.object(i);
        auto* sub = inst->handles.get_as<Subtask>(i, HandleKind::Subtask);
        if (!sub) return handle_trap(ComponentTrap::UnknownHandle, i);
        if (sub->resolve_delivered()) return component_trap(ComponentTrap::SubtaskCancelDelivered);
        if (sub->cancellation_requested) return component_trap(ComponentTrap::SubtaskCancelTwice);
        if (sub->wset && !async) return component_trap(ComponentTrap::WaitableInSet);
        if (!sub->resolved()) {
          sub->cancellation_requested = true;
          if (sub->on_cancel)
            if (MaybeTrap t = sub->on_cancel(inst)) return t;
          if (!sub->resolved()) {
            if (async) {
              r[0] = u32(0xffffffffu);
              return std::nullopt;
            }
            sub->has_sync_waiter = true;
            Scheduler& sched = *self->sched;
            const Block b = sched.wait_until(self, [sub] { return sub->has_pending_event(); }, false);
            sub->has_sync_waiter = false;
            if (b == Block::Aborted) return blocked_trap(sched);
          }
        }
        if (sub->has_pending_event()) (void)sub->get_pending_event();
        if (!sub->resolve_delivered()) sub->deliver_resolve();
        r[0] = u32(static_cast<uint32_t>(sub->state));
        return std::nullopt;
      });
      return true;
    }
    case CanonKind::SubtaskDrop:
      push(s, store, {{I32}, {}}, [](ComponentInstanceRt* inst, Thread*, Args a, Results) -> MaybeTrap {
        auto* sub = inst->handles.get_as<Subtask>(a[0].i32, HandleKind::Subtask);
        if (!sub) return handle_trap(ComponentTrap::UnknownHandle, a[0].i32);
        if (!sub->resolve_delivered()) return component_trap(ComponentTrap::SubtaskNotResolved);
        std::shared_ptr<TableObject> o = inst->handles.remove_object(a[0].i32);
        sub->join(nullptr);
        return std::nullopt;
      });
      return true;
    case CanonKind::ThreadYield:
      push(s, store, {{}, {I32}}, [cancellable](ComponentInstanceRt*, Thread* self, Args, Results r) -> MaybeTrap {
        const Block b = self->sched->yield(self, cancellable);
        if (b == Block::Aborted) return blocked_trap(*self->sched);
        r[0] = u32(b == Block::Cancelled ? 1 : 0);
        return std::nullopt;
      });
      return true;
    case CanonKind::ThreadSuspend:
      push(s, store, {{}, {I32}}, [cancellable](ComponentInstanceRt*, Thread* self, Args, Results r) -> MaybeTrap {
        if (MaybeTrap t = check_may_block(self)) return t;
        const Block b = self->sched->suspend(self, cancellable);
        if (b == Block::Aborted) return blocked_trap(*self->sched);
        r[0] = u32(b == Block::Cancelled ? 1 : 0);
        return std::nullopt;
      });
      return true;
    case CanonKind::ThreadIndex:
      push(s, store, {{}, {I32}}, [](ComponentInstanceRt*, Thread* self, Args, Results r) -> MaybeTrap {
        r[0] = u32(self->index);
        return std::nullopt;
      });
      return true;
    case CanonKind::ThreadResumeLater:
      push(s, store, {{I32}, {}}, [](ComponentInstanceRt* inst, Thread* self, Args a, Results) -> MaybeTrap {
        Thread* other = inst->threads.get(a[0].i32);
        if (!other) return component_trap(ComponentTrap::UnknownThread, std::to_string(a[0].i32));
        if (!other->suspended()) return component_trap(ComponentTrap::ThreadNotSuspended);
        self->sched->resume_later(other);
        return std::nullopt;
      });
      return true;
    case CanonKind::ThreadSuspendThenResume:
    case CanonKind::ThreadYieldThenResume:
    case CanonKind::ThreadSuspendThenPromote:
    case CanonKind::ThreadYieldThenPromote: {
      const bool needs_suspended =
          c.kind == CanonKind::ThreadSuspendThenResume || c.kind == CanonKind::ThreadYieldThenResume;
      SwitchOp op = c.kind == CanonKind::ThreadSuspendThenResume ? &Scheduler::suspend_then_resume
                    : c.kind == CanonKind::ThreadYieldThenResume ? &Scheduler::yield_then_resume
                    : c.kind == CanonKind::ThreadSuspendThenPromote ? &Scheduler::suspend_then_promote
                                                                   : &Scheduler::yield_then_promote;
      push(s, store, {{I32}, {I32}},
           [op, needs_suspended, cancellable](ComponentInstanceRt*, Thread* self, Args a, Results r) -> MaybeTrap {
             ComponentInstanceRt* ti = self->task->inst;
             Thread* other = ti->threads.get(a[0].i32);
             if (!other) return component_trap(ComponentTrap::UnknownThread, std::to_string(a[0].i32));
             if (needs_suspended && !other->suspended()) return component_trap(ComponentTrap::ThreadNotSuspended);
             const Block b = (self->sched->*op)(self, cancellable, other);
             if (b == Block::Aborted) return blocked_trap(*self->sched);
             r[0] = u32(b == Block::Cancelled ? 1 : 0);
             return std::nullopt;
           });
      return true;
    }
    case CanonKind::ThreadNewIndirect: {
      if (idx(c.table) >= s.core_tables.size()) return at(offset, "unknown core table");
      engine::Table* table = s.core_tables[idx(c.table)];
      push(s, store, {{I32, I32}, {I32}}, [table](ComponentInstanceRt*, Thread* self, Args a, Results r) -> MaybeTrap {
        const uint32_t fi = a[0].i32;
        if (fi >= table->size()) return engine::Trap::make(engine::TrapKind::UndefinedElement);
        auto* f = static_cast<engine::Function*>(table->data()[fi]);
        if (!f) return engine::Trap::make(engine::TrapKind::IndirectCallNull);
        const wasm::FuncType& ft = *f->type;
        if (ft.params.size() != 1 || ft.params[0] != wasm::kI32 || !ft.results.empty())
          return engine::Trap::make(engine::TrapKind::IndirectCallBadSig);
        std::shared_ptr<Task> task = self->task;
        const uint32_t arg = a[1].i32;
        Scheduler& sched = *self->sched;
        auto holder = std::make_shared<Thread*>(nullptr);
        auto body = [task, f, arg, holder]() -> MaybeTrap {
          const engine::Value v = engine::Value::from_i32(arg);
          std::vector<engine::Value> none;
          if (MaybeTrap t = task->inst->store->call(f, std::span<const engine::Value>(&v, 1), none)) return t;
          return task->unregister_thread(*holder);
        };
        auto t = sched.new_thread(task, body, false);
        if (!t) return component_trap(ComponentTrap::ThreadCreate, t.error().message);
        *holder = t->get();
        task->register_thread(t->get());
        r[0] = u32(t->get()->index);
        return std::nullopt;
      });
      return true;
    }
    case CanonKind::ErrorContextNew: {
      push(s, store, {{I32, I32}, {I32}}, [](ComponentInstanceRt* inst, Thread*, Args, Results r) -> MaybeTrap {
        // definitions.py may keep the message or not; Rill keeps none (no host transformation).
        const uint32_t i = inst->handles.add(HandleKind::ErrorContext, std::make_shared<ErrorContext>());
        if (i == 0) return component_trap(ComponentTrap::HandleTableFull);
        r[0] = u32(i);
        return std::nullopt;
      });
      return true;
    }
    case CanonKind::ErrorContextDebugMessage: {
      RILL_TRY(CanonOpts opts, resolve_opts(c.opts, s, offset));
      push(s, store, {{I32, I32}, {}}, [opts](ComponentInstanceRt* inst, Thread*, Args a, Results) -> MaybeTrap {
        auto* e = inst->handles.get_as<ErrorContext>(a[0].i32, HandleKind::ErrorContext);
        if (!e) return handle_trap(ComponentTrap::UnknownHandle, a[0].i32);
        Cx cx{opts, inst, nullptr, nullptr, std::nullopt};
        if (!store_string_at(cx, e->debug_message, a[1].i32)) return std::move(cx.trap);
        return std::nullopt;
      });
      return true;
    }
    case CanonKind::ErrorContextDrop:
      push(s, store, {{I32}, {}}, [](ComponentInstanceRt* inst, Thread*, Args a, Results) -> MaybeTrap {
        if (!inst->handles.get_as<ErrorContext>(a[0].i32, HandleKind::ErrorContext))
          return handle_trap(ComponentTrap::UnknownHandle, a[0].i32);
        inst->handles.remove_object(a[0].i32);
        return std::nullopt;
      });
      return true;
    default: return false;
  }
}

void push_builtin(ScopeRt& s, engine::Store& store, wasm::FuncType sig, BuiltinBody body, bool check_leave) {
  ComponentInstanceRt* inst = s.inst;
  engine::Function* fn = store.create_host_function(
      std::move(sig), [inst, body = std::move(body), check_leave](engine::Caller&, BuiltinArgs a,
                                                                   BuiltinResults r) -> std::optional<engine::Trap> {
        if (check_leave && !inst->may_leave) return component_trap(ComponentTrap::CannotLeave);
        Thread* self = current_thread(inst);
        if (!self) return component_trap(ComponentTrap::NoTask);
        return body(inst, self, a, r);
      });
  s.core_funcs.push_back(CoreFuncRt{fn, {}});
}

// ---- start functions --------------------------------------------------------------------------

struct StartScope::State {
  Scheduler* sched = nullptr;
  std::shared_ptr<Task> task;
  std::shared_ptr<Thread> thread;
  Thread* prev = nullptr;
};

StartScope::StartScope(ComponentInstanceRt* inst) {
  Scheduler& sched = Scheduler::of(*inst->store);
  if (sched.current()) return;
  st_ = std::make_unique<State>();
  st_->sched = &sched;
  st_->task = std::make_shared<Task>();
  st_->task->inst = inst;
  st_->task->state = Task::State::Started;
  auto t = sched.new_thread(st_->task, nullptr, true);
  if (!t) {
    st_.reset();
    return;
  }
  st_->thread = *t;
  st_->thread->state = Thread::State::Running;
  st_->task->implicit_thread = st_->thread.get();
  st_->task->register_thread(st_->thread.get());
  st_->prev = sched.exchange_current(st_->thread.get());
}

StartScope::~StartScope() {
  if (!st_) return;
  st_->sched->exchange_current(st_->prev);
  st_->task->state = Task::State::Resolved;
  (void)st_->task->unregister_thread(st_->thread.get());
}

}  // namespace rill::component::rt
