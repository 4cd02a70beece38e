// Bearer tokens: named and scoped (`api` or `admin`; admin may do all that
// api may), from SAGAFLOW_TOKENS="name:scope:token,…". Tokens are compared
// in constant time and never logged. Immutable after construction.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sagaflow {

struct Caller {
  std::string name;
  std::string scope;  // "api" or "admin"; "" for webhooks and public routes
};

class TokenAuth {
 public:
  // Returns an error message for a malformed list (e.g. an unknown scope).
  static std::optional<std::string> Parse(const std::string& spec, TokenAuth& out);

  // The caller a bearer token belongs to, or nullopt.
  std::optional<Caller> Authenticate(const std::string& authorization_header) const;
  bool empty() const { return tokens_.empty(); }

 private:
  struct Token {
    std::string name;
    std::string scope;
    std::string secret;
  };
  std::vector<Token> tokens_;
};

// Constant-time equality for secrets of any length.
bool ConstantTimeEquals(const std::string& a, const std::string& b);

}  // namespace sagaflow
