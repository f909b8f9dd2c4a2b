// Capability-safe resolution (src/wasi/p1/path.cpp) against a real temporary directory: `..`
// escapes, absolute paths, symlinks leading out and symlink loops are refused; paths that stay
// inside, including through `..` and relative symlinks, resolve.
#include "rill/wasi/p1/path.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rill/wasi/p1/guest_memory.h"
#include "wasi_test_util.h"

namespace rill::wasi::p1 {
namespace {

using wasi_test::TempDir;

class PathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    ASSERT_EQ(::mkdir((tmp_ / "root").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((tmp_ / "root/sub").c_str(), 0755), 0);
    wasi_test::write_file(tmp_ / "root/inside.txt", "inside\n");
    wasi_test::write_file(tmp_ / "outside.txt", "outside\n");
    ASSERT_EQ(::symlink("/etc", (tmp_ / "root/etc_link").c_str()), 0);
    ASSERT_EQ(::symlink("../outside.txt", (tmp_ / "root/up_link").c_str()), 0);
    ASSERT_EQ(::symlink("sub/../inside.txt", (tmp_ / "root/in_link").c_str()), 0);
    ASSERT_EQ(::symlink("loop", (tmp_ / "root/loop").c_str()), 0);
    root_ = UniqueFd(::open((tmp_ / "root").c_str(), O_RDONLY | O_DIRECTORY));
    ASSERT_TRUE(root_.valid());
  }

  Errno open_read(const char* path, bool follow = true) {
    UniqueFd fd;
    return open_beneath(root_.get(), path, O_RDONLY, 0, follow, fd);
  }

  TempDir tmp_;
  UniqueFd root_;
};

TEST_F(PathTest, InsidePathsResolve) {
  EXPECT_EQ(open_read("inside.txt"), Errno::Success);
  EXPECT_EQ(open_read("sub/../inside.txt"), Errno::Success);
  EXPECT_EQ(open_read("./sub/./../inside.txt"), Errno::Success);
  EXPECT_EQ(open_read("in_link"), Errno::Success);
  EXPECT_EQ(open_read("."), Errno::Success);
}

TEST_F(PathTest, DotDotEscapeRefused) {
  EXPECT_EQ(open_read(".."), kEscapeErrno);
  EXPECT_EQ(open_read("../outside.txt"), kEscapeErrno);
  EXPECT_EQ(open_read("sub/../../outside.txt"), kEscapeErrno);
}

TEST_F(PathTest, AbsolutePathRefused) {
  EXPECT_EQ(open_read("/etc/passwd"), kEscapeErrno);
  EXPECT_EQ(open_read("/"), kEscapeErrno);
}

TEST_F(PathTest, SymlinkOutRefused) {
  EXPECT_EQ(open_read("etc_link/passwd"), kEscapeErrno);
  EXPECT_EQ(open_read("up_link"), kEscapeErrno);
}

TEST_F(PathTest, SymlinkLoopIsLoop) {
  EXPECT_EQ(open_read("loop"), Errno::Loop);
}

TEST_F(PathTest, NofollowStopsAtSymlink) {
  EXPECT_EQ(open_read("in_link", false), Errno::Loop);
  UniqueFd fd;
  EXPECT_EQ(open_beneath(root_.get(), "in_link", O_PATH, 0, false, fd), Errno::Success);
  struct stat st {};
  ASSERT_EQ(::fstat(fd.get(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
}

TEST_F(PathTest, BadPathsRejected) {
  EXPECT_EQ(check_path(""), Errno::NoEnt);
  EXPECT_EQ(check_path(std::string_view("a\0b", 3)), Errno::Ilseq);
  EXPECT_EQ(check_path(std::string(kMaxPathLen, 'a')), Errno::NameTooLong);
}

TEST_F(PathTest, ParentSplitKeepsTrailingSlash) {
  ParentDir p;
  ASSERT_EQ(open_parent(root_.get(), "sub/new/", p), Errno::Success);
  EXPECT_EQ(p.name, "new/");
  EXPECT_NE(p.fd, root_.get());
  ParentDir q;
  ASSERT_EQ(open_parent(root_.get(), "inside.txt", q), Errno::Success);
  EXPECT_EQ(q.name, "inside.txt");
  EXPECT_EQ(q.fd, root_.get());
}

TEST_F(PathTest, ParentEscapesRefused) {
  ParentDir p;
  EXPECT_EQ(open_parent(root_.get(), "../outside.txt", p), kEscapeErrno);
  EXPECT_EQ(open_parent(root_.get(), "/etc/passwd", p), kEscapeErrno);
  EXPECT_EQ(open_parent(root_.get(), "etc_link/passwd", p), kEscapeErrno);
  EXPECT_EQ(open_parent(root_.get(), "..", p), kEscapeErrno);
  EXPECT_EQ(open_parent(root_.get(), "sub/../..", p), kEscapeErrno);
  EXPECT_EQ(open_parent(root_.get(), "sub/..", p), Errno::Success);
  // A trailing slash follows the final symlink: "etc_link/" is /etc.
  EXPECT_EQ(open_parent(root_.get(), "etc_link/", p), kEscapeErrno);
  EXPECT_EQ(open_parent(root_.get(), "sub/", p), Errno::Success);
}

}  // namespace
}  // namespace rill::wasi::p1
