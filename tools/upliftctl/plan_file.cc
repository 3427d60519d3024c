// Plan files and their locations.
#include "tools/upliftctl/plan_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/text_proto.h"

namespace uplift::cli {
absl::StatusOr<std::unique_ptr<PlanFile>> PlanFile::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

absl::StatusOr<std::unique_ptr<PlanFile>> PlanFile::Parse(const std::string& text,
                                                          const std::string& path) {
  std::unique_ptr<PlanFile> file(new PlanFile());
  file->path_ = path;
  absl::Status parsed = ParseTextProto(text, path, &file->plan_, &file->tree_);
  if (!parsed.ok()) return parsed;
  return file;
}

int PlanFile::LineOf(const std::string& field_path) const {
  std::vector<std::string> parts = absl::StrSplit(field_path, '.');
  if (parts.empty() || parts[0] != "plan") return 0;
  const google::protobuf::Descriptor* descriptor = plan_.GetDescriptor();
  const google::protobuf::TextFormat::ParseInfoTree* tree = &tree_;
  int line = 0;
  for (size_t i = 1; i < parts.size() && tree != nullptr && descriptor != nullptr; ++i) {
    std::string name = parts[i];
    int index = -1;
    const size_t bracket = name.find('[');
    if (bracket != std::string::npos) {
      if (!absl::SimpleAtoi(name.substr(bracket + 1, name.size() - bracket - 2), &index)) return line;
      name = name.substr(0, bracket);
    }
    const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field == nullptr) return line;
    const int lookup = field->is_repeated() ? std::max(index, 0) : -1;
    const auto location = tree->GetLocation(field, lookup);
    if (location.line >= 0) line = location.line + 1;
    if (field->message_type() == nullptr) break;
    tree = tree->GetTreeForNested(field, lookup);
    descriptor = field->message_type();
  }
  return line;
}

std::string PlanFile::Locate(const std::string& message) const {
  const size_t colon = message.find(": ");
  if (colon != std::string::npos && message.rfind("plan.", 0) == 0) {
    const int line = LineOf(message.substr(0, colon));
    if (line > 0) return absl::StrCat(path_, ":", line, ": ", message);
  }
  return absl::StrCat(path_, ": ", message);
}

}  // namespace uplift::cli
