// JSON lines of the fake receivers.
#include "tests/support/json_lines.h"

#include <google/protobuf/util/json_util.h>

#include <fstream>

namespace uplift::testing {

std::vector<google::protobuf::Struct> ReadJsonLines(const std::string& path) {
  std::vector<google::protobuf::Struct> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    google::protobuf::Struct s;
    if (google::protobuf::util::JsonStringToMessage(line, &s).ok()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace uplift::testing
