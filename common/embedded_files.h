// Data files built into every binary at configure time
// (cmake/UpliftEmbed.cmake): the official calendars, the suite's topology
// and its access table. Each function returns the files' names and texts.
#pragma once

#include <vector>

namespace uplift {

struct EmbeddedFile {
  const char* name;
  const char* text;
};

std::vector<EmbeddedFile> EmbeddedCalendars();   // calendars/cn-*.textproto
std::vector<EmbeddedFile> EmbeddedSuite();       // protos/uplift/suite/v1/suite.textproto
std::vector<EmbeddedFile> EmbeddedAccessTable(); // access/access_table.textproto

}  // namespace uplift
