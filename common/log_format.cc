// Text or JSON lines through spdlog's formatter.
#include "common/log_format.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/json_escape.h"
#include "common/validation.h"

namespace uplift {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

thread_local const Fields* current_fields = nullptr;

const Fields& NoFields() {
  static const Fields none;
  return none;
}

// One JSON object a line: time (UTC, milliseconds), level, service, msg,
// then the thread's fields.
class JsonFormatter : public spdlog::formatter {
 public:
  explicit JsonFormatter(std::string service) : service_(std::move(service)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const absl::Time time = absl::FromChrono(msg.time);
    std::string line = absl::StrCat(
        "{\"time\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone()),
        "\",\"level\":\"", spdlog::level::to_string_view(msg.level).data(), "\",\"service\":\"",
        JsonEscape(service_), "\",\"msg\":\"",
        JsonEscape(std::string(msg.payload.data(), msg.payload.size())), "\"");
    for (const auto& [key, value] : LogFields::Current()) {
      absl::StrAppend(&line, ",\"", JsonEscape(key), "\":\"", JsonEscape(value), "\"");
    }
    line += "}\n";
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>(service_);
  }

 private:
  const std::string service_;
};

// spdlog's default pattern, with the thread's fields after the message.
class FieldsFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (const auto& [key, value] : LogFields::Current()) {
      const std::string part = absl::StrCat(" ", key, "=", value);
      dest.append(part.data(), part.data() + part.size());
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return spdlog::details::make_unique<FieldsFlag>();
  }
};

}  // namespace

LogFields::LogFields(Fields fields) : fields_(std::move(fields)), outer_(current_fields) {
  current_fields = &fields_;
}

LogFields::~LogFields() { current_fields = outer_; }

const Fields& LogFields::Current() {
  return current_fields != nullptr ? *current_fields : NoFields();
}

absl::Status SetLogFormat(const std::string& format, const std::string& service) {
  if (format == "json") {
    spdlog::set_formatter(std::make_unique<JsonFormatter>(service));
    return absl::OkStatus();
  }
  if (format == "text") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<FieldsFlag>('*').set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v%*");
    spdlog::set_formatter(std::move(formatter));
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--log-format: ", QuoteInput(format), " is not text or json"));
}

}  // namespace uplift
