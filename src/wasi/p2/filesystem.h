// Shared by the two halves of wasi:filesystem/types: fs_descriptor.cpp (methods on the
// descriptor itself, preopens) and fs_paths.cpp (methods resolving a path beneath it).
#pragma once

#include <sys/stat.h>

#include <span>

#include "rill/wasi/p1/abi.h"
#include "rill/wasi/p2/host.h"

namespace rill::wasi::p2 {

/// The body of a [method]descriptor.*: {a}[0] is the descriptor {d} itself.
using DescriptorOp = TrapOr<Value> (*)(Host& h, Descriptor& d, std::span<const Value> a);

/// Define "[method]descriptor.{name}" as {op} on the borrowed descriptor.
void method(ComponentLinker::Instance& t, const HostPtr& h, const char* name, DescriptorOp op);
/// The methods of fs_paths.cpp (open-at, stat-at, ..., and the unsupported ones).
void add_path_methods(ComponentLinker::Instance& t, const HostPtr& h);

/// The descriptor-type label of a host st_mode.
const char* descriptor_type(mode_t mode);
/// A descriptor-stat record of {st}.
Value stat_record(const struct stat& st);
/// A metadata-hash-value record of {st} (inode and device).
Value hash_record(const struct stat& st);
/// A host errno for preview1 {e} (what p1's path resolution returns); escapes give EPERM.
int host_errno_of(p1::Errno e);

}  // namespace rill::wasi::p2
