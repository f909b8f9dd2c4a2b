// Host errno -> preview1 errno (src/wasi/p1/errno_map.cpp): the values are ABI, so pin them.
#include "rill/wasi/p1/errno_map.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace rill::wasi::p1 {
namespace {

uint16_t code(int host) {
  return static_cast<uint16_t>(from_host_errno(host));
}

TEST(ErrnoMap, MatchesWitxNumbers) {
  EXPECT_EQ(code(0), 0);
  EXPECT_EQ(code(E2BIG), 1);
  EXPECT_EQ(code(EACCES), 2);
  EXPECT_EQ(code(EAGAIN), 6);
  EXPECT_EQ(code(EBADF), 8);
  EXPECT_EQ(code(EEXIST), 20);
  EXPECT_EQ(code(EFAULT), 21);
  EXPECT_EQ(code(EINVAL), 28);
  EXPECT_EQ(code(EISDIR), 31);
  EXPECT_EQ(code(ELOOP), 32);
  EXPECT_EQ(code(ENAMETOOLONG), 37);
  EXPECT_EQ(code(ENOENT), 44);
  EXPECT_EQ(code(ENOSYS), 52);
  EXPECT_EQ(code(ENOTDIR), 54);
  EXPECT_EQ(code(ENOTEMPTY), 55);
  EXPECT_EQ(code(ENOTSOCK), 57);
  EXPECT_EQ(code(ENOTSUP), 58);
  EXPECT_EQ(code(EPERM), 63);
  EXPECT_EQ(code(EPIPE), 64);
  EXPECT_EQ(code(ERANGE), 68);
  EXPECT_EQ(code(ESPIPE), 70);
  EXPECT_EQ(code(EXDEV), 75);
}

TEST(ErrnoMap, UnknownBecomesIo) {
  EXPECT_EQ(from_host_errno(100000), Errno::Io);
}

TEST(ErrnoMap, LastErrnoReadsErrno) {
  errno = ENOENT;
  EXPECT_EQ(last_errno(), Errno::NoEnt);
}

}  // namespace
}  // namespace rill::wasi::p1
