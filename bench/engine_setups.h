// The set-ups every benchmark compares in one run: SQLite, PostgreSQL, and
// two replicas on PostgreSQL of the services it drives, with the --only
// flag that runs one of them; and the percentile latencies are told by.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

namespace uplift::bench {

struct Setup {
  const char* name;    // what --only takes and the tables print
  const char* engine;  // UPLIFT_TEST_ENGINE
  int replicas;        // of the services the benchmark drives
};

inline const std::vector<Setup>& AllSetups() {
  static const std::vector<Setup> setups = {
      {"sqlite", "sqlite", 1}, {"postgresql", "postgresql", 1}, {"postgresql-2", "postgresql", 2}};
  return setups;
}

// Adds --only NAME to `app`.
inline void AddOnlyOption(CLI::App& app, std::string* only) {
  app.add_option("--only", *only, "run one set-up: sqlite, postgresql or postgresql-2");
}

// Runs `measure(setup)` for every set-up in order, or for the one `only`
// names: each set-up with what it measured (none for an unknown name).
template <typename Measure>
auto MeasureSetups(const std::string& only, Measure&& measure) {
  std::vector<std::pair<Setup, decltype(measure(AllSetups().front()))>> results;
  for (const Setup& setup : AllSetups()) {
    if (!only.empty() && only != setup.name) continue;
    results.emplace_back(setup, measure(setup));
  }
  return results;
}

// The `p` quantile (0 to 1) of `v`, 0 if empty.
inline double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(static_cast<double>(v.size()) * p))];
}

}  // namespace uplift::bench
