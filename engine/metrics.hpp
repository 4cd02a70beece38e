// Prometheus metrics: counters, gauges and histograms with labels, rendered
// in the text exposition format for GET /metrics. One process-wide registry
// (Metrics()); every method is thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace sagaflow {

using Labels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
 public:
  enum class Type { kCounter, kGauge, kHistogram };

  // Declares a family; names follow Prometheus conventions
  // (sagaflow_..._total for counters, _seconds for durations).
  void Describe(const std::string& name, Type type, const std::string& help);

  void Add(const std::string& name, const Labels& labels, double value = 1);
  void Set(const std::string& name, const Labels& labels, double value);
  void Observe(const std::string& name, const Labels& labels, double value);
  // A callback run at each scrape to refresh gauges (e.g. from the database).
  void OnScrape(std::function<void(MetricsRegistry&)> refresh);

  std::string Render();
  // One sample's value, for tests: 0 when absent.
  double Value(const std::string& name, const Labels& labels);

 private:
  struct Histogram {
    std::vector<double> counts;  // per bucket, not cumulative
    double sum = 0;
    double count = 0;
  };
  struct Family {
    Type type = Type::kCounter;
    std::string help;
    std::map<std::string, double> values;         // rendered labels -> value
    std::map<std::string, Histogram> histograms;  // rendered labels -> histogram
  };

  std::mutex mutex_;
  std::map<std::string, Family> families_;
  std::vector<std::function<void(MetricsRegistry&)>> refreshers_;
};

MetricsRegistry& Metrics();

// Seconds buckets for latencies: 1 ms to 60 s.
const std::vector<double>& LatencyBuckets();

}  // namespace sagaflow
