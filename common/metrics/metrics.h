// Prometheus metrics of one process: counters and histograms the code
// updates as things happen, gauges read when Prometheus scrapes, all
// rendered in the text exposition format (0.0.4) that `promtool check
// metrics` accepts.
//
// A family has a fixed list of label names; a sample gives their values in
// that order. Label values can come from callers (an RPC's method name), so
// a family keeps at most `max_series` label sets: past that, samples count
// under the values "other", and a hostile caller cannot grow the process.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace uplift::metrics {

using LabelValues = std::vector<std::string>;

class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> labels)
      : name_(std::move(name)), help_(std::move(help)), labels_(std::move(labels)) {}
  virtual ~Family() = default;
  const std::string& name() const { return name_; }
  // Appends # HELP, # TYPE and the samples.
  virtual void Render(std::string* out) const = 0;

 protected:
  // `name{l1="v1",...}` with `extra` (e.g. le="0.5") last; values escaped.
  std::string SampleName(const std::string& name, const LabelValues& values,
                         const std::string& extra = "") const;
  void Header(const std::string& type, std::string* out) const;
  // `values` itself, or "other" for each label once the family is full.
  LabelValues Admit(const LabelValues& values, size_t series_now) const;

  const std::string name_, help_;
  const std::vector<std::string> labels_;
  static constexpr size_t kMaxSeries = 1000;
};

class Counter : public Family {
 public:
  using Family::Family;
  void Increment(const LabelValues& values, double by = 1);
  void Render(std::string* out) const override;

 private:
  mutable absl::Mutex mu_;
  std::map<LabelValues, double> values_ ABSL_GUARDED_BY(mu_);
};

class Histogram : public Family {
 public:
  Histogram(std::string name, std::string help, std::vector<std::string> labels,
            std::vector<double> bounds);
  void Observe(const LabelValues& values, double value);
  void Render(std::string* out) const override;

 private:
  struct Series {
    std::vector<uint64_t> buckets;  // per bound, not cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  const std::vector<double> bounds_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, Series> series_ ABSL_GUARDED_BY(mu_);
};

struct GaugeSample {
  LabelValues values;
  double value;
};
using GaugeReader = std::function<absl::StatusOr<std::vector<GaugeSample>>()>;

// Read at every scrape; a reader that fails leaves its family out of that
// scrape (Prometheus then shows the gap) and says why in a comment.
class Gauge : public Family {
 public:
  Gauge(std::string name, std::string help, std::vector<std::string> labels, GaugeReader read)
      : Family(std::move(name), std::move(help), std::move(labels)), read_(std::move(read)) {}
  void Render(std::string* out) const override;

 private:
  const GaugeReader read_;
};

class Registry {
 public:
  // Names must be valid Prometheus names ([a-zA-Z_:][a-zA-Z0-9_:]*), each
  // registered once; the returned families live as long as the registry.
  Counter* AddCounter(const std::string& name, const std::string& help,
                      std::vector<std::string> labels = {});
  Histogram* AddHistogram(const std::string& name, const std::string& help,
                          std::vector<std::string> labels, std::vector<double> bounds);
  void AddGauge(const std::string& name, const std::string& help, std::vector<std::string> labels,
                GaugeReader read);
  // Every family, in the order registered.
  std::string Render() const;

 private:
  void Add(std::unique_ptr<Family> family);
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Family>> families_ ABSL_GUARDED_BY(mu_);
};

// Latency buckets for calls, in seconds: 1 ms to 10 s.
std::vector<double> LatencyBuckets();
// A number as the exposition format writes it (+Inf, -Inf, NaN).
std::string FormatValue(double v);

}  // namespace uplift::metrics
