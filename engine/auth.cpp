#include "engine/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <strings.h>

namespace sagaflow {

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  // Compare digests so neither the content nor the length leaks by timing.
  unsigned char da[EVP_MAX_MD_SIZE], db[EVP_MAX_MD_SIZE];
  unsigned int la = 0, lb = 0;
  EVP_Digest(a.data(), a.size(), da, &la, EVP_sha256(), nullptr);
  EVP_Digest(b.data(), b.size(), db, &lb, EVP_sha256(), nullptr);
  return la == lb && CRYPTO_memcmp(da, db, la) == 0;
}

std::optional<std::string> TokenAuth::Parse(const std::string& spec, TokenAuth& out) {
  out.tokens_.clear();
  size_t start = 0;
  while (start < spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string::npos) comma = spec.size();
    const std::string item = spec.substr(start, comma - start);
    start = comma + 1;
    if (item.empty()) continue;
    const size_t first = item.find(':');
    const size_t second = first == std::string::npos ? first : item.find(':', first + 1);
    if (second == std::string::npos) {
      return "each token must be name:scope:token (entry " +
             std::to_string(out.tokens_.size() + 1) + " is not)";
    }
    Token token{item.substr(0, first), item.substr(first + 1, second - first - 1),
                item.substr(second + 1)};
    if (token.scope != "api" && token.scope != "admin") {
      return "token '" + token.name + "': scope must be api or admin, not '" + token.scope + "'";
    }
    if (token.secret.size() < 8) return "token '" + token.name + "' is shorter than 8 characters";
    out.tokens_.push_back(std::move(token));
  }
  return std::nullopt;
}

std::optional<Caller> TokenAuth::Authenticate(const std::string& header) const {
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || strncasecmp(header.c_str(), "bearer ", 7) != 0) {
    return std::nullopt;
  }
  const std::string presented = header.substr(prefix.size());
  std::optional<Caller> found;
  for (const auto& token : tokens_) {
    // Check every token so timing does not tell which one matched.
    if (ConstantTimeEquals(presented, token.secret) && !found) {
      found = Caller{token.name, token.scope};
    }
  }
  return found;
}

}  // namespace sagaflow
