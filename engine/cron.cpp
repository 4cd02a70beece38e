#include "engine/cron.hpp"

#include <array>
#include <bit>
#include <cstdio>

namespace sagaflow {
namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;                   // largest value accepted
  int star_max;              // what `*` and `a/n` run up to (6 for day-of-week: 7 is Sunday again)
  const char* const* names;  // names[i] is value min + i; nullptr if none
  const char* names_hint;
};

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",  "JUL",
                                       "AUG", "SEP", "OCT", "NOV", "DEC", nullptr};
constexpr const char* kWeekdayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", nullptr};

enum FieldIndex { kMinute, kHour, kDayOfMonth, kMonth, kDayOfWeek, kFieldCount };

constexpr FieldSpec kFields[kFieldCount] = {
    {"minute", 0, 59, 59, nullptr, nullptr},
    {"hour", 0, 23, 23, nullptr, nullptr},
    {"day-of-month", 1, 31, 31, nullptr, nullptr},
    {"month", 1, 12, 12, kMonthNames, "JAN-DEC"},
    {"day-of-week", 0, 7, 6, kWeekdayNames, "SUN-SAT"},
};

struct Macro {
  const char* name;
  const char* fields;
};

constexpr Macro kMacros[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
};

bool is_space(char c) {
  return c == ' ' || c == '\t';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (upper(a[i]) != upper(b[i])) return false;
  }
  return true;
}

std::string quote_char(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "'\\x%02x'", static_cast<unsigned char>(c));
  return buf;
}

bool is_leap(int y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Lowest set bit of `bits` at or above `from`, or -1.
int next_bit(std::uint64_t bits, int from) {
  if (from >= 64) return -1;
  const std::uint64_t rest = bits & (~std::uint64_t{0} << from);
  return rest == 0 ? -1 : std::countr_zero(rest);
}

}  // namespace

// Parses cron lines into CronSchedules (a friend of CronSchedule).
class CronParser {
 public:
  static CronParseResult parse(std::string_view line) {
    size_t begin = 0, end = line.size();
    while (begin < end && is_space(line[begin])) ++begin;
    while (end > begin && is_space(line[end - 1])) --end;
    const std::string_view text = line.substr(begin, end - begin);

    if (!text.empty() && text.front() == '@') {
      size_t name_end = 0;
      while (name_end < text.size() && !is_space(text[name_end])) ++name_end;
      const std::string_view name = text.substr(0, name_end);
      for (const Macro& m : kMacros) {
        if (!iequals(name, m.name)) continue;
        if (name_end != text.size()) {
          size_t extra = name_end;
          while (is_space(text[extra])) ++extra;
          return CronError{"unexpected text after '" + std::string(name) + "'", begin + extra};
        }
        CronParseResult expanded = parse_fields(m.fields);
        CronSchedule s = expanded.value();
        s.text_ = std::string(text);
        return s;
      }
      return CronError{"unknown macro '" + std::string(name) +
                           "' (expected @yearly, @annually, @monthly, @weekly, @daily, "
                           "@midnight or @hourly)",
                       begin};
    }
    CronParseResult r = parse_fields(line);
    if (!r.ok()) return r;
    CronSchedule s = r.value();
    s.text_ = std::string(text);
    return s;
  }

 private:
  static CronParseResult parse_fields(std::string_view line) {
    struct Token {
      size_t pos;
      std::string_view text;
    };
    std::array<Token, kFieldCount> fields{};
    size_t count = 0, i = 0, last_end = 0;
    while (true) {
      while (i < line.size() && is_space(line[i])) ++i;
      if (i == line.size()) break;
      const size_t start = i;
      while (i < line.size() && !is_space(line[i])) ++i;
      if (count == kFieldCount) {
        size_t total = count + 1;
        for (size_t j = i; j < line.size();) {
          while (j < line.size() && is_space(line[j])) ++j;
          if (j == line.size()) break;
          ++total;
          while (j < line.size() && !is_space(line[j])) ++j;
        }
        return CronError{"expected 5 fields, got " + std::to_string(total), start};
      }
      fields[count++] = {start, line.substr(start, i - start)};
      last_end = i;
    }
    if (count != kFieldCount) {
      return CronError{"expected 5 fields, got " + std::to_string(count), last_end};
    }

    CronSchedule s;
    std::uint64_t bits[kFieldCount] = {};
    for (size_t f = 0; f < kFieldCount; ++f) {
      CronParser p(kFields[f], fields[f].text, fields[f].pos);
      if (auto err = p.field(&bits[f])) return *std::move(err);
    }
    s.minutes_ = bits[kMinute];
    s.hours_ = static_cast<std::uint32_t>(bits[kHour]);
    s.days_ = static_cast<std::uint32_t>(bits[kDayOfMonth]);
    s.months_ = static_cast<std::uint16_t>(bits[kMonth]);
    std::uint64_t weekdays = bits[kDayOfWeek];
    if (weekdays & (1u << 7)) weekdays = (weekdays | 1u) & ~(1u << 7);  // 7 is Sunday
    s.weekdays_ = static_cast<std::uint8_t>(weekdays);
    s.days_star_ = fields[kDayOfMonth].text.front() == '*';
    s.weekdays_star_ = fields[kDayOfWeek].text.front() == '*';
    return s;
  }

  CronParser(const FieldSpec& spec, std::string_view text, size_t column)
      : spec_(spec), s_(text), column_(column) {}

  std::optional<CronError> error(std::string message, size_t at) const {
    return CronError{std::string(spec_.name) + " field: " + message, column_ + at};
  }

  bool done() const { return i_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }

  // field := element (',' element)*
  std::optional<CronError> field(std::uint64_t* bits) {
    while (true) {
      if (done() || peek() == ',') return error("empty list element", i_);
      if (auto err = element(bits)) return err;
      if (done()) return std::nullopt;
      if (peek() != ',') return error("unexpected character " + quote_char(peek()), i_);
      ++i_;
    }
  }

  // element := ('*' | value ['-' value]) ['/' step]
  std::optional<CronError> element(std::uint64_t* bits) {
    const size_t start = i_;
    int lo = 0, hi = 0;
    bool single = false;
    if (peek() == '*') {
      ++i_;
      lo = spec_.min;
      hi = spec_.star_max;
    } else {
      if (auto err = value(&lo, nullptr)) return err;
      hi = lo;
      single = true;
      if (peek() == '-') {
        const size_t dash = i_++;
        if (auto err = value(&hi, "'-'")) return err;
        single = false;
        if (lo > hi) {
          return error("range start " + std::string(s_.substr(start, dash - start)) +
                           " is greater than end " +
                           std::string(s_.substr(dash + 1, i_ - dash - 1)),
                       start);
        }
      }
    }
    int step = 1;
    if (peek() == '/') {
      ++i_;
      const size_t step_pos = i_;
      while (!done() && is_digit(peek())) ++i_;
      if (i_ == step_pos) return error("expected a number after '/'", step_pos);
      const std::string_view digits = s_.substr(step_pos, i_ - step_pos);
      const long long n = to_number(digits);
      if (n < 1 || n > spec_.max) {
        return error("step " + std::string(digits) + " out of range 1-" + std::to_string(spec_.max),
                     step_pos);
      }
      step = static_cast<int>(n);
      if (single) hi = spec_.star_max < lo ? lo : spec_.star_max;  // a/n: from a to the end
    }
    for (int v = lo; v <= hi; v += step) *bits |= std::uint64_t{1} << v;
    return std::nullopt;
  }

  // A number or a name; `after` names what precedes it, for messages.
  std::optional<CronError> value(int* out, const char* after) {
    const size_t start = i_;
    if (is_digit(peek())) {
      while (!done() && is_digit(peek())) ++i_;
      const std::string_view digits = s_.substr(start, i_ - start);
      const long long n = to_number(digits);
      if (n < spec_.min || n > spec_.max) {
        return error("value " + std::string(digits) + " out of range " + std::to_string(spec_.min) +
                         "-" + std::to_string(spec_.max),
                     start);
      }
      *out = static_cast<int>(n);
    } else if (is_alpha(peek())) {
      while (!done() && is_alpha(peek())) ++i_;
      const std::string_view word = s_.substr(start, i_ - start);
      if (spec_.names == nullptr) {
        return error("expected a number, got '" + std::string(word) + "'", start);
      }
      int found = -1;
      for (int k = 0; spec_.names[k] != nullptr; ++k) {
        if (iequals(word, spec_.names[k])) found = spec_.min + k;
      }
      if (found < 0) {
        return error("unknown name '" + std::string(word) + "' (expected " + spec_.names_hint + ")",
                     start);
      }
      *out = found;
    } else if (after != nullptr) {
      return error(std::string("expected a value after ") + after, start);
    } else {
      return error("unexpected character " + quote_char(peek()), start);
    }
    return std::nullopt;
  }

  // Saturates instead of overflowing; callers range-check the result.
  static long long to_number(std::string_view digits) {
    long long n = 0;
    for (char c : digits) {
      n = n * 10 + (c - '0');
      if (n > 1'000'000) return 1'000'000;
    }
    return n;
  }

  const FieldSpec& spec_;
  std::string_view s_;
  size_t column_;
  size_t i_ = 0;
};

CronParseResult CronSchedule::parse(std::string_view line) {
  return CronParser::parse(line);
}

bool CronSchedule::day_matches(int year, unsigned month, unsigned day) const {
  using namespace std::chrono;
  const unsigned wd = weekday(sys_days(std::chrono::year(year) / month / day)).c_encoding();
  const bool dom = (days_ >> day) & 1u;
  const bool dow = (weekdays_ >> wd) & 1u;
  // Vixie cron: if either field starts with '*', both must match.
  return (days_star_ || weekdays_star_) ? (dom && dow) : (dom || dow);
}

bool CronSchedule::matches(std::chrono::local_seconds local) const {
  using namespace std::chrono;
  const local_days day = floor<days>(local);
  const year_month_day ymd(day);
  const hh_mm_ss<seconds> hms(local - day);
  return ((minutes_ >> hms.minutes().count()) & 1u) && ((hours_ >> hms.hours().count()) & 1u) &&
         ((months_ >> unsigned(ymd.month())) & 1u) &&
         day_matches(int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
}

std::optional<std::chrono::local_seconds> CronSchedule::next_match(std::chrono::local_seconds from,
                                                                   int last_year) const {
  using namespace std::chrono;
  const local_days day0 = floor<days>(from);
  const year_month_day ymd(day0);
  const hh_mm_ss<seconds> hms(from - day0);
  int y = int(ymd.year());
  unsigned mo = unsigned(ymd.month()), d = unsigned(ymd.day());
  int h = int(hms.hours().count()), mi = int(hms.minutes().count());
  if (hms.seconds().count() != 0) ++mi;  // whole minutes only
  while (true) {
    // Normalise after any advance, carrying into the larger units.
    if (mi >= 60) mi = 0, ++h;
    if (h >= 24) h = 0, ++d;
    if (mo <= 12 && d > days_in_month(y, mo)) d = 1, ++mo;
    if (mo > 12) mo = 1, ++y;
    if (y > last_year) return std::nullopt;
    if (!((months_ >> mo) & 1u)) {
      const int next = next_bit(months_, int(mo) + 1);
      mo = next < 0 ? 13 : unsigned(next);
      d = 1, h = 0, mi = 0;
      continue;
    }
    if (!day_matches(y, mo, d)) {
      ++d, h = 0, mi = 0;
      continue;
    }
    if (!((hours_ >> h) & 1u)) {
      const int next = next_bit(hours_, h + 1);
      h = next < 0 ? 24 : next;
      mi = 0;
      continue;
    }
    const int next = next_bit(minutes_, mi);
    if (next < 0) {
      mi = 60;
      continue;
    }
    return local_days(std::chrono::year(y) / mo / d) + std::chrono::hours(h) +
           std::chrono::minutes(next);
  }
}

std::optional<std::chrono::system_clock::time_point> CronSchedule::next_after(
    std::chrono::system_clock::time_point t, const TimeZone& zone) const {
  using namespace std::chrono;
  using Clock = system_clock;
  // The latest fire time that still fits a system_clock::time_point.
  const sys_seconds latest = floor<seconds>(Clock::time_point::max());
  const sys_seconds after = floor<seconds>(t);  // fire > t  <=>  fire > after
  local_seconds from = floor<minutes>(zone.to_local(after));
  const int last_year = int(year_month_day(floor<days>(from)).year()) + kSearchYears;
  // Wall times map monotonically to instants (gaps to the jump, overlaps to
  // their first occurrence), so the first matching wall time whose instant is
  // after t is the answer. Only a few candidates around an overlap or a gap
  // resolve to t or earlier.
  while (true) {
    const std::optional<local_seconds> wall = next_match(from, last_year);
    if (!wall) return std::nullopt;
    const LocalTimeConversion c = zone.to_utc(*wall);
    const sys_seconds fire = c.count == 0 ? c.transition : c.utc[0];
    if (fire > latest) return std::nullopt;
    if (fire > after) return Clock::time_point(fire);
    from = *wall + minutes(1);
  }
}

namespace {

// Renders the values in `bits` within [lo, hi] as a list with ranges.
std::string render_list(std::uint64_t bits, int lo, int hi) {
  std::string out;
  for (int v = lo; v <= hi;) {
    if (!((bits >> v) & 1u)) {
      ++v;
      continue;
    }
    int end = v;
    while (end + 1 <= hi && ((bits >> (end + 1)) & 1u)) ++end;
    if (!out.empty()) out += ',';
    out += std::to_string(v);
    if (end - v >= 2) {
      out += '-' + std::to_string(end);
    } else if (end == v + 1) {
      out += ',' + std::to_string(end);
    }
    v = end + 1;
  }
  return out;
}

std::uint64_t range_bits(int lo, int hi, int step) {
  std::uint64_t bits = 0;
  for (int v = lo; v <= hi; v += step) bits |= std::uint64_t{1} << v;
  return bits;
}

// A field; `star` says whether it must start with '*' (day fields, where that
// decides between the AND and OR rules), which it then does as "*" or "*/n".
std::string render_field(std::uint64_t bits, const FieldSpec& spec, bool star) {
  const std::uint64_t full = range_bits(spec.min, spec.star_max, 1);
  if (bits == full && (star || (&spec != &kFields[kDayOfMonth] && &spec != &kFields[kDayOfWeek]))) {
    return "*";
  }
  if (!star) return render_list(bits, spec.min, spec.star_max);
  for (int step = 2;; ++step) {
    const std::uint64_t pattern = range_bits(spec.min, spec.star_max, step);
    if ((bits & pattern) != pattern) continue;
    std::string out = "*/" + std::to_string(step);
    if (bits != pattern) out += ',' + render_list(bits & ~pattern, spec.min, spec.star_max);
    return out;
  }
}

}  // namespace

std::string CronSchedule::describe() const {
  return render_field(minutes_, kFields[kMinute], false) + ' ' +
         render_field(hours_, kFields[kHour], false) + ' ' +
         render_field(days_, kFields[kDayOfMonth], days_star_) + ' ' +
         render_field(months_, kFields[kMonth], false) + ' ' +
         render_field(weekdays_, kFields[kDayOfWeek], weekdays_star_);
}

}  // namespace sagaflow
