#include "engine/http_types.hpp"

#include <strings.h>

namespace sagaflow {

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::optional<std::string> HttpRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> HttpRequest::QueryValue(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> HttpRequest::QueryValues(const std::string& name) const {
  std::vector<std::string> values;
  auto [begin, end] = query.equal_range(name);
  for (auto it = begin; it != end; ++it) values.push_back(it->second);
  return values;
}

HttpResponse HttpResponse::FromJson(int status, const Json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

HttpResponse HttpResponse::Text(int status, std::string body, std::string content_type) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

std::string PercentDecode(const std::string& text, bool plus_is_space, bool* ok) {
  std::string out;
  *ok = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size() || !isxdigit(static_cast<unsigned char>(text[i + 1])) ||
          !isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        *ok = false;
        return out;
      }
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

bool ParseTarget(const std::string& target, std::string& path,
                 std::multimap<std::string, std::string>& query) {
  const size_t mark = target.find('?');
  bool ok = true;
  path = PercentDecode(target.substr(0, mark), false, &ok);
  if (!ok) return false;
  if (mark == std::string::npos) return true;
  const std::string text = target.substr(mark + 1);
  size_t start = 0;
  while (start < text.size()) {
    size_t amp = text.find('&', start);
    if (amp == std::string::npos) amp = text.size();
    const std::string pair = text.substr(start, amp - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      std::string key = PercentDecode(pair.substr(0, eq), true, &ok);
      if (!ok) return false;
      std::string value =
          eq == std::string::npos ? "" : PercentDecode(pair.substr(eq + 1), true, &ok);
      if (!ok) return false;
      query.emplace(std::move(key), std::move(value));
    }
    start = amp + 1;
  }
  return true;
}

}  // namespace sagaflow
