// What the tests' fake receivers (tests/fakes/*.py) record: one JSON
// object a line, read back as protobuf Structs (lines that do not parse,
// e.g. one being written, are skipped).
#pragma once

#include <google/protobuf/struct.pb.h>

#include <string>
#include <vector>

namespace uplift::testing {

std::vector<google::protobuf::Struct> ReadJsonLines(const std::string& path);

}  // namespace uplift::testing
