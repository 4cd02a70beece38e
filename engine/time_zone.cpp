#include "engine/time_zone.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace sagaflow {
namespace {

using std::int32_t;
using std::int64_t;

constexpr int64_t kSecondsPerDay = 86400;
// Instants are clamped to about +-31 million years so that the arithmetic
// below can never overflow.
constexpr int64_t kClamp = 1'000'000'000'000'000;
// Largest offset any zone may have (RFC 8536 bounds, a bit over 26 hours).
constexpr int64_t kMaxOffset = 93599;
constexpr int64_t kMinOffset = -89999;

int64_t clamp_seconds(int64_t t) {
  return std::clamp(t, -kClamp, kClamp);
}

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

struct PosixDate {
  enum class Kind { kJulian1, kJulian0, kMonthWeekDay };  // Jn, n, Mm.w.d
  Kind kind = Kind::kMonthWeekDay;
  int month = 0, week = 0, weekday = 0, day = 0;
  int32_t time = 2 * 3600;  // local time of day, may be negative or > 24h
};

struct PosixTz {
  int32_t std_offset = 0;  // seconds east of UTC
  bool has_dst = false;
  int32_t dst_offset = 0;
  PosixDate start, end;
};

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

// ---------------------------------------------------------------------------
// TZif (RFC 8536).

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool has(size_t n) const { return b_.size() - pos_ >= n; }
  size_t pos() const { return pos_; }
  void skip(size_t n) { pos_ += n; }
  uint8_t u8() { return static_cast<uint8_t>(b_[pos_++]); }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | u8();
    return v;
  }
  int64_t i64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | u8();
    return static_cast<int64_t>(v);
  }
  std::string_view rest() const { return b_.substr(pos_); }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

struct Header {
  char version = 0;
  uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

  // Size of the data block that follows, with `time_size`-byte times.
  uint64_t data_size(uint64_t time_size) const {
    return timecnt * time_size + timecnt + typecnt * 6ull + charcnt + leapcnt * (time_size + 4) +
           isstdcnt + isutcnt;
  }
};

std::optional<std::string> read_header(Reader& r, Header* h) {
  if (!r.has(44)) return "truncated header";
  if (r.rest().substr(0, 4) != "TZif") return "bad magic";
  r.skip(4);
  h->version = static_cast<char>(r.u8());
  if (h->version != '\0' && (h->version < '2' || h->version > '9')) return "unsupported version";
  r.skip(15);
  h->isutcnt = r.u32();
  h->isstdcnt = r.u32();
  h->leapcnt = r.u32();
  h->timecnt = r.u32();
  h->typecnt = r.u32();
  h->charcnt = r.u32();
  if (h->timecnt > 1'000'000 || h->typecnt > 1'000'000 || h->charcnt > 1'000'000 ||
      h->leapcnt > 1'000'000 || h->isutcnt > 1'000'000 || h->isstdcnt > 1'000'000)
    return "counts too large";
  return std::nullopt;
}

// Checks the counts of the header whose data block is used.
std::optional<std::string> check_header(const Header& h) {
  if (h.typecnt == 0) return "no local time types";
  if (h.typecnt > 256) return "too many local time types";
  if (h.isutcnt != 0 && h.isutcnt != h.typecnt) return "bad UT indicator count";
  if (h.isstdcnt != 0 && h.isstdcnt != h.typecnt) return "bad standard indicator count";
  return std::nullopt;
}

}  // namespace

struct TimeZone::Data {
  std::string name;
  std::vector<int64_t> times;          // transition instants, ascending
  std::vector<int32_t> offsets_after;  // offset in effect from times[i]
  int32_t initial_offset = 0;          // before the first transition
  std::optional<PosixTz> footer;       // from the last transition on

  int32_t offset_at(int64_t t) const {
    if (times.empty()) return footer ? posix_offset(*footer, t) : initial_offset;
    if (t < times.front()) return initial_offset;
    const size_t i = std::upper_bound(times.begin(), times.end(), t) - times.begin() - 1;
    if (i + 1 == times.size() && footer) return posix_offset(*footer, t);
    return offsets_after[i];
  }

  // First instant after t at which the offset changes.
  std::optional<int64_t> next_transition(int64_t t) const {
    if (times.empty()) {
      return footer ? posix_next_transition(*footer, t) : std::nullopt;
    }
    for (size_t i = std::upper_bound(times.begin(), times.end(), t) - times.begin();
         i < times.size(); ++i) {
      if (offset_at(times[i]) != offset_at(times[i] - 1)) return times[i];
    }
    if (!footer) return std::nullopt;
    return posix_next_transition(*footer, std::max(t, times.back()));
  }
};

TimeZone::TimeZone() : TimeZone(utc()) {}

TimeZone::TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

TimeZone TimeZone::utc() {
  static const std::shared_ptr<const Data> kUtc = [] {
    auto d = std::make_shared<Data>();
    d->name = "UTC";
    return d;
  }();
  return TimeZone(kUtc);
}

const std::string& TimeZone::name() const {
  return data_->name;
}

std::chrono::seconds TimeZone::offset_at(std::chrono::sys_seconds t) const {
  return std::chrono::seconds(data_->offset_at(clamp_seconds(t.time_since_epoch().count())));
}

std::chrono::local_seconds TimeZone::to_local(std::chrono::sys_seconds t) const {
  const int64_t s = clamp_seconds(t.time_since_epoch().count());
  return std::chrono::local_seconds(std::chrono::seconds(s + data_->offset_at(s)));
}

LocalTimeConversion TimeZone::to_utc(std::chrono::local_seconds local) const {
  const int64_t l = clamp_seconds(local.time_since_epoch().count());
  // Every instant whose wall time is `l` lies within the largest offset of l.
  // Split that window into pieces of constant offset and solve in each.
  const int64_t lo = l - kMaxOffset - 1;
  const int64_t hi = l - kMinOffset + 1;
  struct Transition {
    int64_t at;
    int32_t before, after;
  };
  std::vector<Transition> transitions;
  for (int64_t cur = lo; transitions.size() < 64;) {
    const std::optional<int64_t> next = data_->next_transition(cur);
    if (!next || *next > hi) break;
    transitions.push_back({*next, data_->offset_at(*next - 1), data_->offset_at(*next)});
    cur = *next;
  }

  LocalTimeConversion out;
  int64_t piece_start = lo;
  int32_t piece_offset = data_->offset_at(lo);
  for (size_t i = 0; i <= transitions.size(); ++i) {
    const int64_t piece_end = i < transitions.size() ? transitions[i].at : hi + 1;
    const int64_t u = l - piece_offset;
    if (piece_start <= u && u < piece_end && out.count < 2) {
      out.utc[out.count++] = std::chrono::sys_seconds(std::chrono::seconds(u));
    }
    if (i < transitions.size()) {
      piece_start = transitions[i].at;
      piece_offset = transitions[i].after;
    }
  }
  if (out.count == 1) return out;
  for (const Transition& t : transitions) {
    const bool gap = t.at + t.before <= l && l < t.at + t.after;
    const bool overlap = t.at + t.after <= l && l < t.at + t.before;
    if ((out.count == 0 && gap) || (out.count == 2 && overlap)) {
      out.transition = std::chrono::sys_seconds(std::chrono::seconds(t.at));
      break;
    }
  }
  return out;
}

TimeZoneResult TimeZone::from_posix(std::string_view name, std::string_view tz) {
  std::optional<PosixTz> rule = PosixParser(tz).parse();
  if (!rule) {
    return TimeZoneError{"time zone '" + std::string(name) + "': invalid TZ string '" +
                         std::string(tz) + "'"};
  }
  auto d = std::make_shared<Data>();
  d->name = std::string(name);
  d->initial_offset = rule->std_offset;
  d->footer = *rule;
  return TimeZone(std::move(d));
}

TimeZoneResult TimeZone::from_tzif(std::string_view name, std::string_view bytes) {
  const auto fail = [&](std::string_view why) {
    return TimeZoneError{"time zone '" + std::string(name) +
                         "': invalid TZif data: " + std::string(why)};
  };
  Reader r(bytes);
  Header h;
  if (auto err = read_header(r, &h)) return fail(*err);
  uint64_t time_size = 4;
  if (h.version != '\0') {
    // Skip the 32-bit block; the 64-bit one follows with its own header.
    if (!r.has(h.data_size(4))) return fail("truncated data");
    r.skip(h.data_size(4));
    if (auto err = read_header(r, &h)) return fail(*err);
    time_size = 8;
  }
  if (auto err = check_header(h)) return fail(*err);
  if (!r.has(h.data_size(time_size))) return fail("truncated data");
  if (h.leapcnt != 0) return fail("leap-second time zones are not supported");

  auto d = std::make_shared<Data>();
  d->name = std::string(name);
  d->times.resize(h.timecnt);
  for (int64_t& t : d->times) {
    t = time_size == 8 ? r.i64() : static_cast<int32_t>(r.u32());
  }
  for (size_t i = 1; i < d->times.size(); ++i) {
    if (d->times[i] <= d->times[i - 1]) return fail("transition times not ascending");
  }
  std::vector<uint8_t> indices(h.timecnt);
  for (uint8_t& i : indices) {
    i = r.u8();
    if (i >= h.typecnt) return fail("transition type index out of range");
  }
  std::vector<int32_t> offsets(h.typecnt);
  for (int32_t& off : offsets) {
    off = static_cast<int32_t>(r.u32());
    const uint8_t isdst = r.u8();
    const uint8_t desig = r.u8();
    if (off < kMinOffset || off > kMaxOffset) return fail("UT offset out of range");
    if (isdst > 1) return fail("bad DST indicator");
    if (desig >= h.charcnt) return fail("designation index out of range");
  }
  r.skip(h.charcnt + h.isstdcnt + h.isutcnt);  // no leap records (checked above)
  d->initial_offset = offsets[0];
  d->offsets_after.reserve(h.timecnt);
  for (uint8_t i : indices) d->offsets_after.push_back(offsets[i]);

  if (h.version != '\0') {
    const std::string_view rest = r.rest();
    const size_t end = rest.size() >= 2 && rest[0] == '\n' ? rest.find('\n', 1) : rest.npos;
    if (end == rest.npos) return fail("missing footer");
    const std::string_view tz = rest.substr(1, end - 1);
    if (!tz.empty()) {
      d->footer = PosixParser(tz).parse();
      if (!d->footer) return fail("invalid TZ string '" + std::string(tz) + "' in footer");
      if (d->times.empty()) d->initial_offset = d->footer->std_offset;
    }
  }
  return TimeZone(std::move(d));
}

TimeZoneResult TimeZone::load(std::string_view name, const std::filesystem::path& root) {
  const auto invalid = [&](std::string_view why) {
    return TimeZoneError{"invalid time zone name '" + std::string(name) + "': " + std::string(why)};
  };
  if (name.empty()) return TimeZoneError{"time zone name is empty"};
  if (name.size() > 255) return invalid("too long");
  if (name.front() == '/') return invalid("must be relative, like 'Europe/London'");
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '+' || c == '.' || c == '/';
    if (ok) continue;
    char quoted[16];
    std::snprintf(quoted, sizeof quoted, c >= 0x20 && c < 0x7f ? "'%c'" : "'\\x%02x'",
                  static_cast<unsigned char>(c));
    return invalid(std::string("unexpected character ") + quoted);
  }
  for (size_t begin = 0; begin <= name.size();) {
    size_t end = name.find('/', begin);
    if (end == name.npos) end = name.size();
    const std::string_view part = name.substr(begin, end - begin);
    if (part.empty()) return invalid("empty path component");
    if (part == "." || part == "..") return invalid("'.' and '..' are not allowed");
    begin = end + 1;
  }

  const std::filesystem::path path = root / std::filesystem::path(std::string(name));
  std::error_code ec;
  std::string bytes;
  if (std::filesystem::is_regular_file(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    bytes = std::move(buf).str();
  }
  if (bytes.size() > (1 << 20)) return invalid("file too large");
  if (bytes.substr(0, 4) != "TZif") {
    if (bytes.empty() && (name == "UTC" || name == "Etc/UTC")) return utc();
    return TimeZoneError{"unknown time zone '" + std::string(name) + "'"};
  }
  return from_tzif(name, bytes);
}

}  // namespace sagaflow
