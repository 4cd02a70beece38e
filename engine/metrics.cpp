#include "engine/metrics.hpp"

#include <cmath>
#include <sstream>

namespace sagaflow {
namespace {

std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string text = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    text += (i ? "," : "") + labels[i].first + "=\"" + Escape(labels[i].second) + "\"";
  }
  return text + "}";
}

std::string Number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}

// Adds le="…" to rendered labels.
std::string WithLe(const std::string& rendered, const std::string& le) {
  if (rendered.empty()) return "{le=\"" + le + "\"}";
  return rendered.substr(0, rendered.size() - 1) + ",le=\"" + le + "\"}";
}

}  // namespace

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                              0.5,   1,      2.5,   5,    10,    30,   60};
  return buckets;
}

void MetricsRegistry::Describe(const std::string& name, Type type, const std::string& help) {
  std::lock_guard lock(mutex_);
  Family& family = families_[name];
  family.type = type;
  family.help = help;
}

void MetricsRegistry::Add(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  families_[name].values[RenderLabels(labels)] += value;
}

void MetricsRegistry::Set(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  Family& family = families_[name];
  family.type = Type::kGauge;
  family.values[RenderLabels(labels)] = value;
}

void MetricsRegistry::Observe(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  Family& family = families_[name];
  family.type = Type::kHistogram;
  Histogram& histogram = family.histograms[RenderLabels(labels)];
  const auto& buckets = LatencyBuckets();
  if (histogram.counts.empty()) histogram.counts.assign(buckets.size(), 0);
  for (size_t i = 0; i < buckets.size(); ++i) {
    if (value <= buckets[i]) {
      histogram.counts[i] += 1;
      break;
    }
  }
  histogram.sum += value;
  histogram.count += 1;
}

void MetricsRegistry::OnScrape(std::function<void(MetricsRegistry&)> refresh) {
  std::lock_guard lock(mutex_);
  refreshers_.push_back(std::move(refresh));
}

std::string MetricsRegistry::Render() {
  std::vector<std::function<void(MetricsRegistry&)>> refreshers;
  {
    std::lock_guard lock(mutex_);
    refreshers = refreshers_;
  }
  for (auto& refresh : refreshers) refresh(*this);
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  for (const auto& [name, family] : families_) {
    const char* type = family.type == Type::kCounter ? "counter"
                       : family.type == Type::kGauge ? "gauge"
                                                     : "histogram";
    if (!family.help.empty()) out << "# HELP " << name << " " << family.help << "\n";
    out << "# TYPE " << name << " " << type << "\n";
    for (const auto& [labels, value] : family.values) {
      out << name << labels << " " << Number(value) << "\n";
    }
    for (const auto& [labels, histogram] : family.histograms) {
      double cumulative = 0;
      const auto& buckets = LatencyBuckets();
      for (size_t i = 0; i < buckets.size(); ++i) {
        cumulative += histogram.counts[i];
        out << name << "_bucket" << WithLe(labels, Number(buckets[i])) << " " << Number(cumulative)
            << "\n";
      }
      out << name << "_bucket" << WithLe(labels, "+Inf") << " " << Number(histogram.count) << "\n";
      out << name << "_sum" << labels << " " << Number(histogram.sum) << "\n";
      out << name << "_count" << labels << " " << Number(histogram.count) << "\n";
    }
  }
  return out.str();
}

double MetricsRegistry::Value(const std::string& name, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto family = families_.find(name);
  if (family == families_.end()) return 0;
  auto value = family->second.values.find(RenderLabels(labels));
  return value == family->second.values.end() ? 0 : value->second;
}

MetricsRegistry& Metrics() {
  static MetricsRegistry registry;
  return registry;
}

}  // namespace sagaflow
