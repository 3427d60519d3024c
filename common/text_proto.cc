// Text-format parsing with error positions.
#include "common/text_proto.h"

#include <google/protobuf/io/tokenizer.h>

#include "absl/strings/str_cat.h"

namespace uplift {
namespace {

class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (text.empty()) text = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  std::string text;
};

}  // namespace

absl::Status ParseTextProto(const std::string& text, absl::string_view origin,
                            google::protobuf::Message* message,
                            google::protobuf::TextFormat::ParseInfoTree* locations) {
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (locations != nullptr) parser.WriteLocationsTo(locations);
  if (parser.ParseFromString(text, message)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(origin, ":", errors.text));
}

}  // namespace uplift
