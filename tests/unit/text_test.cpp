// The shared text helpers, as tables.
#include <catch2/catch.hpp>

#include "engine/text.hpp"

using namespace sagaflow;

TEST_CASE("SplitComma trims items and drops empty ones", "[text]") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"", {}},
      {"a", {"a"}},
      {"a,b", {"a", "b"}},
      {" a , b ", {"a", "b"}},
      {"a,,b,", {"a", "b"}},
      {" , ,", {}},
      {"whsec_1,\twhsec_2", {"whsec_1", "whsec_2"}},
  };
  for (const auto& [text, expected] : cases) {
    INFO('"' << text << '"');
    CHECK(SplitComma(text) == expected);
  }
}

TEST_CASE("Trim and Lower", "[text]") {
  CHECK(Trim("  a b \t\n") == "a b");
  CHECK(Trim(" \r\n") == "");
  CHECK(Trim("x") == "x");
  CHECK(Lower("No_PROXY") == "no_proxy");
  CHECK(Lower("") == "");
}
