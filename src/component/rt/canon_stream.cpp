// The stream and future built-ins (definitions.py canon_stream_*, canon_future_*, stream_copy,
// future_copy, cancel_copy, drop) and the shared state both ends of a channel use (stream.h).
#include <cstring>

#include "rill/component/rt/builtins.h"
#include "rill/component/rt/resolve.h"
#include "rill/component/rt/stream.h"

namespace rill::component::rt {

namespace {

constexpr uint32_t kMaxBufferLength = (1u << 28) - 1;

bool is_number(const RTypePtr& t) {
  if (!t) return true;
  switch (t->kind) {
    case TK::U8: case TK::S8: case TK::U16: case TK::S16: case TK::U32: case TK::S32:
    case TK::U64: case TK::S64: case TK::F32: case TK::F64:
      return true;
    default: return false;
  }
}

bool same_type(const RTypePtr& a, const RTypePtr& b) {
  if (!a || !b) return !a && !b;
  return a == b || (!type_mismatch(*a, *b) && !type_mismatch(*b, *a));
}

void canonicalize_nans(uint8_t* p, uint32_t n, TK k) {
  if (k == TK::F32) {
    for (uint32_t i = 0; i < n; ++i, p += 4) {
      uint32_t b;
      std::memcpy(&b, p, 4);
      if ((b & 0x7f800000u) == 0x7f800000u && (b & 0x007fffffu)) {
        b = 0x7fc00000u;
        std::memcpy(p, &b, 4);
      }
    }
  } else if (k == TK::F64) {
    for (uint32_t i = 0; i < n; ++i, p += 8) {
      uint64_t b;
      std::memcpy(&b, p, 8);
      if ((b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0x000fffffffffffffull)) {
        b = 0x7ff8000000000000ull;
        std::memcpy(p, &b, 8);
      }
    }
  }
}

/// Moves {n} elements from {src} to {dst} (ReadableBuffer.read + WritableBuffer.write).
MaybeTrap copy_elems(Buffer& src, Buffer& dst, uint32_t n) {
  if (src.t && n > 0) {
    const RType& t = *src.t;
    const uint64_t bytes = uint64_t{n} * t.size;
    if (is_number(src.t)) {
      std::memmove(dst.opts.memory->base() + dst.ptr, src.opts.memory->base() + src.ptr, bytes);
      canonicalize_nans(dst.opts.memory->base() + dst.ptr, n, t.kind);
    } else {
      Cx in{src.opts, src.inst, nullptr, nullptr, std::nullopt};
      Cx out{dst.opts, dst.inst, nullptr, nullptr, std::nullopt};
      in.budget = src.inst->store->engine().config().max_lift_bytes;
      for (uint32_t i = 0; i < n; ++i) {
        Value v;
        if (!load_value(in, src.ptr + uint64_t{i} * t.size, t, v)) return std::move(in.trap);
        if (!store_value(out, v, t, dst.ptr + uint64_t{i} * t.size)) return std::move(out.trap);
      }
    }
    src.ptr += static_cast<uint32_t>(bytes);
    dst.ptr += static_cast<uint32_t>(bytes);
  }
  src.progress += n;
  dst.progress += n;
  return std::nullopt;
}


}  // namespace

// ---- the shared channel -----------------------------------------------------------------------

void SharedChannel::reset_pending() {
  pending_inst = nullptr;
  pending_buffer = nullptr;
  pending_on_copy = nullptr;
  pending_on_copy_done = nullptr;
}

void SharedChannel::reset_and_notify_pending(CopyResult r) {
  OnCopyDone done = std::move(pending_on_copy_done);
  reset_pending();
  if (done) done(r);
}

void SharedChannel::drop() {
  if (dropped) return;
  dropped = true;
  if (pending_buffer) reset_and_notify_pending(CopyResult::Dropped);
}

MaybeTrap SharedChannel::read(ComponentInstanceRt* inst, Buffer* dst, OnCopy on_copy, OnCopyDone on_copy_done) {
  return copy(inst, dst, false, std::move(on_copy), std::move(on_copy_done));
}

MaybeTrap SharedChannel::write(ComponentInstanceRt* inst, Buffer* src, OnCopy on_copy, OnCopyDone on_copy_done) {
  return copy(inst, src, true, std::move(on_copy), std::move(on_copy_done));
}

MaybeTrap SharedChannel::copy(ComponentInstanceRt* inst, Buffer* buf, bool writing, OnCopy on_copy,
                              OnCopyDone on_copy_done) {
  if (dropped) {
    on_copy_done(CopyResult::Dropped);
    return std::nullopt;
  }
  auto post = [&] {
    pending_inst = inst;
    pending_buffer = buf;
    pending_on_copy = std::move(on_copy);
    pending_on_copy_done = std::move(on_copy_done);
  };
  if (!pending_buffer) {
    post();
    return std::nullopt;
  }
  if (inst == pending_inst && !is_number(t))
    return component_trap(future ? ComponentTrap::IntraComponentFuture : ComponentTrap::IntraComponentStream);
  Buffer& src = writing ? *buf : *pending_buffer;
  Buffer& dst = writing ? *pending_buffer : *buf;
  if (future) {
    if (MaybeTrap tr = copy_elems(src, dst, 1)) return tr;
    reset_and_notify_pending(CopyResult::Completed);
    on_copy_done(CopyResult::Completed);
    return std::nullopt;
  }
  if (pending_buffer->remain() > 0) {
    if (buf->remain() > 0) {
      if (MaybeTrap tr = copy_elems(src, dst, std::min(buf->remain(), pending_buffer->remain()))) return tr;
      pending_on_copy([this] { reset_pending(); });
    }
    on_copy_done(CopyResult::Completed);
    return std::nullopt;
  }
  // A zero-length write meeting a zero-length read completes both without a transfer
  // (definitions.py: only the write side checks).
  if (writing && buf->is_zero_length() && pending_buffer->is_zero_length()) {
    on_copy_done(CopyResult::Completed);
    return std::nullopt;
  }
  reset_and_notify_pending(CopyResult::Completed);
  post();
  return std::nullopt;
}

// ---- lifting and lowering ends ----------------------------------------------------------------

bool lift_async_end(Cx& cx, uint32_t i, const RType& t, Value& out) {
  const bool future = t.kind == TK::Future;
  const HandleKind want = future ? HandleKind::FutureReadable : HandleKind::StreamReadable;
  auto* e = cx.inst->handles.get_as<CopyEnd>(i, want);
  if (!e) return cx.fail_handle(ComponentTrap::UnknownHandle, i);
  if (!same_type(e->shared->t, t.elems[0])) return cx.fail(ComponentTrap::ChannelTypeMismatch);
  if (e->state == CopyEnd::State::Done)
    return cx.fail(future ? ComponentTrap::LiftFutureAfterRead : ComponentTrap::LiftStreamAfterDrop);
  if (e->state != CopyEnd::State::Idle)
    return cx.fail(future ? ComponentTrap::RemoveBusyFuture : ComponentTrap::RemoveBusyStream);
  if (e->wset) return cx.fail(future ? ComponentTrap::LiftFutureInSet : ComponentTrap::LiftStreamInSet);
  std::shared_ptr<TableObject> keep = cx.inst->handles.remove_object(i);
  std::shared_ptr<const void> shared = e->shared;
  out = future ? Value::future(std::move(shared)) : Value::stream(std::move(shared));
  return true;
}

bool lower_async_end(Cx& cx, const Value& v, const RType& t, uint32_t& out) {
  const bool future = t.kind == TK::Future;
  if (v.kind() != (future ? ValueKind::Future : ValueKind::Stream))
    return cx.fail(ComponentTrap::HostValueMismatch, future ? "expected a future" : "expected a stream");
  auto shared = std::static_pointer_cast<SharedChannel>(std::const_pointer_cast<void>(v.handle()));
  if (!shared || shared->future != future) return cx.fail(ComponentTrap::HostValueMismatch, "not a stream or future of this store");
  auto e = std::make_shared<CopyEnd>();
  e->kind = future ? HandleKind::FutureReadable : HandleKind::StreamReadable;
  e->shared = std::move(shared);
  out = cx.inst->handles.add(e->kind, e);
  if (out == 0) return cx.fail(ComponentTrap::HandleTableFull);
  return true;
}

bool lift_error_context(Cx& cx, uint32_t i, Value& out) {
  std::shared_ptr<TableObject> o = cx.inst->handles.object(i);
  if (cx.inst->handles.kind(i) != HandleKind::ErrorContext) return cx.fail_handle(ComponentTrap::UnknownHandle, i);
  out = Value::error_context(std::static_pointer_cast<const void>(o));
  return true;
}

bool lower_error_context(Cx& cx, const Value& v, uint32_t& out) {
  if (v.kind() != ValueKind::ErrorContext) return cx.fail(ComponentTrap::HostValueMismatch, "expected an error-context");
  auto e = std::make_shared<ErrorContext>();
  if (v.handle()) e->debug_message = static_cast<const ErrorContext*>(v.handle().get())->debug_message;
  out = cx.inst->handles.add(HandleKind::ErrorContext, e);
  if (out == 0) return cx.fail(ComponentTrap::HandleTableFull);
  return true;
}

// ---- built-ins --------------------------------------------------------------------------------

namespace {

using Args = BuiltinArgs;
using Results = BuiltinResults;
Error at(uint64_t offset, std::string msg) { return Error{std::move(msg), offset}; }
engine::Value u32(uint32_t v) { return builtin_u32(v); }

/// The event an end delivers for a finished copy (definitions.py stream_event / future_event).
Event copy_event(CopyEnd& e, uint32_t i, CopyResult r, EventCode code, bool future) {
  uint32_t progress = e.buffer ? e.buffer->progress : 0;
  if (future) {
    e.state = (r == CopyResult::Dropped || r == CopyResult::Completed) ? CopyEnd::State::Done : CopyEnd::State::Idle;
    return Event{code, i, static_cast<uint32_t>(r)};
  }
  e.state = r == CopyResult::Dropped ? CopyEnd::State::Done : CopyEnd::State::Idle;
  return Event{code, i, static_cast<uint32_t>(r) | (progress << 4)};
}

struct ChannelDef {
  bool future = false;
  RTypePtr t;  ///< element type (null: none)
};

Result<ChannelDef> channel_type(const Canon& c, ScopeRt& s, uint64_t offset) {
  if (c.index >= s.types.size() || s.types[c.index].kind != TypeRt::Kind::Val || !s.types[c.index].value)
    return at(offset, "type " + std::to_string(c.index) + " is not a stream or future type");
  const RTypePtr& v = s.types[c.index].value;
  if (v->kind != TK::Stream && v->kind != TK::Future)
    return at(offset, "type " + std::to_string(c.index) + " is not a stream or future type");
  return ChannelDef{v->kind == TK::Future, v->elems.empty() ? nullptr : v->elems[0]};
}


void push(ScopeRt& s, engine::Store& store, wasm::FuncType sig, BuiltinBody body) {
  push_builtin(s, store, std::move(sig), std::move(body));
}

/// The {writable} or readable end {i} of a channel of {def}'s type in {inst}'s table, or null
/// with the trap in {t}.
CopyEnd* get_end(const ChannelDef& def, bool writable, ComponentInstanceRt* inst, uint32_t i, MaybeTrap& t) {
  const HandleKind k = def.future ? (writable ? HandleKind::FutureWritable : HandleKind::FutureReadable)
                                  : (writable ? HandleKind::StreamWritable : HandleKind::StreamReadable);
  auto* e = inst->handles.get_as<CopyEnd>(i, k);
  if (!e) {
    t = handle_trap(ComponentTrap::UnknownHandle, i);
  } else if (!same_type(e->shared->t, def.t)) {
    t = component_trap(ComponentTrap::ChannelTypeMismatch);
    e = nullptr;
  }
  return e;
}

/// The end of a copy or a cancel: its event's payload, once there is one. Without one, an async
/// call returns BLOCKED and a sync one waits for it.
MaybeTrap deliver(CopyEnd* e, Thread* self, bool async, Results r) {
  if (!e->has_pending_event()) {
    if (async) {
      r[0] = u32(kBlocked);
      return std::nullopt;
    }
    e->has_sync_waiter = true;
    Scheduler& sched = *self->sched;
    const Block b = sched.wait_until(self, [e] { return e->has_pending_event(); }, false);
    e->has_sync_waiter = false;
    if (b == Block::Aborted) return sched.take_trap(ComponentTrap::InstanceDropped);
  }
  r[0] = u32(e->get_pending_event().p2);
  return std::nullopt;
}

/// stream.read / stream.write / future.read / future.write.
MaybeTrap copy(const ChannelDef& def, const CanonOpts& opts, bool write, ComponentInstanceRt* inst, Thread* self,
               uint32_t i, uint32_t ptr, uint32_t n, Results r) {
  if (!opts.async)
    if (MaybeTrap b = check_may_block(self)) return b;
  MaybeTrap t;
  std::shared_ptr<TableObject> keep = inst->handles.object(i);
  CopyEnd* e = get_end(def, write, inst, i, t);
  if (!e) return t;
  if (e->state == CopyEnd::State::Done) {
    if (def.future)
      return component_trap(write ? ComponentTrap::WriteFutureAfterDone : ComponentTrap::ReadFutureAfterRead);
    return component_trap(write ? ComponentTrap::WriteStreamAfterDrop : ComponentTrap::ReadStreamAfterDrop);
  }
  if (e->state != CopyEnd::State::Idle) return component_trap(ComponentTrap::ConcurrentCopy);
  if (e->wset && !opts.async) return component_trap(ComponentTrap::WaitableInSet);
  if (n > kMaxBufferLength) return component_trap(ComponentTrap::BufferTooLong);
  if (def.t && n > 0) {
    if (!opts.memory) return component_trap(ComponentTrap::BadCanonOption);
    if (ptr % def.t->align != 0) return component_trap(ComponentTrap::UnalignedPointer);
    if (uint64_t{ptr} + uint64_t{n} * def.t->size > opts.memory->size_bytes()) return component_trap(ComponentTrap::ValuesOutOfBounds);
  }
  e->buffer = std::make_unique<Buffer>(Buffer{opts, inst, def.t, ptr, n, 0});
  const EventCode code = def.future ? (write ? EventCode::FutureWrite : EventCode::FutureRead)
                                    : (write ? EventCode::StreamWrite : EventCode::StreamRead);
  const bool future = def.future;
  OnCopy on_copy = [e, i, code, future](std::function<void()> reclaim) {
    e->pending_event = [e, i, code, future, reclaim] {
      reclaim();
      return copy_event(*e, i, CopyResult::Completed, code, future);
    };
  };
  OnCopyDone on_copy_done = [e, i, code, future](CopyResult res) {
    e->pending_event = [e, i, code, future, res] { return copy_event(*e, i, res, code, future); };
  };
  e->state = CopyEnd::State::Copying;
  SharedChannel& sh = *e->shared;
  if (MaybeTrap tr = write ? sh.write(inst, e->buffer.get(), std::move(on_copy), std::move(on_copy_done))
                           : sh.read(inst, e->buffer.get(), std::move(on_copy), std::move(on_copy_done)))
    return tr;
  return deliver(e, self, opts.async, r);
}

MaybeTrap cancel_copy(const ChannelDef& def, bool write, bool async, ComponentInstanceRt* inst, Thread* self,
                      uint32_t i, Results r) {
  if (!async)
    if (MaybeTrap b = check_may_block(self)) return b;
  MaybeTrap t;
  std::shared_ptr<TableObject> keep = inst->handles.object(i);
  CopyEnd* e = get_end(def, write, inst, i, t);
  if (!e) return t;
  if (e->state != CopyEnd::State::Copying || e->has_sync_waiter) return component_trap(ComponentTrap::NoCopyToCancel);
  if (e->wset && !async) return component_trap(ComponentTrap::WaitableInSet);
  e->state = CopyEnd::State::CancellingCopy;
  // A partial copy leaves this end's buffer posted in the channel with a COMPLETED event
  // pending; cancelling takes the buffer back and reports CANCELLED with the progress made, as
  // Wasmtime does (the suite's cancel-stream test). A copy that has finished is reported as is.
  const bool posted = e->shared->pending_buffer == e->buffer.get();
  if (!e->has_pending_event() || posted) {
    if (posted) e->shared->cancel();
  }
  return deliver(e, self, async, r);
}

MaybeTrap drop_end(const ChannelDef& def, bool writable, ComponentInstanceRt* inst, uint32_t i) {
  MaybeTrap t;
  CopyEnd* e = get_end(def, writable, inst, i, t);
  if (!e) return t;
  // Wasmtime's texts: a busy readable end "cannot remove", a busy writable end "cannot drop".
  if (e->copying())
    return component_trap(writable ? (def.future ? ComponentTrap::DropBusyFuture : ComponentTrap::DropBusyStream)
                                   : (def.future ? ComponentTrap::RemoveBusyFuture : ComponentTrap::RemoveBusyStream));
  if (def.future && writable && e->state != CopyEnd::State::Done)
    return component_trap(ComponentTrap::DropUnwrittenFuture);
  std::shared_ptr<TableObject> keep = inst->handles.remove_object(i);
  e->shared->drop();
  e->pending_event = nullptr;
  e->join(nullptr);
  return std::nullopt;
}

}  // namespace

Result<bool> make_stream_builtin(const Canon& c, ScopeRt& s, engine::Store& store, uint64_t offset) {
  using K = CanonKind;
  switch (c.kind) {
    case K::StreamNew: case K::StreamRead: case K::StreamWrite: case K::StreamCancelRead:
    case K::StreamCancelWrite: case K::StreamDropReadable: case K::StreamDropWritable:
    case K::FutureNew: case K::FutureRead: case K::FutureWrite: case K::FutureCancelRead:
    case K::FutureCancelWrite: case K::FutureDropReadable: case K::FutureDropWritable:
      break;
    default: return false;
  }
  RILL_TRY(ChannelDef def, channel_type(c, s, offset));
  const wasm::ValType I32 = wasm::kI32;
  switch (c.kind) {
    case K::StreamNew:
    case K::FutureNew:
      push(s, store, {{}, {wasm::kI64}}, [def](ComponentInstanceRt* inst, Thread*, Args, Results r) -> MaybeTrap {
        auto shared = std::make_shared<SharedChannel>();
        shared->future = def.future;
        shared->t = def.t;
        auto re = std::make_shared<CopyEnd>();
        auto we = std::make_shared<CopyEnd>();
        re->kind = def.future ? HandleKind::FutureReadable : HandleKind::StreamReadable;
        we->kind = def.future ? HandleKind::FutureWritable : HandleKind::StreamWritable;
        re->shared = shared;
        we->shared = shared;
        const uint32_t ri = inst->handles.add(re->kind, re);
        if (ri == 0) return component_trap(ComponentTrap::HandleTableFull);
        const uint32_t wi = inst->handles.add(we->kind, we);
        if (wi == 0) return component_trap(ComponentTrap::HandleTableFull);
        r[0] = engine::Value::from_i64(uint64_t{ri} | (uint64_t{wi} << 32));
        return std::nullopt;
      });
      return true;
    case K::StreamRead:
    case K::StreamWrite: {
      RILL_TRY(const CanonOpts opts, resolve_opts(c.opts, s, offset));
      const bool write = c.kind == K::StreamWrite;
      push(s, store, {{I32, I32, I32}, {I32}},
           [def, opts, write](ComponentInstanceRt* inst, Thread* self, Args a, Results r) {
             return copy(def, opts, write, inst, self, a[0].i32, a[1].i32, a[2].i32, r);
           });
      return true;
    }
    case K::FutureRead:
    case K::FutureWrite: {
      RILL_TRY(const CanonOpts opts, resolve_opts(c.opts, s, offset));
      const bool write = c.kind == K::FutureWrite;
      push(s, store, {{I32, I32}, {I32}}, [def, opts, write](ComponentInstanceRt* inst, Thread* self, Args a, Results r) {
        return copy(def, opts, write, inst, self, a[0].i32, a[1].i32, 1, r);
      });
      return true;
    }
    case K::StreamCancelRead: case K::StreamCancelWrite:
    case K::FutureCancelRead: case K::FutureCancelWrite: {
      const bool write = c.kind == K::StreamCancelWrite || c.kind == K::FutureCancelWrite;
      const bool async = c.async;
      push(s, store, {{I32}, {I32}}, [def, write, async](ComponentInstanceRt* inst, Thread* self, Args a, Results r) {
        return cancel_copy(def, write, async, inst, self, a[0].i32, r);
      });
      return true;
    }
    default: {
      const bool writable = c.kind == K::StreamDropWritable || c.kind == K::FutureDropWritable;
      push(s, store, {{I32}, {}}, [def, writable](ComponentInstanceRt* inst, Thread*, Args a, Results) {
        return drop_end(def, writable, inst, a[0].i32);
      });
      return true;
    }
  }
}

}  // namespace rill::component::rt
