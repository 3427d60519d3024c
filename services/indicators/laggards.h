// Who is named in the dispatch and the bulletin (通报): enterprises whose
// comparable revenue fell more than the configured share this year, and
// enterprises that did not report the month, counted by township.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "services/indicators/indicator_data.h"

namespace uplift::indicators {

struct Laggards {
  struct Decline {
    int enterprise = -1;
    int64_t growth_bp = 0;
  };
  std::vector<Decline> declining;       // worst first, at most `listed`
  int declining_count = 0;
  std::vector<int> not_reporting;       // at most `listed`, by credit code
  int not_reporting_count = 0;
  std::map<int, int> not_reporting_by_township;  // township index -> count
};

Laggards FindLaggards(const IndicatorData& data, int year, int month, int64_t decline_bp,
                      size_t listed);

}  // namespace uplift::indicators
