// Entry and exit of the interpreter: execute() (host -> wasm, with the fault jump buffer around
// run()), host calls from wasm (slots <-> Values), trap backtraces and the per-store ExecState.
// The dispatch loop itself is interpreter.cpp.
#include <pthread.h>

#include <algorithm>
#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <vector>

#include "rill/engine/fiber.h"
#include "rill/engine/interp/interp.h"
#include "rill/engine/interp/interpreter.h"
#include "rill/engine/interp/iops.h"
#include "rill/engine/signals.h"

namespace rill::engine::interp {
namespace {

/// Longest backtrace recorded (deep recursion would otherwise build one entry per frame).
constexpr size_t kMaxBacktrace = 1000;

/// Native stack an entry into the interpreter must find left on its thread. Wasm-to-wasm calls
/// use no native stack, but each host -> wasm re-entry does (run()'s frame plus the host
/// function's); sanitizer builds have frames many times larger.
#if defined(__SANITIZE_ADDRESS__)
#define RILL_ASAN_FRAMES 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RILL_ASAN_FRAMES 1
#endif
#endif
#ifdef RILL_ASAN_FRAMES
constexpr uintptr_t kMinNativeStack = uintptr_t{1} << 20;
#else
constexpr uintptr_t kMinNativeStack = uintptr_t{256} << 10;
#endif

/// The current thread's stack as [lo, hi), or {0, 0} when it cannot be known.
std::pair<uintptr_t, uintptr_t> thread_stack() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return {0, 0};
  void* addr = nullptr;
  size_t size = 0;
  const int rc = pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0) return {0, 0};
  const auto lo = reinterpret_cast<uintptr_t>(addr);
  return {lo, lo + size};
}

/// False when entering the interpreter here would leave less than kMinNativeStack of the
/// running stack: the fiber's on a fiber, else the thread's. Code running on a stack neither
/// knows (a foreign coroutine's) passes.
bool native_stack_ok() {
  thread_local const std::pair<uintptr_t, uintptr_t> thread = thread_stack();
  std::pair<uintptr_t, uintptr_t> stack = thread;
  if (const Fiber* fiber = Fiber::current(); fiber != nullptr) stack = {fiber->stack_lo(), fiber->stack_hi()};
  const auto sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (sp <= stack.first || sp >= stack.second) return true;
  return sp - stack.first >= kMinNativeStack;
}

FrameInfo frame_info(const Function* f) {
  FrameInfo info;
  info.func_index = f->func_index;
  if (f->instance != nullptr && f->instance->module != nullptr) {
    const wasm::Names& names = f->instance->module->names;
    info.func_name = std::string(names.function(f->func_index));
    info.module_name = names.module;
  }
  return info;
}

/// The Trap for run() result {rc}, with the wasm frames above {bottom} (innermost first).
Trap make_trap(ExecState& es, int rc, const FrameRecord* bottom) {
  Trap trap;
  if (rc == kHostTrap && es.pending_trap) {
    trap = std::move(*es.pending_trap);
    es.pending_trap.reset();
  } else {
    trap = Trap::make(static_cast<TrapKind>(rc - kTrapBase));
  }
  // A trap passed up through a host function already lists the frames of the nested execute();
  // ours are outer to those. Each record names the function running above it, innermost last.
  for (const FrameRecord* r = es.frames_top; r > bottom && trap.backtrace.size() < kMaxBacktrace;) {
    --r;
    if (r->func != nullptr) trap.backtrace.push_back(frame_info(r->func));
  }
  return trap;
}

/// Host function called from outside wasm (execute() on a host function).
std::optional<Trap> call_host_direct(Store& store, Function* fn, Slot* slots) {
  ExecState& es = store.exec();
  es.store = &store;
  ++es.active;
  std::optional<Trap> result;
  if (!call_host(es, fn, slots, nullptr)) {
    result = std::move(*es.pending_trap);
    es.pending_trap.reset();
  }
  --es.active;
  if (es.fiber != nullptr) store.release_exec(es);
  return result;
}

/// execute()'s result when it returns before entering run(): the state goes back to the pool
/// when it was leased for this call only.
Trap refuse(Store& store, ExecState& es, TrapKind kind) {
  if (es.fiber != nullptr) store.release_exec(es);
  return Trap::make(kind);
}

}  // namespace

const Cell* exit_cell() {
  static const Cell cell = [] {
    Cell c;
    c.handler = handler(IOp::Exit);
    return c;
  }();
  return &cell;
}

const CompiledFunc* lazy_translate(ExecState& es, Function* fn) {
  const Instance& inst = *fn->instance;
  std::string error;
  const CompiledFunc* code = inst.compiled->translate(fn->func_index - inst.module->num_imported_funcs, &error);
  if (code == nullptr) {
    es.pending_trap = Trap::host("cannot translate function " + std::to_string(fn->func_index) + ": " + error);
    return nullptr;
  }
  fn->code = code;
  return code;
}

bool call_host(ExecState& es, Function* fn, Slot* args, Instance* caller) {
  if (!fn->host) {
    es.pending_trap = Trap::host("host function has no callback");
    return false;
  }
  const wasm::FuncType& type = *fn->type;
  constexpr size_t kInline = 8;
  Value inline_vals[2 * kInline];
  std::vector<Value> heap_vals;
  Value* vals = inline_vals;
  const size_t total = type.params.size() + type.results.size();
  if (total > 2 * kInline) {
    heap_vals.resize(total);
    vals = heap_vals.data();
  }
  Value* params = vals;
  Value* results = vals + type.params.size();
  uint32_t at = 0;
  for (size_t i = 0; i < type.params.size(); ++i) {
    params[i] = load_value(args + at, type.params[i]);
    at += type.params[i].slots();
  }
  for (size_t i = 0; i < type.results.size(); ++i) results[i].type = type.results[i];

  // A fault inside host code is not a guest fault: no jump back into the interpreter.
  sigjmp_buf* saved_jmp = signals::tl_fault_jmp;
  signals::tl_fault_jmp = nullptr;
  Caller c{*es.store, caller};
  std::optional<Trap> trap = invoke_host(fn->host, c, std::span<const Value>(params, type.params.size()),
                                         std::span<Value>(results, type.results.size()));
  signals::tl_fault_jmp = saved_jmp;
  // The host function may have suspended its fiber, or changed the store's deadline: run()
  // continues with the deadline in force now (re-armed on every resume).
  es.deadline = es.store->epoch_deadline();
  if (trap) {
    es.pending_trap = std::move(trap);
    return false;
  }
  at = 0;
  for (size_t i = 0; i < type.results.size(); ++i) {
    Value v = results[i];
    v.type = type.results[i];
    store_value(args + at, v);
    at += type.results[i].slots();
  }
  return true;
}

std::optional<Trap> execute(Store& store, Function* fn, Slot* slots) {
  if (fn->is_host()) return call_host_direct(store, fn, slots);
  ExecState& es = store.exec();
  if (es.reentry >= es.max_reentry || !native_stack_ok()) return refuse(store, es, TrapKind::StackExhausted);
  const CompiledFunc* code = fn->code;
  Slot* const base = es.stack_top;
  FrameRecord* const sentinel = es.frames_top;
  if (base + code->frame_size > es.stack_end || sentinel + 1 >= es.frames_end) {
    return refuse(store, es, TrapKind::StackExhausted);
  }
  es.store = &store;
  es.epoch = store.engine().epoch_counter();
  es.deadline = store.epoch_deadline();
  if (es.epoch->load(std::memory_order_relaxed) >= es.deadline) return refuse(store, es, TrapKind::Interrupted);

  std::memcpy(base, slots, code->num_param_slots * sizeof(Slot));
  std::memset(base + code->num_param_slots, 0, (code->num_local_slots - code->num_param_slots) * sizeof(Slot));
  sentinel->ret_ip = exit_cell();
  sentinel->fp = nullptr;
  sentinel->func = fn;
  sentinel->inst = fn->instance;
  es.frames_top = sentinel + 1;
  ++es.reentry;
  ++es.active;

  signals::ensure_installed();
  sigjmp_buf* const saved_jmp = signals::tl_fault_jmp;
  sigjmp_buf jmp;
  int rc = 0;
  // Nothing with a destructor lives across sigsetjmp; state after a fault is re-read from {es}.
  if (sigsetjmp(jmp, 0) == 0) {
    signals::tl_fault_jmp = &jmp;
    rc = run(&es, code->code.data(), base, fn->instance, nullptr);
  } else {
    rc = kTrapBase + static_cast<int>(TrapKind::MemoryOutOfBounds);
  }
  signals::tl_fault_jmp = saved_jmp;

  std::optional<Trap> result;
  if (rc != 0) {
    result = make_trap(es, rc, sentinel);
  } else {
    std::memcpy(slots, base, code->num_result_slots * sizeof(Slot));
  }
  es.frames_top = sentinel;
  es.stack_top = base;
  --es.reentry;
  --es.active;
  if (es.fiber != nullptr) [[unlikely]] store.release_exec(es);
  return result;
}

std::unique_ptr<ExecState, void (*)(ExecState*)> make_exec_state(const Config& config) {
  auto* es = new ExecState;  // NOLINT(cppcoreguidelines-owning-memory): owned by the returned unique_ptr
  const uint32_t stack_slots = std::max<uint32_t>(config.max_stack_slots, 1024);
  // Not value-initialised: the allocation stays untouched (uncommitted) until frames use it.
  es->stack.reset(new Slot[stack_slots]);
  es->stack_end = es->stack.get() + stack_slots;
  es->stack_top = es->stack.get();
  const size_t num_frames = size_t{config.max_call_depth} + config.max_host_reentry + 2;
  es->frames.reset(new FrameRecord[num_frames]);
  es->frames_top = es->frames.get();
  // A call pushing at frames_end - 1 still fits; each nested execute() needs one sentinel.
  es->frames_end = es->frames.get() + num_frames - 1;
  es->max_reentry = config.max_host_reentry;
  return {es, [](ExecState* s) { delete s; }};  // NOLINT(cppcoreguidelines-owning-memory)
}

}  // namespace rill::engine::interp
