// Log lines as JSON (--log-format json) and text: every line one JSON
// object that parses, with the call's fields; input cannot forge a line.
#include "common/log_format.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_split.h"

namespace uplift {
namespace {

class LogFormatTest : public ::testing::Test {
 protected:
  LogFormatTest() {
    previous_ = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>(
        "", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)));
  }
  ~LogFormatTest() override {
    spdlog::set_default_logger(previous_);
    (void)SetLogFormat("text", "");
  }
  std::vector<std::string> Lines() { return absl::StrSplit(out_.str(), '\n', absl::SkipEmpty()); }
  static google::protobuf::Struct Parse(const std::string& line) {
    google::protobuf::Struct s;
    const auto status = google::protobuf::util::JsonStringToMessage(line, &s);
    EXPECT_TRUE(status.ok()) << status << ": " << line;
    return s;
  }
  static std::string Field(const google::protobuf::Struct& s, const std::string& key) {
    auto it = s.fields().find(key);
    return it == s.fields().end() ? "<none>" : it->second.string_value();
  }

  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(LogFormatTest, JsonLinesCarryTimeLevelServiceMessageAndTheCallsFields) {
  ASSERT_TRUE(SetLogFormat("json", "uplift-registry").ok());
  spdlog::info("started");
  {
    LogFields fields({{"request_id", "r-1"}, {"subject", "承安镇工作专班"}});
    spdlog::warn("rpc {} NOT_FOUND: {}", "/a.B/C", "没有 \"这家\" 企业\n{\"level\":\"forged\"}");
  }
  spdlog::error("after");
  spdlog::info("bytes {}", std::string("\xff\xfe", 2));
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 4u) << out_.str();
  const google::protobuf::Struct first = Parse(lines[0]);
  EXPECT_EQ(Field(first, "level"), "info");
  EXPECT_EQ(Field(first, "service"), "uplift-registry");
  EXPECT_EQ(Field(first, "msg"), "started");
  EXPECT_EQ(Field(first, "request_id"), "<none>");
  EXPECT_EQ(Field(first, "time").size(), std::string("2026-12-03T19:40:00.123Z").size());
  const google::protobuf::Struct call = Parse(lines[1]);
  EXPECT_EQ(Field(call, "level"), "warning");
  EXPECT_EQ(Field(call, "request_id"), "r-1");
  EXPECT_EQ(Field(call, "subject"), "承安镇工作专班");
  // The newline in the message stays inside its line (escaped in the JSON).
  EXPECT_EQ(Field(call, "msg"), "rpc /a.B/C NOT_FOUND: 没有 \"这家\" 企业\n{\"level\":\"forged\"}");
  EXPECT_EQ(Field(Parse(lines[2]), "msg"), "after");
  EXPECT_EQ(Field(Parse(lines[2]), "request_id"), "<none>");  // the fields ended with their scope
  EXPECT_EQ(Field(Parse(lines[3]), "msg"), "bytes \\xff\\xfe");  // not UTF-8: escaped
}

TEST_F(LogFormatTest, TextLinesEndWithTheFields) {
  ASSERT_TRUE(SetLogFormat("text", "uplift-registry").ok());
  {
    LogFields fields({{"request_id", "r-2"}, {"subject", "admin"}});
    spdlog::info("rpc /a.B/C NOT_FOUND: x");
  }
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(
      absl::EndsWith(lines[0], "[info] rpc /a.B/C NOT_FOUND: x request_id=r-2 subject=admin"))
      << lines[0];
}

TEST_F(LogFormatTest, AnUnknownFormatIsRefusedNamingTheFlag) {
  const absl::Status s = SetLogFormat("xml", "uplift-registry");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "--log-format: \"xml\" is not text or json");
}

}  // namespace
}  // namespace uplift
