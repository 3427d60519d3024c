// upliftctl and the console name notification kinds, delivery states and
// channel types the same way: each label of upliftctl's notify_labels.cc
// is the one web/src/labels.ts gives the same enum value.
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "tools/upliftctl/notify_labels.h"

namespace uplift::cli {
namespace {

namespace nv1 = uplift::notify::v1;

// `[Enum.NAME]: "label"` entries of the `export const <table>` block.
std::map<std::string, std::string> ConsoleLabels(const std::string& table) {
  std::ifstream in(std::string(UPLIFT_SOURCE_DIR) + "/web/src/labels.ts");
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const size_t start = all.find("export const " + table);
  EXPECT_NE(start, std::string::npos) << table;
  const std::string block = all.substr(start, all.find("};", start) - start);
  std::map<std::string, std::string> out;
  const std::regex entry(R"re(\[\w+\.(\w+)\]:\s*"([^"]*)")re");
  for (std::sregex_iterator it(block.begin(), block.end(), entry), end; it != end; ++it) {
    out[(*it)[1]] = (*it)[2];
  }
  return out;
}

// Every value of `Enum` but UNSPECIFIED: upliftctl's `label` is the
// console's `table` entry for the value's name without `prefix`.
template <typename Enum>
void ExpectConsoleLabels(const google::protobuf::EnumDescriptor* d, const std::string& prefix,
                         const std::string& table, std::string (*label)(Enum)) {
  const std::map<std::string, std::string> console = ConsoleLabels(table);
  ASSERT_FALSE(console.empty()) << table;
  for (int i = 1; i < d->value_count(); ++i) {
    const std::string name = d->value(i)->name();
    const auto it = console.find(name.substr(prefix.size()));
    ASSERT_NE(it, console.end()) << name << " has no label in " << table;
    EXPECT_EQ(label(static_cast<Enum>(d->value(i)->number())), it->second) << name;
  }
}

TEST(Labels, KindsStatesAndChannelTypesAreNamedAsInTheConsole) {
  ExpectConsoleLabels(nv1::Kind_descriptor(), "KIND_", "KIND_NAMES", &KindLabel);
  ExpectConsoleLabels(nv1::DeliveryState_descriptor(), "DELIVERY_STATE_", "DELIVERY_STATE_NAMES",
                      &StateLabel);
  ExpectConsoleLabels(nv1::ChannelType_descriptor(), "CHANNEL_TYPE_", "CHANNEL_TYPE_NAMES",
                      &ChannelTypeLabel);
}

}  // namespace
}  // namespace uplift::cli
