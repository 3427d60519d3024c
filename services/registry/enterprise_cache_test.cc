// Tests of EnterpriseCache as a plain class: an entry is served by version,
// and from memory only at the commit generation at which it was last found
// current; an older read never replaces a newer one.
#include "services/registry/enterprise_cache.h"

#include <gtest/gtest.h>

namespace uplift::registry {
namespace {

v1::Enterprise Named(const std::string& name) {
  v1::Enterprise e;
  e.set_credit_code("91130181MA0000001X");
  e.set_name(name);
  return e;
}

std::string NameOf(const std::optional<v1::Enterprise>& e) { return e ? e->name() : "(none)"; }

TEST(EnterpriseCache, ServesFromMemoryOnlyWhileTheGenerationItWasFoundAtHolds) {
  EnterpriseCache cache(10);
  const std::string code = Named("").credit_code();
  EXPECT_EQ(NameOf(cache.GetUnchangedSince(code, 7)), "(none)");
  cache.Put(Named("甲"), /*version=*/1, /*generation=*/7);
  EXPECT_EQ(NameOf(cache.GetUnchangedSince(code, 7)), "甲");
  EXPECT_EQ(NameOf(cache.GetUnchangedSince(code, 8)), "(none)") << "something committed since";
  // A read at generation 8 found version 1 still: current at 8 now.
  EXPECT_EQ(NameOf(cache.GetAtVersion(code, 1, 8)), "甲");
  EXPECT_EQ(NameOf(cache.GetUnchangedSince(code, 8)), "甲");
  EXPECT_EQ(NameOf(cache.GetAtVersion(code, 2, 9)), "(none)") << "another version";
  EXPECT_EQ(NameOf(cache.GetUnchangedSince(code, 8)), "甲") << "a miss notes nothing";
}

TEST(EnterpriseCache, WithoutAGenerationEveryReadGoesByVersion) {
  EnterpriseCache cache(10);
  const std::string code = Named("").credit_code();
  cache.Put(Named("甲"), 1, std::nullopt);
  EXPECT_EQ(NameOf(cache.GetAtVersion(code, 1, std::nullopt)), "甲");
  for (uint64_t generation : {0, 1, 2}) {
    EXPECT_EQ(NameOf(cache.GetUnchangedSince(code, generation)), "(none)");
  }
}

TEST(EnterpriseCache, AnOlderReadDoesNotReplaceANewerOne) {
  EnterpriseCache cache(10);
  const std::string code = Named("").credit_code();
  cache.Put(Named("乙"), 2, 9);
  cache.Put(Named("甲"), 1, 8);  // a reader whose snapshot was older
  EXPECT_EQ(NameOf(cache.GetAtVersion(code, 2, 9)), "乙");
  EXPECT_EQ(NameOf(cache.GetUnchangedSince(code, 8)), "(none)");
  EXPECT_EQ(NameOf(cache.GetUnchangedSince(code, 9)), "乙");
}

TEST(EnterpriseCache, IsBoundedAndOffWithNoRoom) {
  EnterpriseCache cache(2);
  for (int i = 0; i < 5; ++i) {
    v1::Enterprise e = Named("企业");
    e.set_credit_code("code" + std::to_string(i));
    cache.Put(e, 1, 1);
  }
  EXPECT_EQ(cache.size(), 2u);
  EnterpriseCache none(0);
  none.Put(Named("甲"), 1, 1);
  EXPECT_EQ(none.size(), 0u);
}

}  // namespace
}  // namespace uplift::registry
