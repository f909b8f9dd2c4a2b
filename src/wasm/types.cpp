// Text names of value, function and extern types (the text format's spelling).
#include "rill/wasm/types.h"

namespace rill::wasm {

const char* to_string(ValType t) {
  switch (t.kind()) {
    case ValKind::I32: return "i32";
    case ValKind::I64: return "i64";
    case ValKind::F32: return "f32";
    case ValKind::F64: return "f64";
    case ValKind::V128: return "v128";
    case ValKind::FuncRef: return "funcref";
    case ValKind::ExternRef: return "externref";
    case ValKind::Bot: return "bot";
  }
  return "?";
}

std::string to_string(const FuncType& t) {
  // "[i32 i64] -> [f32]", the notation of the spec's validation algorithm.
  std::string s = "[";
  for (size_t i = 0; i < t.params.size(); ++i) {
    if (i) s += ' ';
    s += to_string(t.params[i]);
  }
  s += "] -> [";
  for (size_t i = 0; i < t.results.size(); ++i) {
    if (i) s += ' ';
    s += to_string(t.results[i]);
  }
  s += ']';
  return s;
}

const char* to_string(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
    case ExternKind::Tag: return "tag";
  }
  return "?";
}

}  // namespace rill::wasm
