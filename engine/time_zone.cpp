#include "engine/time_zone.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "engine/posix_tz.hpp"

namespace sagaflow {
namespace {

using namespace tz_detail;

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
    if (times.empty()) return footer ? PosixOffsetAt(*footer, t) : initial_offset;
    if (t < times.front()) return initial_offset;
    const size_t i = std::upper_bound(times.begin(), times.end(), t) - times.begin() - 1;
    if (i + 1 == times.size() && footer) return PosixOffsetAt(*footer, t);
    return offsets_after[i];
  }

  // First instant after t at which the offset changes.
  std::optional<int64_t> next_transition(int64_t t) const {
    if (times.empty()) {
      return footer ? PosixNextTransition(*footer, t) : std::nullopt;
    }
    for (size_t i = std::upper_bound(times.begin(), times.end(), t) - times.begin();
         i < times.size(); ++i) {
      if (offset_at(times[i]) != offset_at(times[i] - 1)) return times[i];
    }
    if (!footer) return std::nullopt;
    return PosixNextTransition(*footer, std::max(t, times.back()));
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
  std::optional<PosixTz> rule = ParsePosixTz(tz);
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
      d->footer = ParsePosixTz(tz);
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
