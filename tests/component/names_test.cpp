// Tests of the import/export name grammar (src/component/names.cpp): labels, annotated plain
// names, interface names with versions, semver, and the strongly-unique key.
#include "rill/component/names.h"

#include <gtest/gtest.h>

#include <string>

namespace rill::component {
namespace {

TEST(Names, LabelsAreKebabCase) {
  for (const char* ok : {"a", "a-b-c", "a1-2-3", "A", "A-B-C", "A1-2-3", "a11-w0rds",
                         "A11-4CR0NYMS", "m1x3d-4CR0NYMS", "is-XML", "get-JSON"}) {
    EXPECT_TRUE(is_label(ok)) << ok;
  }
  for (const char* bad :
       {"", "1-2-3", "-a", "a-", "a--b", "aB", "Ab", "a_b", "a b", "a.b", "é", "a-B1c"}) {
    EXPECT_FALSE(is_label(bad)) << bad;
  }
}

TEST(Names, WordsAreLowerCaseOnly) {
  EXPECT_TRUE(is_words("wasi"));
  EXPECT_TRUE(is_words("my-pkg2"));
  EXPECT_FALSE(is_words("WASI"));
  EXPECT_FALSE(is_words("my-PKG"));
  EXPECT_FALSE(is_words("1pkg"));
}

TEST(Names, Semver) {
  for (const char* ok : {"0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1",
                         "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0+20130313144700",
                         "1.0.0-beta+exp.sha.5114f85", "1.0.0-x-y-z.--", "1.0.0+001"}) {
    EXPECT_TRUE(is_valid_semver(ok)) << ok;
  }
  for (const char* bad : {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-",
                          "1.2.3+", "1.2.3-01", "1.2.3-a..b", "1.2.3-a_b", "a.b.c", "1.2.3 "}) {
    EXPECT_FALSE(is_valid_semver(bad)) << bad;
  }
}

TEST(Names, CanonVersion) {
  for (const char* ok : {"1", "12", "0.2", "0.10", "0.0.1", "0.0.0"})
    EXPECT_TRUE(is_canon_version(ok)) << ok;
  for (const char* bad : {"", "0", "01", "0.0", "0.01", "0.0.01", "1.2", "0.1.2", "1.0.0"}) {
    EXPECT_FALSE(is_canon_version(bad)) << bad;
  }
  EXPECT_TRUE(is_semver_suffix(""));
  EXPECT_TRUE(is_semver_suffix(".3-rc.1+build"));
  EXPECT_FALSE(is_semver_suffix(".3 "));
  EXPECT_FALSE(is_semver_suffix("_"));
}

TEST(Names, PlainAndAnnotatedNames) {
  auto n = parse_extern_name("get-JSON");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->kind, NameKind::Label);
  EXPECT_EQ(n->label, "get-JSON");

  n = parse_extern_name("[constructor]blob");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->kind, NameKind::Constructor);
  EXPECT_EQ(n->label, "blob");

  n = parse_extern_name("[method]blob.read-all");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->kind, NameKind::Method);
  EXPECT_EQ(n->label, "blob");
  EXPECT_EQ(n->member, "read-all");

  n = parse_extern_name("[static]blob.merge");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->kind, NameKind::Static);
  EXPECT_EQ(n->member, "merge");
}

TEST(Names, BadNamesSayWhyAtTheGivenOffset) {
  auto n = parse_extern_name("a_b", 42);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().message, "`a_b` is not in kebab case");
  EXPECT_EQ(n.error().offset, 42u);

  n = parse_extern_name("[method]ab");
  ASSERT_FALSE(n);
  EXPECT_NE(n.error().message.find("failed to find `.` character"), std::string::npos);

  for (const char* bad : {"", "[constructor]", "[method].a", "[method]a.", "[static]a.b.c",
                          "[foo]a", "[method]a.B-c_", "[constructor]a.b"}) {
    EXPECT_FALSE(parse_extern_name(bad)) << bad;
  }
}

TEST(Names, InterfaceNames) {
  auto n = parse_extern_name("wasi:http/handler@0.2.0");
  ASSERT_TRUE(n) << n.error().message;
  ASSERT_EQ(n->kind, NameKind::Interface);
  const InterfaceName& i = n->interface;
  ASSERT_EQ(i.namespaces.size(), 1u);
  EXPECT_EQ(i.namespaces[0], "wasi");
  EXPECT_EQ(i.package, "http");
  ASSERT_EQ(i.projections.size(), 1u);
  EXPECT_EQ(i.projections[0], "handler");
  EXPECT_TRUE(i.has_version);
  EXPECT_EQ(i.version, "0.2.0");
  EXPECT_FALSE(i.nested());

  n = parse_extern_name("a:b/c");
  ASSERT_TRUE(n);
  EXPECT_FALSE(n->interface.has_version);

  n = parse_extern_name("wasi:http/types@0.2");  // 🔗 canonversion
  ASSERT_TRUE(n);
  EXPECT_EQ(n->interface.version, "0.2");

  n = parse_extern_name("a:b:c/d/e-F@1.0.0-rc.1");  // 🪺 nested namespaces and projections
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_TRUE(n->interface.nested());
  EXPECT_EQ(n->interface.namespaces.size(), 2u);
  EXPECT_EQ(n->interface.package, "c");
  EXPECT_EQ(n->interface.projections.size(), 2u);

  for (const char* bad : {":", ":a", "a:", "a:b", "a:b/", "a:/c", "A:b/c", "a:B/c", "a:b/c_d",
                          "a:b/c@", "a:b/c@1.0", "a:b/c@01.0.0", "a1:b/c@x", "a:b//c", "a::b/c"}) {
    EXPECT_FALSE(parse_extern_name(bad)) << bad;
  }
  EXPECT_TRUE(parse_interface_name("wasi:keyvalue/store"));
  EXPECT_FALSE(parse_interface_name("store"));
}

TEST(Names, StronglyUniqueKey) {
  // Explainer.md "Name Uniqueness": these are all distinct...
  const char* distinct[] = {
      "foo", "foo-bar", "[constructor]foo", "[method]foo.bar", "[static]foo.baz", "foo:bar/baz"};
  for (const char* a : distinct) {
    for (const char* b : distinct) {
      if (a == b) continue;
      EXPECT_NE(strongly_unique_key(a), strongly_unique_key(b)) << a << " " << b;
    }
  }
  // ...and each of these collides with one of them.
  for (const char* clash :
       {"foo", "FOO", "foo-BAR", "[constructor]FOO", "[method]foo.BAR", "[static]foo.bar",
        "[method]foo.baz", "[method]foo.foo", "[static]foo-BAR.FOO-bar", "foo:bar/BAZ"}) {
    bool found = false;
    for (const char* d : distinct)
      found = found || strongly_unique_key(clash) == strongly_unique_key(d);
    EXPECT_TRUE(found) << clash;
  }
}

}  // namespace
}  // namespace rill::component
