// Reading what a metrics port answers, for tests: the scrape itself,
// Debian's promtool's verdict on it, and one sample's value.
#pragma once

#include <string>

namespace uplift::testing {

// GET /metrics on 127.0.0.1:`port`; "" with a failed expectation when
// it does not answer 200.
std::string ScrapeMetrics(int port);

// "" when `promtool check metrics` accepts `text`, else what it said.
std::string PromtoolProblems(const std::string& text);

// The value of the sample whose line starts with `series` (the name and
// its labels as rendered, e.g. `up{job="x"}`); -1 when there is none.
double SampleValue(const std::string& text, const std::string& series);

}  // namespace uplift::testing
