// Percentiles and number formatting for the tables.
#pragma once

#include <string>
#include <vector>

namespace bench {

struct Percentiles {
  double p50 = 0, p95 = 0, p99 = 0, max = 0;
  size_t count = 0;
};

// Nearest-rank percentiles; sorts `samples`.
Percentiles Summarize(std::vector<double>& samples);

// 1234.5 -> "1,234.5"-style text with `decimals` digits.
std::string Fixed(double value, int decimals = 1);
std::string Thousands(long long value);
std::string Ratio(double numerator, double denominator);  // "0.71" or "–"

}  // namespace bench
