// Run-time type resolution within a ScopeRt, and import checking (resolve.cpp).
#pragma once

#include "rill/component/rt/linker.h"

namespace rill::component::rt {

Result<RTypePtr> resolve_val(ValType t, const ScopeRt& s);
Result<RTypePtr> resolve_defval(const DefValType& d, const ScopeRt& s);
Result<FuncTypePtr> resolve_func(const FuncType& f, const ScopeRt& s);
/// A type definition other than a resource type.
Result<TypeRt> resolve_type(const Type& t, const std::shared_ptr<ScopeRt>& s);
/// The scope {count} levels out from {s}.
Result<const ScopeRt*> outer_scope(const ScopeRt& s, uint32_t count);
/// Checks the item {got} supplied for import {name} against its declared type {et} in {s}, and
/// returns the item to bind (host functions without a type adopt the declared one).
Result<Item> check_import(const std::string& name, const ExternType& et, const Item& got,
                          const std::shared_ptr<ScopeRt>& s);

}  // namespace rill::component::rt
