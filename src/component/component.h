// The decoded form of a component binary (Binary.md): every definition in binary order, as the
// spec's flatten(s*) sees them. Index spaces are built from this by the validator (a later
// increment); nothing here resolves an index or knows about stores.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "rill/component/types.h"
#include "rill/wasm/module.h"

namespace rill::component {

struct Component;

/// A core module section: the module decoded by the core decoder, and where its bytes are.
struct CoreModule {
  std::shared_ptr<const wasm::Module> module;
  uint64_t offset = 0;  ///< absolute offset of the module's preamble
  uint64_t size = 0;
};

/// core:instantiatearg: (with n (instance i)).
struct CoreInstantiateArg {
  std::string name;
  CoreInstanceIdx instance{};
};
/// core:inlineexport.
struct CoreInlineExport {
  std::string name;
  CoreSortIdx item;
};
/// core:instanceexpr 0x00: (instantiate m arg*).
struct CoreInstantiate {
  CoreModuleIdx module{};
  std::vector<CoreInstantiateArg> args;
};
/// core:instanceexpr 0x01: an instance made of inline exports.
struct CoreInstanceFromExports {
  std::vector<CoreInlineExport> exports;
};
/// core:instance.
using CoreInstance = std::variant<CoreInstantiate, CoreInstanceFromExports>;

/// instantiatearg: (with n si).
struct InstantiateArg {
  std::string name;
  SortIdx item;
};
/// inlineexport.
struct InlineExport {
  ExternName name;
  SortIdx item;
};
/// instanceexpr 0x00: (instantiate c arg*).
struct Instantiate {
  ComponentIdx component{};
  std::vector<InstantiateArg> args;
};
/// instanceexpr 0x01: an instance made of inline exports.
struct InstanceFromExports {
  std::vector<InlineExport> exports;
};
/// instance.
using Instance = std::variant<Instantiate, InstanceFromExports>;

/// canonopt; enumerators are the binary opcodes.
enum class CanonOptKind : uint8_t {
  Utf8 = 0x00,         ///< string-encoding=utf8
  Utf16 = 0x01,        ///< string-encoding=utf16
  Latin1Utf16 = 0x02,  ///< string-encoding=latin1+utf16
  Memory = 0x03,       ///< (memory m)
  Realloc = 0x04,      ///< (realloc f)
  PostReturn = 0x05,   ///< (post-return f)
  Async = 0x06,        ///< async
  Callback = 0x07,     ///< (callback f)
};
/// "string-encoding=utf8", "memory", ... (the text format's spelling).
const char* to_string(CanonOptKind k);

/// canonopt: its kind and, for memory/realloc/post-return/callback, the core index it names.
struct CanonOpt {
  CanonOptKind kind = CanonOptKind::Utf8;
  uint32_t index = 0;  ///< Memory: core memory index; Realloc, PostReturn, Callback: core func
  uint64_t offset = 0;
};

/// Every canonical definition; enumerators are the binary opcodes. X-macro list in canon.def.
enum class CanonKind : uint8_t {
#define RILL_CANON(name, opcode, text, imm) name = opcode,
#include "rill/component/canon.def"
#undef RILL_CANON
};
/// "lift", "resource.new", "stream.cancel-read", ... (the text format's spelling).
const char* to_string(CanonKind k);

/// canon: one canonical definition. A tagged struct: each kind uses the fields its immediates
/// name (see canon.def); the rest keep their defaults.
struct Canon {
  CanonKind kind = CanonKind::Lift;
  /// Lift: core func; Lower: func; resource.* / stream.* / future.*: type index.
  uint32_t index = 0;
  TypeIdx func_type{};            ///< Lift: the function type
  std::vector<CanonOpt> opts;     ///< Lift, Lower, task.return, {stream,future}.{read,write},
                                  ///< error-context.{new,debug-message}
  std::optional<ValType> result;  ///< task.return: its result (absent for none)
  wasm::ValType core_type;        ///< context.get / context.set
  uint32_t slot = 0;              ///< context.get / context.set: the context slot index
  CoreMemIdx memory{};            ///< waitable-set.wait / waitable-set.poll
  CoreTypeIdx core_func_type{};   ///< thread.new-indirect, thread.spawn-ref, thread.spawn-indirect
  CoreTableIdx table{};           ///< thread.new-indirect, thread.spawn-indirect
  bool async = false;             ///< the async? immediate (subtask.cancel, *.cancel-read/write)
  bool cancellable = false;       ///< the cancel? immediate (waitable-set.*, thread.*)
  bool shared = false;            ///< the sh? immediate (thread.spawn-*, available-parallelism)
};

/// 🪙 start: (start f (value arg)* (result (value))^r).
struct Start {
  FuncIdx func{};
  std::vector<ValueIdx> args;
  uint32_t results = 0;
};

/// import: (import na et).
struct Import {
  ExternName name;
  ExternType type;
};

/// export: (export na si et?).
struct Export {
  ExternName name;
  SortIdx item;
  std::optional<ExternType> type;
};

/// 🪙 value: a value type and the bytes of val(t). Decoding val(t) needs the type index space
/// when {type} is an index, so the bytes are kept as a range for the validator.
struct Value {
  ValType type;
  uint64_t offset = 0;  ///< absolute offset of val(t)
  uint32_t size = 0;
};

/// A custom section: its name and where its payload is in the input (not copied).
struct CustomSection {
  std::string name;
  uint64_t offset = 0;  ///< absolute offset of the payload (after the name)
  uint64_t size = 0;
};

/// The "component-name" custom section (Binary.md "Name Section"): debug names only. Left empty
/// when absent or malformed, since a bad name section must not make a component invalid.
struct ComponentNames {
  /// The names given to one sort's index space, sorted by index.
  struct SortNames {
    Sort sort;
    std::vector<std::pair<uint32_t, std::string>> names;
  };
  std::string component;
  std::vector<SortNames> sorts;
  /// The name of index {index} in {sort}'s index space, or empty.
  std::string_view name(Sort sort, uint32_t index) const;
};

/// One definition, with the absolute offset where it starts.
struct Definition {
  std::variant<CoreModule, CoreInstance, CoreType, std::shared_ptr<const Component>, Instance,
               Alias, Type, Canon, Start, Import, Export, Value>
      def;
  uint64_t offset = 0;
};

/// One section as it appeared: id, payload range and the definitions it added.
struct SectionInfo {
  uint8_t id = 0;
  uint64_t offset = 0;  ///< absolute offset of the payload
  uint64_t size = 0;
  uint32_t first_def = 0;  ///< index into Component::defs
  uint32_t num_defs = 0;
};

/// A decoded component (also a nested one in a component section).
struct Component {
  std::vector<Definition> defs;
  std::vector<SectionInfo> sections;
  std::vector<CustomSection> customs;
  ComponentNames names;
  uint64_t offset = 0;  ///< absolute offset of the preamble
  uint64_t size = 0;
};

}  // namespace rill::component
