// A debugging view of translated code: one line per instruction with its IOp name and operands.
// Used by tests and when chasing translator bugs; the interpreter never needs it.
#pragma once

#include <string>

#include "rill/engine/interp/compiled.h"
#include "rill/engine/interp/iops.h"

namespace rill::engine::interp {

/// Name of {op} ("I32AddImm", "BrIf_I32LtS", ...).
const char* iop_name(IOp op);

/// "0: I32Add 5 3 4\n..." Cells that are not handler addresses print as operands of the
/// instruction before them (u32 pairs), so the listing needs no per-IOp length table.
std::string disassemble(const CompiledFunc& f);

}  // namespace rill::engine::interp
