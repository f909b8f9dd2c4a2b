// Conversions between the public value vocabulary (include/rill/val.h) and the engine's types,
// plus the public types' to_string helpers.
#include <utility>

#include "api_internal.h"
#include "rill/base/escape.h"

namespace rill {

const char* to_string(ValType t) {
  switch (t) {
    case ValType::I32:
      return "i32";
    case ValType::I64:
      return "i64";
    case ValType::F32:
      return "f32";
    case ValType::F64:
      return "f64";
    case ValType::V128:
      return "v128";
    case ValType::FuncRef:
      return "funcref";
    case ValType::ExternRef:
      return "externref";
  }
  return "?";
}

const char* to_string(ExternKind k) {
  switch (k) {
    case ExternKind::Func:
      return "func";
    case ExternKind::Table:
      return "table";
    case ExternKind::Memory:
      return "memory";
    case ExternKind::Global:
      return "global";
  }
  return "?";
}

std::string FuncType::to_string() const {
  auto list = [](const std::vector<ValType>& ts) {
    std::string s = "(";
    for (size_t i = 0; i < ts.size(); ++i) {
      if (i != 0)
        s += ", ";
      s += rill::to_string(ts[i]);
    }
    return s + ")";
  };
  return list(params) + " -> " + list(results);
}

std::string Trap::backtrace() const {
  std::string s;
  for (size_t i = 0; i < frames.size(); ++i) {
    const Frame& f = frames[i];
    if (i != 0)
      s += "\n";
    s += "  " + std::to_string(i) + ": ";
    if (!f.module_name.empty())
      s += escape_name(f.module_name) + "!";
    s += f.func_name.empty() ? "<unnamed>" : escape_name(f.func_name);
    s += " (func " + std::to_string(f.func_index) + ")";
  }
  return s;
}

std::string Trap::to_string() const {
  std::string s = "wasm trap: " + message;
  if (!frames.empty())
    s += "\n" + backtrace();
  return s;
}

}  // namespace rill

namespace rill::detail {

// The public TrapKind mirrors the engine's enumerator for enumerator.
static_assert(static_cast<int>(TrapKind::Unreachable) ==
              static_cast<int>(engine::TrapKind::Unreachable));
static_assert(static_cast<int>(TrapKind::MemoryOutOfBounds) ==
              static_cast<int>(engine::TrapKind::MemoryOutOfBounds));
static_assert(static_cast<int>(TrapKind::TableOutOfBounds) ==
              static_cast<int>(engine::TrapKind::TableOutOfBounds));
static_assert(static_cast<int>(TrapKind::IndirectCallNull) ==
              static_cast<int>(engine::TrapKind::IndirectCallNull));
static_assert(static_cast<int>(TrapKind::IndirectCallBadSig) ==
              static_cast<int>(engine::TrapKind::IndirectCallBadSig));
static_assert(static_cast<int>(TrapKind::UndefinedElement) ==
              static_cast<int>(engine::TrapKind::UndefinedElement));
static_assert(static_cast<int>(TrapKind::IntegerDivideByZero) ==
              static_cast<int>(engine::TrapKind::IntegerDivideByZero));
static_assert(static_cast<int>(TrapKind::IntegerOverflow) ==
              static_cast<int>(engine::TrapKind::IntegerOverflow));
static_assert(static_cast<int>(TrapKind::InvalidConversion) ==
              static_cast<int>(engine::TrapKind::InvalidConversion));
static_assert(static_cast<int>(TrapKind::StackExhausted) ==
              static_cast<int>(engine::TrapKind::StackExhausted));
static_assert(static_cast<int>(TrapKind::Interrupted) ==
              static_cast<int>(engine::TrapKind::Interrupted));
static_assert(static_cast<int>(TrapKind::NullReference) ==
              static_cast<int>(engine::TrapKind::NullReference));
static_assert(static_cast<int>(TrapKind::HostError) ==
              static_cast<int>(engine::TrapKind::HostError));
static_assert(static_cast<int>(TrapKind::Exit) == static_cast<int>(engine::TrapKind::Exit));
static_assert(static_cast<int>(TrapKind::Component) ==
              static_cast<int>(engine::TrapKind::Component));

wasm::ValType to_wasm(ValType t) {
  switch (t) {
    case ValType::I32:
      return wasm::kI32;
    case ValType::I64:
      return wasm::kI64;
    case ValType::F32:
      return wasm::kF32;
    case ValType::F64:
      return wasm::kF64;
    case ValType::V128:
      return wasm::kV128;
    case ValType::FuncRef:
      return wasm::kFuncRef;
    case ValType::ExternRef:
      return wasm::kExternRef;
  }
  return wasm::kI32;
}

ValType from_wasm(wasm::ValType t) {
  switch (t.kind()) {
    case wasm::ValKind::I32:
      return ValType::I32;
    case wasm::ValKind::I64:
      return ValType::I64;
    case wasm::ValKind::F32:
      return ValType::F32;
    case wasm::ValKind::F64:
      return ValType::F64;
    case wasm::ValKind::V128:
      return ValType::V128;
    case wasm::ValKind::FuncRef:
      return ValType::FuncRef;
    case wasm::ValKind::ExternRef:
      return ValType::ExternRef;
    case wasm::ValKind::Bot:
      break;
  }
  return ValType::I32;
}

wasm::FuncType to_wasm(const FuncType& t) {
  wasm::FuncType out;
  for (ValType v : t.params)
    out.params.push_back(to_wasm(v));
  for (ValType v : t.results)
    out.results.push_back(to_wasm(v));
  return out;
}

FuncType from_wasm(const wasm::FuncType& t) {
  FuncType out;
  for (wasm::ValType v : t.params)
    out.params.push_back(from_wasm(v));
  for (wasm::ValType v : t.results)
    out.results.push_back(from_wasm(v));
  return out;
}

TableType from_wasm(const wasm::TableType& t) {
  return TableType{from_wasm(t.elem), t.limits.min, t.limits.max};
}
MemoryType from_wasm(const wasm::MemoryType& t) {
  return MemoryType{t.limits.min, t.limits.max};
}
GlobalType from_wasm(const wasm::GlobalType& t) {
  return GlobalType{from_wasm(t.type), t.mut};
}

ExternKind from_wasm(wasm::ExternKind k) {
  switch (k) {
    case wasm::ExternKind::Func:
      return ExternKind::Func;
    case wasm::ExternKind::Table:
      return ExternKind::Table;
    case wasm::ExternKind::Memory:
      return ExternKind::Memory;
    case wasm::ExternKind::Global:
    case wasm::ExternKind::Tag:
      break;
  }
  return ExternKind::Global;
}

engine::Value to_engine(const Val& v) {
  switch (v.type()) {
    case ValType::I32:
      return engine::Value::from_i32(static_cast<uint32_t>(v.i32()));
    case ValType::I64:
      return engine::Value::from_i64(static_cast<uint64_t>(v.i64()));
    case ValType::F32:
      return engine::Value::from_f32_bits(v.f32_bits());
    case ValType::F64:
      return engine::Value::from_f64_bits(v.f64_bits());
    case ValType::V128: {
      wasm::V128 b;
      std::memcpy(b.bytes, v.v128().bytes, 16);
      return engine::Value::from_v128(b);
    }
    case ValType::FuncRef:
    case ValType::ExternRef:
      break;
  }
  return engine::Value::from_ref(to_wasm(v.type()), v.ref());
}

Val from_engine(const engine::Value& v) {
  switch (v.type.kind()) {
    case wasm::ValKind::I32:
      return Val::from_i32(static_cast<int32_t>(v.i32));
    case wasm::ValKind::I64:
      return Val::from_i64(static_cast<int64_t>(v.i64));
    case wasm::ValKind::F32:
      return Val::from_f32_bits(v.f32_bits);
    case wasm::ValKind::F64:
      return Val::from_f64_bits(v.f64_bits);
    case wasm::ValKind::V128: {
      V128 b;
      std::memcpy(b.bytes, v.v128.bytes, 16);
      return Val::from_v128(b);
    }
    case wasm::ValKind::FuncRef:
    case wasm::ValKind::ExternRef:
      return Val::from_ref(from_wasm(v.type), v.ref);
    case wasm::ValKind::Bot:
      break;
  }
  return Val{};
}

Trap from_engine(engine::Trap&& t) {
  Trap out;
  out.kind = static_cast<TrapKind>(t.kind);
  out.message = std::move(t.message);
  out.exit_code = t.exit_code;
  out.component_code = t.component_code;
  out.frames.reserve(t.backtrace.size());
  for (engine::FrameInfo& f : t.backtrace) {
    out.frames.push_back(Frame{f.func_index, std::move(f.func_name), std::move(f.module_name)});
  }
  return out;
}

engine::Trap to_engine(Trap&& t) {
  engine::Trap out;
  out.kind = static_cast<engine::TrapKind>(t.kind);
  out.message = std::move(t.message);
  out.exit_code = t.exit_code;
  out.component_code = t.component_code;
  for (Frame& f : t.frames) {
    out.backtrace.push_back(
        engine::FrameInfo{f.func_index, std::move(f.func_name), std::move(f.module_name)});
  }
  return out;
}

}  // namespace rill::detail
