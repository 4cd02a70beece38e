#include "engine/posix_tz.hpp"

#include <vector>

namespace sagaflow::tz_detail {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Proleptic Gregorian calendar (H. Hinnant's algorithms), days since 1970-01-01.
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t year_from_days(int64_t z) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return yoe + era * 400 + (m <= 2);
}

bool is_leap(int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int64_t days_in_month(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// 0 = Sunday.
int64_t weekday_from_days(int64_t z) {
  return ((z % 7) + 11) % 7;
}

// ---------------------------------------------------------------------------
// POSIX TZ strings, e.g. "EST5EDT,M3.2.0,M11.1.0" (with the RFC 8536 / TZif v3
// extensions: rule times from -167 to 167 hours).

class PosixParser {
 public:
  explicit PosixParser(std::string_view s) : s_(s) {}

  std::optional<PosixTz> parse() {
    PosixTz tz;
    int64_t off = 0;
    if (!name() || !offset(24, &off)) return std::nullopt;
    tz.std_offset = static_cast<int32_t>(-off);
    if (done()) return tz;
    if (!name()) return std::nullopt;
    tz.has_dst = true;
    tz.dst_offset = tz.std_offset + 3600;
    if (!done() && peek() != ',') {
      if (!offset(24, &off)) return std::nullopt;
      tz.dst_offset = static_cast<int32_t>(-off);
    }
    if (done()) {
      // No rule: use the customary US rule, as glibc and tzcode do.
      PosixParser fallback(",M3.2.0,M11.1.0");
      fallback.rules(&tz);
      return tz;
    }
    if (!rules(&tz) || !done()) return std::nullopt;
    return tz;
  }

 private:
  bool done() const { return i_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  static bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  bool name() {
    size_t begin = i_;
    if (eat('<')) {
      while (!done() && (is_alpha(peek()) || is_digit(peek()) || peek() == '+' || peek() == '-'))
        ++i_;
      if (i_ - begin - 1 < 3) return false;
      return eat('>');
    }
    while (!done() && is_alpha(peek())) ++i_;
    return i_ - begin >= 3;
  }

  bool number(int64_t max, int64_t* out) {
    size_t begin = i_;
    int64_t v = 0;
    while (!done() && is_digit(peek()) && i_ - begin < 4) v = v * 10 + (s_[i_++] - '0');
    if (i_ == begin || v > max) return false;
    *out = v;
    return true;
  }

  // [+|-]hh[:mm[:ss]] with hh <= max_hours, in seconds.
  bool offset(int64_t max_hours, int64_t* out) {
    int64_t sign = 1;
    if (eat('-')) {
      sign = -1;
    } else {
      eat('+');
    }
    int64_t h = 0, m = 0, s = 0;
    if (!number(max_hours, &h)) return false;
    if (eat(':')) {
      if (!number(59, &m)) return false;
      if (eat(':') && !number(59, &s)) return false;
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return true;
  }

  bool date(PosixDate* d) {
    int64_t a = 0, b = 0, c = 0;
    if (eat('J')) {
      if (!number(365, &a) || a < 1) return false;
      d->kind = PosixDate::Kind::kJulian1;
      d->day = static_cast<int>(a);
    } else if (eat('M')) {
      if (!number(12, &a) || a < 1 || !eat('.') || !number(5, &b) || b < 1 || !eat('.') ||
          !number(6, &c))
        return false;
      d->kind = PosixDate::Kind::kMonthWeekDay;
      d->month = static_cast<int>(a);
      d->week = static_cast<int>(b);
      d->weekday = static_cast<int>(c);
    } else {
      if (!number(365, &a)) return false;
      d->kind = PosixDate::Kind::kJulian0;
      d->day = static_cast<int>(a);
    }
    if (eat('/')) {
      int64_t t = 0;
      if (!offset(167, &t)) return false;
      d->time = static_cast<int32_t>(t);
    }
    return true;
  }

  bool rules(PosixTz* tz) { return eat(',') && date(&tz->start) && eat(',') && date(&tz->end); }

  std::string_view s_;
  size_t i_ = 0;
};

// Local seconds (since 1970-01-01 local) at which `d` happens in `year`.
int64_t rule_local_time(const PosixDate& d, int64_t year) {
  int64_t day = 0;
  switch (d.kind) {
    case PosixDate::Kind::kJulian1:  // 1..365, February 29 never counted
      day = days_from_civil(year, 1, 1) + d.day - 1 + (is_leap(year) && d.day >= 60 ? 1 : 0);
      break;
    case PosixDate::Kind::kJulian0:  // 0..365, February 29 counted
      day = days_from_civil(year, 1, 1) + d.day;
      break;
    case PosixDate::Kind::kMonthWeekDay: {
      const int64_t first = days_from_civil(year, d.month, 1);
      int64_t dom = 1 + (d.weekday - weekday_from_days(first) + 7) % 7 + (d.week - 1) * 7;
      if (dom > days_in_month(year, d.month)) dom -= 7;  // week 5 means "last"
      day = first + dom - 1;
      break;
    }
  }
  return day * kSecondsPerDay + d.time;
}

int64_t dst_start_utc(const PosixTz& tz, int64_t year) {
  return rule_local_time(tz.start, year) - tz.std_offset;
}
int64_t dst_end_utc(const PosixTz& tz, int64_t year) {
  return rule_local_time(tz.end, year) - tz.dst_offset;
}

int32_t posix_offset(const PosixTz& tz, int64_t t) {
  if (!tz.has_dst) return tz.std_offset;
  const int64_t y = year_from_days(floor_div(t + tz.std_offset, kSecondsPerDay));
  // DST intervals of the neighbouring years: [start, end) when DST starts
  // before it ends within a year, otherwise [start, end of the next year)
  // (southern hemisphere).
  for (int64_t year = y - 1; year <= y + 1; ++year) {
    const int64_t start = dst_start_utc(tz, year);
    int64_t end = dst_end_utc(tz, year);
    if (end <= start) end = dst_end_utc(tz, year + 1);
    if (start <= t && t < end) return tz.dst_offset;
  }
  return tz.std_offset;
}

std::optional<int64_t> posix_next_transition(const PosixTz& tz, int64_t t) {
  if (!tz.has_dst) return std::nullopt;
  const int64_t y = year_from_days(floor_div(t + tz.std_offset, kSecondsPerDay));
  std::vector<int64_t> candidates;
  for (int64_t year = y - 1; year <= y + 2; ++year) {
    candidates.push_back(dst_start_utc(tz, year));
    candidates.push_back(dst_end_utc(tz, year));
  }
  std::sort(candidates.begin(), candidates.end());
  for (int64_t c : candidates) {
    if (c > t && posix_offset(tz, c) != posix_offset(tz, c - 1)) return c;
  }
  return std::nullopt;  // e.g. daylight saving time all year
}

}  // namespace

std::optional<PosixTz> ParsePosixTz(std::string_view text) {
  return PosixParser(text).parse();
}

int32_t PosixOffsetAt(const PosixTz& tz, int64_t t) {
  return posix_offset(tz, t);
}

std::optional<int64_t> PosixNextTransition(const PosixTz& tz, int64_t t) {
  return posix_next_transition(tz, t);
}

}  // namespace sagaflow::tz_detail
