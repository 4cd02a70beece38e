// The `format` assertions of input schemas: email (RFC 5321 mailbox, ASCII),
// uri (RFC 3986 absolute URI, optional fragment), date-time (RFC 3339
// section 5.6, leap seconds only at 23:59:60 UTC) and uuid (RFC 4122 text
// form, any version).
#include <cctype>
#include <string>
#include <string_view>

#include "engine/input_schema_internal.hpp"

namespace sagaflow::input_schema_detail {
namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_unreserved(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
bool is_sub_delim(char c) {
  return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}

// ---- IP addresses ----

bool is_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    int value = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
    const std::size_t len = i - start;
    if (len == 0 || value > 255 || (len > 1 && s[start] == '0')) return false;
    ++parts;
    if (i == s.size()) return parts == 4;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
}

bool is_ipv6(std::string_view s) {
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    const std::size_t start = i;
    while (i < s.size() && is_hex(s[i]) && i - start < 5) ++i;
    if (i < s.size() && s[i] == '.') {  // trailing dotted IPv4 takes two groups
      if (!is_ipv4(s.substr(start))) return false;
      groups += 2;
      break;
    }
    const std::size_t len = i - start;
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
    } else if (i == s.size()) {
      return false;  // a single trailing ':'
    }
  }
  return compressed ? groups < 8 : groups == 8;
}

// ---- email ----

bool is_atext(char c) {
  return is_alpha(c) || is_digit(c) ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool is_local_part(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  if (s.front() == '"') {
    if (s.size() < 2 || s.back() != '"') return false;
    const std::string_view inner = s.substr(1, s.size() - 2);
    for (std::size_t i = 0; i < inner.size(); ++i) {
      if (inner[i] == '\\')
        ++i;  // quoted pair: any printable character follows
      else if (inner[i] == '"')
        return false;
      if (i == inner.size() || inner[i] < 32 || inner[i] > 126) return false;
    }
    return true;
  }
  bool previous_dot = true;  // no leading dot
  for (char c : s) {
    if (c == '.') {
      if (previous_dot) return false;
      previous_dot = true;
    } else if (is_atext(c)) {
      previous_dot = false;
    } else {
      return false;
    }
  }
  return !previous_dot;  // no trailing dot
}

bool is_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t end = s.find('.', start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view label = s.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
    }
    if (end == s.size()) return true;
    start = end + 1;
  }
}

bool is_email(std::string_view s) {
  const std::size_t at = s.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view domain = s.substr(at + 1);
  if (!is_local_part(s.substr(0, at))) return false;
  if (domain.size() >= 2 && domain.front() == '[' && domain.back() == ']') {
    const std::string_view literal = domain.substr(1, domain.size() - 2);
    if (literal.substr(0, 5) == "IPv6:") return is_ipv6(literal.substr(5));
    return is_ipv4(literal);
  }
  return is_hostname(domain);
}

// ---- uri ----

// Accepts unreserved, sub-delims, percent-encoded octets and `extra`.
bool all_uri_chars(std::string_view s, std::string_view extra) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
    } else if (!is_unreserved(c) && !is_sub_delim(c) && extra.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool is_ip_literal(std::string_view s) {
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) {  // IPvFuture
    const std::size_t dot = s.find('.');
    if (dot == std::string_view::npos || dot < 2 || dot + 1 == s.size()) return false;
    for (std::size_t i = 1; i < dot; ++i) {
      if (!is_hex(s[i])) return false;
    }
    for (char c : s.substr(dot + 1)) {
      if (!is_unreserved(c) && !is_sub_delim(c) && c != ':') return false;
    }
    return true;
  }
  return is_ipv6(s);
}

bool is_authority(std::string_view s) {
  const std::size_t at = s.rfind('@');
  if (at != std::string_view::npos) {
    if (!all_uri_chars(s.substr(0, at), ":")) return false;
    s = s.substr(at + 1);
  }
  std::string_view host = s, port;
  if (!s.empty() && s[0] == '[') {
    const std::size_t close = s.find(']');
    if (close == std::string_view::npos || !is_ip_literal(s.substr(1, close - 1))) return false;
    host = {};
    port = s.substr(close + 1);
    if (!port.empty() && port[0] != ':') return false;
  } else if (const std::size_t colon = s.rfind(':'); colon != std::string_view::npos) {
    host = s.substr(0, colon);
    port = s.substr(colon);
  }
  if (!port.empty()) {
    for (char c : port.substr(1)) {
      if (!is_digit(c)) return false;
    }
  }
  return all_uri_chars(host, "");
}

bool is_uri(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !is_alpha(s[0])) return false;
  for (char c : s.substr(0, colon)) {
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  std::string_view rest = s.substr(colon + 1);
  const std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    if (!all_uri_chars(rest.substr(hash + 1), ":@/?")) return false;
    rest = rest.substr(0, hash);
  }
  const std::size_t question = rest.find('?');
  if (question != std::string_view::npos) {
    if (!all_uri_chars(rest.substr(question + 1), ":@/?")) return false;
    rest = rest.substr(0, question);
  }
  if (rest.substr(0, 2) == "//") {
    rest = rest.substr(2);
    const std::size_t slash = rest.find('/');
    if (!is_authority(rest.substr(0, slash))) return false;
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  return all_uri_chars(rest, ":@/");
}

// ---- date-time ----

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(s[i])) return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string two(int v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

// Empty string: valid. "-": malformed without a more precise reason.
std::string date_time_problem(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, month) ||
      s[7] != '-' || !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
      !digits(s, 11, 2, hour) || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
      !digits(s, 17, 2, second)) {
    return "-";
  }
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return "-";
  }
  if (i == s.size()) return "missing time zone offset (Z or +hh:mm)";
  int offset_minutes = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    if (!digits(s, i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' ||
        !digits(s, i + 4, 2, om)) {
      return "-";
    }
    if (oh > 23 || om > 59)
      return "time zone offset " + std::string(s.substr(i, 6)) + " is out of range";
    offset_minutes = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
    i += 6;
  } else {
    return "-";
  }
  if (i != s.size()) return "-";
  if (month < 1 || month > 12) return "month " + two(month) + " is out of range";
  if (day < 1 || day > days_in_month(year, month)) {
    return "day " + two(day) + " is out of range for " + std::to_string(year) + "-" + two(month);
  }
  if (hour > 23) return "hour " + two(hour) + " is out of range";
  if (minute > 59) return "minute " + two(minute) + " is out of range";
  if (second > 60) return "second " + two(second) + " is out of range";
  if (second == 60) {
    const int utc = ((hour * 60 + minute - offset_minutes) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return "second 60 is only valid at 23:59 UTC (a leap second)";
  }
  return "";
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "email") return Format::Email;
  if (name == "uri") return Format::Uri;
  if (name == "date-time") return Format::DateTime;
  if (name == "uuid") return Format::Uuid;
  return std::nullopt;
}

std::optional<std::string> check_format(Format format, const std::string& text) {
  const std::string shown = render(Json(text));
  switch (format) {
    case Format::Email:
      if (is_email(text)) return std::nullopt;
      return shown + " is not a valid email address";
    case Format::Uri:
      if (is_uri(text)) return std::nullopt;
      return shown + " is not a valid URI";
    case Format::Uuid:
      if (is_uuid(text)) return std::nullopt;
      return shown + " is not a valid UUID";
    case Format::DateTime: {
      const std::string problem = date_time_problem(text);
      if (problem.empty()) return std::nullopt;
      return shown + " is not a valid RFC 3339 date-time" + (problem == "-" ? "" : ": " + problem);
    }
  }
  return std::nullopt;
}

}  // namespace sagaflow::input_schema_detail
