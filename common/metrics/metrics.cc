// Counters, histograms and gauges in Prometheus's text format.
#include "common/metrics/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "absl/strings/str_cat.h"

namespace uplift::metrics {
namespace {

bool ValidName(const std::string& name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// A label value or help text: backslash and newline escaped, and the
// double quote too in label values.
std::string Escape(const std::string& text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return absl::StrCat(static_cast<int64_t>(v));
  // The shortest form that reads back as the same number (0.1, not
  // 0.10000000000000001).
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::vector<double> LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::string Family::SampleName(const std::string& name, const LabelValues& values,
                               const std::string& extra) const {
  std::string out = name;
  if (labels_.empty() && extra.empty()) return out;
  out += '{';
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (i > 0) out += ',';
    absl::StrAppend(&out, labels_[i], "=\"", Escape(i < values.size() ? values[i] : "", true),
                    "\"");
  }
  if (!extra.empty()) absl::StrAppend(&out, labels_.empty() ? "" : ",", extra);
  out += '}';
  return out;
}

void Family::Header(const std::string& type, std::string* out) const {
  absl::StrAppend(out, "# HELP ", name_, " ", Escape(help_, false), "\n# TYPE ", name_, " ", type,
                  "\n");
}

LabelValues Family::Admit(const LabelValues& values, size_t series_now) const {
  if (series_now < kMaxSeries) return values;
  return LabelValues(labels_.size(), "other");
}

void Counter::Increment(const LabelValues& values, double by) {
  absl::MutexLock lock(&mu_);
  auto it = values_.find(values);
  if (it == values_.end()) it = values_.emplace(Admit(values, values_.size()), 0).first;
  it->second += by;
}

void Counter::Render(std::string* out) const {
  Header("counter", out);
  absl::MutexLock lock(&mu_);
  for (const auto& [values, v] : values_) {
    absl::StrAppend(out, SampleName(name_, values), " ", FormatValue(v), "\n");
  }
}

Histogram::Histogram(std::string name, std::string help, std::vector<std::string> labels,
                     std::vector<double> bounds)
    : Family(std::move(name), std::move(help), std::move(labels)), bounds_(std::move(bounds)) {}

void Histogram::Observe(const LabelValues& values, double value) {
  absl::MutexLock lock(&mu_);
  auto it = series_.find(values);
  if (it == series_.end()) {
    it = series_.emplace(Admit(values, series_.size()), Series{}).first;
    it->second.buckets.resize(bounds_.size());
  }
  Series& s = it->second;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      ++s.buckets[i];
      break;
    }
  }
  ++s.count;
  s.sum += value;
}

void Histogram::Render(std::string* out) const {
  Header("histogram", out);
  absl::MutexLock lock(&mu_);
  const std::string bucket = name_ + "_bucket";
  for (const auto& [values, s] : series_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += s.buckets[i];
      absl::StrAppend(out, SampleName(bucket, values, "le=\"" + FormatValue(bounds_[i]) + "\""),
                      " ", cumulative, "\n");
    }
    absl::StrAppend(out, SampleName(bucket, values, "le=\"+Inf\""), " ", s.count, "\n");
    absl::StrAppend(out, SampleName(name_ + "_sum", values), " ", FormatValue(s.sum), "\n");
    absl::StrAppend(out, SampleName(name_ + "_count", values), " ", s.count, "\n");
  }
}

void Gauge::Render(std::string* out) const {
  absl::StatusOr<std::vector<GaugeSample>> samples = read_();
  if (!samples.ok()) {
    absl::StrAppend(out, "# ", name_, " unread: ",
                    Escape(std::string(samples.status().message().substr(0, 200)), false), "\n");
    return;
  }
  Header("gauge", out);
  for (const GaugeSample& s : *samples) {
    absl::StrAppend(out, SampleName(name_, s.values), " ", FormatValue(s.value), "\n");
  }
}

Counter* Registry::AddCounter(const std::string& name, const std::string& help,
                              std::vector<std::string> labels) {
  auto family = std::make_unique<Counter>(name, help, std::move(labels));
  Counter* counter = family.get();
  Add(std::move(family));
  return counter;
}

Histogram* Registry::AddHistogram(const std::string& name, const std::string& help,
                                  std::vector<std::string> labels, std::vector<double> bounds) {
  auto family = std::make_unique<Histogram>(name, help, std::move(labels), std::move(bounds));
  Histogram* histogram = family.get();
  Add(std::move(family));
  return histogram;
}

void Registry::AddGauge(const std::string& name, const std::string& help,
                        std::vector<std::string> labels, GaugeReader read) {
  Add(std::make_unique<Gauge>(name, help, std::move(labels), std::move(read)));
}

void Registry::Add(std::unique_ptr<Family> family) {
  // A bad or repeated name is a programming error: found by the first test.
  if (!ValidName(family->name())) {
    throw std::invalid_argument("metric name " + family->name() + " is not valid");
  }
  absl::MutexLock lock(&mu_);
  for (const auto& f : families_) {
    if (f->name() == family->name()) {
      throw std::invalid_argument("metric " + family->name() + " registered twice");
    }
  }
  families_.push_back(std::move(family));
}

std::string Registry::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& f : families_) f->Render(&out);
  return out;
}

}  // namespace uplift::metrics
