// Value helpers shared by the input-schema compiler and validator: numeric
// comparison, deep equality, type names, message rendering, JSON paths,
// UTF-8 handling and typo suggestions.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

#include "engine/input_schema_internal.hpp"

namespace sagaflow::input_schema_detail {
namespace {

constexpr std::size_t kRenderLimit = 80;  // code points shown of a value
constexpr std::size_t kListLimit = 20;    // elements shown of a list

bool is_signed_integer(const Json& v) {
  return v.type() == Json::value_t::number_integer;
}

long double to_long_double(const Json& v) {
  if (v.is_number_unsigned()) return static_cast<long double>(v.get<std::uint64_t>());
  if (is_signed_integer(v)) return static_cast<long double>(v.get<std::int64_t>());
  return static_cast<long double>(v.get<double>());
}

// Cuts `text` after `limit` code points, adding "...".
std::string shorten(const std::string& text, std::size_t limit) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (count == limit) return text.substr(0, i) + "...";
    ++count;
  }
  return text;
}

std::string dump(const Json& v) {
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool looks_like_non_string(const std::string& s) {
  if (s == "true" || s == "false" || s == "null") return true;
  const Json parsed = Json::parse(s, nullptr, false);
  return !parsed.is_discarded() && parsed.is_number();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance: edits plus adjacent transpositions.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

bool is_integer(const Json& value) {
  if (value.is_number_integer()) return true;  // signed and unsigned
  if (!value.is_number_float()) return false;
  const double x = value.get<double>();
  return std::isfinite(x) && std::trunc(x) == x;
}

int compare_numbers(const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    if (a.is_number_unsigned() && b.is_number_unsigned()) {
      const auto x = a.get<std::uint64_t>(), y = b.get<std::uint64_t>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (is_signed_integer(a) && is_signed_integer(b)) {
      const auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is_number_unsigned()) return -compare_numbers(b, a);
    const auto x = a.get<std::int64_t>();  // a signed, b unsigned
    if (x < 0) return -1;
    const auto ux = static_cast<std::uint64_t>(x), y = b.get<std::uint64_t>();
    return ux < y ? -1 : (ux > y ? 1 : 0);
  }
  const long double x = to_long_double(a), y = to_long_double(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool json_equal(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!json_equal(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !json_equal(it.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

bool matches_types(unsigned types, const Json& value) {
  if (types == 0) return true;
  switch (value.type()) {
    case Json::value_t::null:
      return types & kNull;
    case Json::value_t::boolean:
      return types & kBoolean;
    case Json::value_t::object:
      return types & kObject;
    case Json::value_t::array:
      return types & kArray;
    case Json::value_t::string:
      return types & kString;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return (types & kNumber) || ((types & kInteger) && is_integer(value));
    default:
      return false;
  }
}

std::string type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer";
    case Json::value_t::number_float:
      return "number";
    default:
      return "binary";
  }
}

std::string types_text(unsigned types) {
  static const std::pair<unsigned, const char*> kNames[] = {
      {kString, "string"}, {kNumber, "number"}, {kInteger, "integer"}, {kBoolean, "boolean"},
      {kObject, "object"}, {kArray, "array"},   {kNull, "null"}};
  std::vector<std::string> names;
  for (const auto& [bit, name] : kNames) {
    if (types & bit) names.emplace_back(name);
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::string render(const Json& value) {
  if (value.is_string()) return "'" + shorten(value.get<std::string>(), kRenderLimit) + "'";
  return shorten(dump(value), kRenderLimit);
}

std::string render_list(const Json& array) {
  std::string out;
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i == kListLimit) {
      out += ", ... (" + std::to_string(array.size() - kListLimit) + " more)";
      break;
    }
    if (i > 0) out += ", ";
    const Json& item = array[i];
    if (!item.is_string()) {
      out += render(item);
      continue;
    }
    const std::string& s = item.get_ref<const std::string&>();
    const bool plain = !s.empty() && s.find_first_of(",'") == std::string::npos &&
                       !std::isspace(static_cast<unsigned char>(s.front())) &&
                       !std::isspace(static_cast<unsigned char>(s.back())) &&
                       !looks_like_non_string(s);
    out += plain ? shorten(s, kRenderLimit) : render(item);
  }
  return out;
}

std::string child_path(const std::string& parent, const std::string& key) {
  const bool identifier = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0])) &&
                          std::all_of(key.begin(), key.end(), [](char c) {
                            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                          });
  if (identifier) return parent + "." + key;
  std::string out = parent + "['";
  for (char c : key) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "']";
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::wstring utf8_to_wide(std::string_view text) {
  std::wstring out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      extra = 1, cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      extra = 2, cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      extra = 3, cp = b & 0x07;
    } else {
      out += L'\uFFFD';
      ++i;
      continue;
    }
    bool valid = i + extra < text.size();
    for (std::size_t k = 1; valid && k <= extra; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (!valid || cp > 0x10FFFF) {
      out += L'\uFFFD';
      ++i;
      continue;
    }
    out += static_cast<wchar_t>(cp);
    i += extra + 1;
  }
  return out;
}

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string_view>& candidates) {
  const std::string w = lower(word);
  const std::size_t limit = w.size() <= 4 ? 1 : (w.size() <= 8 ? 2 : 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    const std::size_t d = edit_distance(w, lower(candidate));
    if (d < best_distance) best_distance = d, best = std::string(candidate);
  }
  return best;
}

}  // namespace sagaflow::input_schema_detail
