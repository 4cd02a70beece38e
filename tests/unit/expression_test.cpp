// Unit tests for the `${{ }}` expression language (engine/expression.hpp).
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "engine/expression.hpp"

namespace sagaflow {
namespace {

using std::chrono::system_clock;

const Json& fixture() {
  static const Json scope = Json::parse(R"({
    "input": {
      "company_name": "Acme", "plan_type": "pro", "count": 3, "ratio": 0.5,
      "whole_float": 3.0, "tiny": 1e-7, "huge": 18446744073709551615,
      "flag": true, "off": false, "nothing": null, "empty": "",
      "tags": ["a", "b"], "numbers": [1, 2, 3], "nested": {"k": "v"},
      "nested_int": {"n": 1}, "nested_float": {"n": 1.0},
      "key-with-dash": 7, "unicode": "h\u00e9llo"
    },
    "steps": {"create_org": {"output": {"id": "org_1", "items": [{"id": 10}, {"id": 20}]}}},
    "run": {"id": "run_1", "workflow": "customer_onboarding", "attempt": 2},
    "env": {"SALES_HOOK_URL": "https://hooks.example/sales"},
    "event": {"data": {"object": {"id": "cus_1"}}}
  })");
  return scope;
}

// 2026-12-04T15:37:44.123Z, plus some nanoseconds that must be cut off.
system_clock::time_point fixed_time() {
  using namespace std::chrono;
  return sys_days{year{2026} / December / 4} + hours{15} + minutes{37} + seconds{44} +
         milliseconds{123} + microseconds{456};
}

EvalContext context(const Json& scope = fixture()) {
  return EvalContext{scope, fixed_time};
}

// Kinds as the language sees them: signed and unsigned integers are one kind.
std::string kind(const Json& v) {
  if (v.is_number_integer()) return "integer";
  if (v.is_number_float()) return "float";
  return v.type_name();
}

std::string describe(const std::vector<ExprError>& errors) {
  std::string out;
  for (const ExprError& e : errors) {
    out += "[" + std::to_string(e.offset) + " " + e.pointer + "] " + e.message + "\n";
  }
  return out;
}

Template parse_ok(const std::string& text) {
  auto parsed = Template::parse(text);
  INFO("parse errors:\n" << describe(parsed.errors()));
  REQUIRE(parsed.ok());
  return parsed.value();
}

ExprResult<Json> render(const std::string& text, const Json& scope = fixture()) {
  return parse_ok(text).render(context(scope));
}

struct ValueCase {
  std::string text;
  Json expected;
};

void check_values(const std::vector<ValueCase>& cases) {
  for (const ValueCase& c : cases) {
    INFO("template: " << c.text);
    auto result = render(c.text);
    INFO("errors:\n" << describe(result.errors()));
    REQUIRE(result.ok());
    CHECK(result.value() == c.expected);
    CHECK(kind(result.value()) == kind(c.expected));
  }
}

TEST_CASE("literals keep their JSON type, strings decode escapes", "[expression]") {
  check_values({
      {"${{ 42 }}", 42},
      {"${{ -7 }}", -7},
      {"${{ 9223372036854775807 }}", INT64_MAX},
      {"${{ 1.5 }}", 1.5},
      {"${{ 2e3 }}", 2000.0},
      {"${{ -2.5E-1 }}", -0.25},
      {"${{ true }}", true},
      {"${{ false }}", false},
      {"${{ null }}", nullptr},
      {"${{ 'single' }}", "single"},
      {R"(${{ "double" }})", "double"},
      {R"(${{ 'it\'s' }})", "it's"},
      {R"(${{ "say \"hi\"" }})", "say \"hi\""},
      {R"(${{ 'a\\b' }})", "a\\b"},
      {R"(${{ 'tab\tnl\nret\r\/' }})", "tab\tnl\nret\r/"},
      {R"(${{ '\u00e9\ud83d\ude00' }})", "\xC3\xA9\xF0\x9F\x98\x80"},
      {"${{ 'closing }} inside' }}", "closing }} inside"},
      {"${{ '${{' }}", "${{"},
      {"${{input.count}}", 3},
  });
}

TEST_CASE("paths read every root, dots and brackets", "[expression]") {
  check_values({
      {"${{ input.company_name }}", "Acme"},
      {"${{ input.tags }}", Json::parse(R"(["a","b"])")},
      {"${{ input.nested }}", Json::parse(R"({"k":"v"})")},
      {"${{ input.nothing }}", nullptr},
      {"${{ input.ratio }}", 0.5},
      {"${{ input.tags[1] }}", "b"},
      {"${{ input['key-with-dash'] }}", 7},
      {R"(${{ input["nested"].k }})", "v"},
      {"${{ steps.create_org.output.id }}", "org_1"},
      {"${{ steps.create_org.output.items[1].id }}", 20},
      {"${{ steps['create_org'].output.items[0]['id'] }}", 10},
      {"${{ event.data.object.id }}", "cus_1"},
      {"${{ run.attempt }}", 2},
      {"${{ run.id }}", "run_1"},
      {"${{ env.SALES_HOOK_URL }}", "https://hooks.example/sales"},
  });
}

TEST_CASE("every operator", "[expression]") {
  check_values({
      {"${{ input.count == 3 }}", true},
      {"${{ 1 == 1.0 }}", true},
      {"${{ input.count == 3.0 }}", true},
      {"${{ 9007199254740993 == 9007199254740992 }}", false},
      {"${{ input.plan_type == 'pro' }}", true},
      {"${{ input.plan_type != 'pro' }}", false},
      {"${{ 'a' == 1 }}", false},
      {"${{ 'a' != 1 }}", true},
      {"${{ null == input.nothing }}", true},
      {"${{ input.nested_int == input.nested_float }}", true},
      {"${{ input.tags == input.tags }}", true},
      {"${{ input.tags == input.numbers }}", false},
      {"${{ 2 < 3 }}", true},
      {"${{ 3 < 3 }}", false},
      {"${{ 3 <= 3 }}", true},
      {"${{ 4 <= 3 }}", false},
      {"${{ 2 > 3 }}", false},
      {"${{ 3 > 2.5 }}", true},
      {"${{ 3 >= 4 }}", false},
      {"${{ 3 >= 3.0 }}", true},
      {"${{ -1 < input.huge }}", true},
      {"${{ input.huge > 9223372036854775807 }}", true},
      {"${{ 'abc' < 'abd' }}", true},
      {"${{ 'b' >= 'a' }}", true},
      {"${{ 'B' > 'a' }}", false},
      {"${{ true && true }}", true},
      {"${{ true && false }}", false},
      {"${{ false || true }}", true},
      {"${{ false || false }}", false},
      {"${{ !true }}", false},
      {"${{ !!true }}", true},
      // Short-circuit: the right side would be an error if evaluated.
      {"${{ false && input.missing }}", false},
      {"${{ true || input.missing }}", true},
      {"${{ false && 1 }}", false},
  });
}

TEST_CASE("precedence: ! then comparisons then && then ||", "[expression]") {
  check_values({
      {"${{ true || false && false }}", true},
      {"${{ false && false || true }}", true},
      {"${{ (true || false) && false }}", false},
      {"${{ !false && false }}", false},
      {"${{ !(false && false) }}", true},
      {"${{ 1 < 2 == true }}", true},
      {"${{ input.count == 3 && input.plan_type == 'pro' }}", true},
      {"${{ input.count == 4 || input.flag && !input.off }}", true},
      {"${{ !(input.count == 3) }}", false},
      {"${{ ((((1)))) }}", 1},
  });
}

TEST_CASE("functions", "[expression]") {
  check_values({
      {"${{ default(input.missing, 'x') }}", "x"},
      {"${{ default(input.nothing, 5) }}", 5},
      {"${{ default(input.count, 5) }}", 3},
      {"${{ default(input.off, true) }}", false},
      {"${{ default(input.empty, 'x') }}", ""},
      {"${{ default(input.missing.deeper, 'x') }}", "x"},
      {"${{ default(input.nothing.deeper, 'x') }}", "x"},
      {"${{ default(input.tags[9], 'x') }}", "x"},
      {"${{ default(steps.later.output.id, 'none') }}", "none"},
      {"${{ default(input.missing, default(input.other, 'z')) }}", "z"},
      {"${{ default(input.missing, null) }}", nullptr},
      {"${{ concat('a', 1, true, null, 1.5) }}", "a1true1.5"},
      {"${{ concat(input.tags, input.nested) }}", R"(["a","b"]{"k":"v"})"},
      {"${{ concat('org-', steps.create_org.output.id) }}", "org-org_1"},
      {"${{ lower('AbC-1') }}", "abc-1"},
      {"${{ upper(input.unicode) }}", "H\xC3\xA9LLO"},
      {"${{ length(input.unicode) }}", 5},
      {"${{ length('') }}", 0},
      {"${{ length(input.tags) }}", 2},
      {"${{ length(input.nested) }}", 1},
      {"${{ contains('enterprise', 'prise') }}", true},
      {"${{ contains('enterprise', 'pro') }}", false},
      {"${{ contains(input.tags, 'b') }}", true},
      {"${{ contains(input.tags, 'z') }}", false},
      {"${{ contains(input.numbers, 2.0) }}", true},
      {"${{ string(3) }}", "3"},
      {"${{ string(input.whole_float) }}", "3"},
      {"${{ string(null) }}", ""},
      {"${{ string(input.tags) }}", R"(["a","b"])"},
      {"${{ now() }}", "2026-12-04T15:37:44.123Z"},
      {"${{ now }}", "2026-12-04T15:37:44.123Z"},
  });
}

TEST_CASE("embedded parts render as text", "[expression]") {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"Hello ${{ input.company_name }}!", "Hello Acme!"},
      {"n=${{ input.count }}", "n=3"},
      {"n=${{ -4 }}", "n=-4"},
      {"u=${{ input.huge }}", "u=18446744073709551615"},
      {"r=${{ input.ratio }}", "r=0.5"},
      {"f=${{ input.whole_float }}", "f=3"},
      {"t=${{ input.tiny }}", "t=1e-07"},
      {"b=${{ input.flag }}/${{ input.off }}", "b=true/false"},
      {"z=${{ input.nothing }}.", "z=."},
      {"a=${{ input.tags }}", R"(a=["a","b"])"},
      {"o=${{ steps.create_org.output.items[0] }}", R"(o={"id":10})"},
      {"${{ input.count }}${{ input.count }}", "33"},
      {" ${{ input.count }}", " 3"},
      {"${{ input.count }} ", "3 "},
      {"${{ 'a' }}-${{ 'b' }}", "a-b"},
      {"at ${{ now() }}", "at 2026-12-04T15:37:44.123Z"},
      {"plain text", "plain text"},
      {"", ""},
      {"$ {{ x }} costs $5 {{ }} ${ {", "$ {{ x }} costs $5 {{ }} ${ {"},
  };
  for (const Case& c : cases) {
    INFO("template: " << c.text);
    auto result = render(c.text);
    INFO("errors:\n" << describe(result.errors()));
    REQUIRE(result.ok());
    REQUIRE(result.value().is_string());
    CHECK(result.value().get<std::string>() == c.expected);
  }
}

TEST_CASE("whole versus embedded versus literal", "[expression]") {
  struct Case {
    std::string text;
    bool whole;
    bool literal;
  };
  const std::vector<Case> cases = {
      {"${{ input.count }}", true, false},
      {"${{input.count}}", true, false},
      {"${{\n input.count \t}}", true, false},
      {" ${{ input.count }}", false, false},
      {"${{ 1 }}${{ 2 }}", false, false},
      {"plain", false, true},
      {"", false, true},
  };
  for (const Case& c : cases) {
    INFO("template: " << c.text);
    Template t = parse_ok(c.text);
    CHECK(t.is_whole() == c.whole);
    CHECK(t.is_literal() == c.literal);
    CHECK(t.source() == c.text);
  }
  Template empty;
  CHECK(empty.is_literal());
  CHECK(empty.source().empty());
  auto rendered = empty.render(context());
  REQUIRE(rendered.ok());
  CHECK(rendered.value() == "");
}

TEST_CASE("evaluation errors name what went wrong", "[expression]") {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"${{ input.plan }}", "input.plan: no key 'plan'"},
      {"x ${{ input.plan }}", "input.plan: no key 'plan'"},
      {"${{ input.nested.x.y }}", "input.nested.x.y: no key 'x'"},
      {"${{ steps.create_org.output.items[5].id }}",
       "steps.create_org.output.items[5].id: index 5 out of range (array has 2 elements)"},
      {"${{ steps.other.output }}", "steps.other.output: no key 'other'"},
      {"${{ input.company_name.first }}",
       "input.company_name.first: cannot read key 'first' of a string"},
      {"${{ input.nested[0] }}", "input.nested[0]: cannot read index 0 of an object"},
      {"${{ input.count[0] }}", "input.count[0]: cannot read index 0 of a number"},
      {"${{ input.tags['x'] }}", "input.tags['x']: cannot read key 'x' of an array"},
      {"${{ input.flag.x }}", "input.flag.x: cannot read key 'x' of a boolean"},
      {"${{ input.nothing.x }}", "input.nothing.x: cannot read key 'x' of null"},
      {"${{ input.nothing[2] }}", "input.nothing[2]: cannot read index 2 of null"},
      {R"(${{ input.nested['it\'s'] }})", R"(input.nested['it\'s']: no key 'it's')"},
      {"${{ secrets.TOKEN }}", "secrets are not available here"},
      {"${{ 1 < 'a' }}", "'<' needs two numbers or two strings, got number and string"},
      {"${{ input.tags >= 1 }}", "'>=' needs two numbers or two strings, got array and number"},
      {"${{ null <= null }}", "'<=' needs two numbers or two strings, got null and null"},
      {"${{ true > false }}", "'>' needs two numbers or two strings, got boolean and boolean"},
      {"${{ 1 && true }}", "'&&' needs booleans, got number on the left"},
      {"${{ true && 'x' }}", "'&&' needs booleans, got string on the right"},
      {"${{ input.tags || true }}", "'||' needs booleans, got array on the left"},
      {"${{ false || null }}", "'||' needs booleans, got null on the right"},
      {"${{ !'x' }}", "'!' needs a boolean, got string"},
      {"${{ lower(1) }}", "lower() needs a string, got number"},
      {"${{ upper(null) }}", "upper() needs a string, got null"},
      {"${{ length(5) }}", "length() needs a string, array or object, got number"},
      {"${{ contains(input.nested, 'k') }}",
       "contains() needs a string or array to search, got object"},
      {"${{ contains('abc', 1) }}",
       "contains() needs a string to look for in a string, got number"},
      // default() forgives absence, not type errors, and only in its first argument.
      {"${{ default(input.company_name.x, 'd') }}",
       "input.company_name.x: cannot read key 'x' of a string"},
      {"${{ default(input.a, input.b) }}", "input.b: no key 'b'"},
      {"${{ default(secrets.X, 'd') }}", "secrets are not available here"},
      {"${{ default(lower(input.a), 'd') }}", "input.a: no key 'a'"},
      {"${{ lower(input.missing) }}", "input.missing: no key 'missing'"},
      {"${{ concat('a', input.missing) }}", "input.missing: no key 'missing'"},
      {"${{ 1 == 1 && input.x == 2 }}", "input.x: no key 'x'"},
  };
  for (const Case& c : cases) {
    INFO("template: " << c.text);
    auto result = render(c.text);
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.errors().size() == 1);
    CHECK(result.error().message == c.message);
  }
}

TEST_CASE("evaluation errors point at the failing part", "[expression]") {
  struct Case {
    std::string text;
    std::size_t offset;
  };
  const std::vector<Case> cases = {
      {"x ${{ input.plan }}", 6}, {"${{ 1 < 'a' }}", 6},  {"${{ true && 1 }}", 9},
      {"${{ !1 }}", 4},           {"${{ lower(1) }}", 4}, {"a${{ 1 }}b${{ input.q }}", 14},
  };
  for (const Case& c : cases) {
    INFO("template: " << c.text);
    auto result = render(c.text);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().offset == c.offset);
  }
}

TEST_CASE("roots missing from the scope are unavailable", "[expression]") {
  const Json scope = Json::parse(R"({"input": {"a": 1}})");
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"${{ steps.x.output }}", "steps are not available here"},
      {"${{ run.id }}", "run is not available here"},
      {"${{ env.HOME }}", "env is not available here"},
      {"${{ event.id }}", "event is not available here"},
      {"${{ secrets.KEY }}", "secrets are not available here"},
  };
  for (const Case& c : cases) {
    INFO("template: " << c.text);
    auto result = render(c.text, scope);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().message == c.message);
  }
  auto not_an_object = render("${{ input.a }}", Json::array());
  REQUIRE_FALSE(not_an_object.ok());
  CHECK(not_an_object.error().message == "input is not available here");
  auto fine = render("${{ input.a }} ${{ now }}", scope);
  REQUIRE(fine.ok());
  CHECK(fine.value() == "1 2026-12-04T15:37:44.123Z");
}

TEST_CASE("parse errors carry message and offset", "[expression]") {
  struct Case {
    std::string text;
    std::string message;
    std::size_t offset;
  };
  const std::string roots = "expected one of input, steps, run, env, secrets, event, now";
  const std::string funcs =
      "expected one of default, concat, lower, upper, now, length, contains, string";
  const std::vector<Case> cases = {
      {"${{ input.a", "unclosed '${{' (missing '}}')", 0},
      {"ab ${{ input.a }", "unclosed '${{' (missing '}}')", 3},
      {"${{ 1 }} ${{", "unclosed '${{' (missing '}}')", 9},
      {"${{ }}", "empty expression", 0},
      {"x${{ \t }}", "empty expression", 1},
      {"${{ input.a b }}", "unexpected 'b' after the expression", 12},
      {"${{ input.a ) }}", "unexpected ')' after the expression", 12},
      {"${{ input.a @ }}", "unexpected character '@'", 12},
      {"${{ \xC2\xA1 }}", "unexpected byte 0xC2", 4},
      {"${{ input.a = 1 }}", "unexpected '='; use '==' to compare", 12},
      {"${{ true & false }}", "unexpected '&'; use '&&'", 9},
      {"${{ true | false }}", "unexpected '|'; use '||'", 9},
      {"${{ steps.create-org.output }}",
       "unexpected '-'; write keys containing '-' as ['key-with-dash']", 16},
      {"${{ inputs.a }}", "unknown root 'inputs'; " + roots + "; did you mean 'input'?", 4},
      {"${{ input.a == step.x }}", "unknown root 'step'; " + roots + "; did you mean 'steps'?", 15},
      {"${{ foo }}", "unknown root 'foo'; " + roots, 4},
      {"${{ lenght(input.a) }}", "unknown function 'lenght'; " + funcs + "; did you mean 'length'?",
       4},
      {"${{ json(input.a) }}", "unknown function 'json'; " + funcs, 4},
      {"${{ default(input.a) }}", "default() takes 2 arguments, got 1", 4},
      {"${{ default(1, 2, 3) }}", "default() takes 2 arguments, got 3", 4},
      {"${{ concat('a') }}", "concat() takes at least 2 arguments, got 1", 4},
      {"${{ lower() }}", "lower() takes 1 argument, got 0", 4},
      {"${{ upper('a', 'b') }}", "upper() takes 1 argument, got 2", 4},
      {"${{ now(1) }}", "now() takes no arguments, got 1", 4},
      {"${{ length('a', 'b') }}", "length() takes 1 argument, got 2", 4},
      {"${{ contains('a') }}", "contains() takes 2 arguments, got 1", 4},
      {"${{ string() }}", "string() takes 1 argument, got 0", 4},
      {"${{ 'abc }}", "unterminated string literal", 4},
      {R"(${{ 'a\q' }})", R"(unknown escape '\q')", 6},
      {R"(${{ '\uZZZZ' }})", R"(invalid \u escape)", 5},
      {R"(${{ '\ud800x' }})", R"(invalid \u escape)", 5},
      {"${{ input.a == }}", "expected a value, found end of expression", 15},
      {"${{ ) }}", "expected a value, found ')'", 4},
      {"${{ (true }}", "expected ')', found end of expression", 10},
      {"${{ lower('a' 'b') }}", "expected ',' or ')' in lower(), found 'b'", 14},
      {"${{ input. }}", "expected a name after '.', found end of expression", 11},
      {"${{ input.tags[-1] }}", "array index must not be negative", 15},
      {"${{ input.tags[1.5] }}", "expected an integer or a string inside [], found '1.5'", 15},
      {"${{ input.tags[0 }}", "expected ']', found end of expression", 17},
      {"${{ now.x }}", "'now' has no fields", 7},
      {"${{ 99999999999999999999 }}", "integer out of range", 4},
      {"${{ 1e999 }}", "number out of range", 4},
      {"${{ " + std::string(100, '(') + "true" + std::string(100, ')') + " }}",
       "expression nested too deeply", 69},
  };
  for (const Case& c : cases) {
    INFO("template: " << c.text);
    auto parsed = Template::parse(c.text);
    REQUIRE_FALSE(parsed.ok());
    INFO("errors:\n" << describe(parsed.errors()));
    REQUIRE(parsed.errors().size() == 1);
    CHECK(parsed.error().message == c.message);
    CHECK(parsed.error().offset == c.offset);
    CHECK(parsed.error().pointer.empty());
  }
}

TEST_CASE("a template reports every broken expression", "[expression]") {
  const std::string text = "${{ inputs.a }} and ${{ }} and ${{ input.ok }} and ${{ 1 +";
  auto parsed = Template::parse(text);
  REQUIRE_FALSE(parsed.ok());
  INFO(describe(parsed.errors()));
  REQUIRE(parsed.errors().size() == 3);
  CHECK(parsed.errors()[0].offset == 4);
  CHECK(parsed.errors()[1].message == "empty expression");
  CHECK(parsed.errors()[1].offset == 20);
  CHECK(parsed.errors()[2].message == "unclosed '${{' (missing '}}')");
  CHECK(parsed.errors()[2].offset == text.rfind("${{"));
  CHECK_THROWS_AS(parsed.value(), std::logic_error);
}

TEST_CASE("bare expressions", "[expression]") {
  auto ok = Expression::parse("input.count > 1 && contains(input.tags, 'a')");
  REQUIRE(ok.ok());
  CHECK(ok.value().source() == "input.count > 1 && contains(input.tags, 'a')");
  auto value = ok.value().evaluate(context());
  REQUIRE(value.ok());
  CHECK(value.value() == true);
  CHECK(ok.value().references_root("input"));

  auto empty = Expression::parse("  ");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message == "empty expression");
  CHECK(empty.error().offset == 0);

  auto dangling = Expression::parse("input.a ==");
  REQUIRE_FALSE(dangling.ok());
  CHECK(dangling.error().message == "expected a value, found end of expression");
  CHECK(dangling.error().offset == 10);

  auto unterminated = Expression::parse("'abc");
  REQUIRE_FALSE(unterminated.ok());
  CHECK(unterminated.error().message == "unterminated string literal");

  auto trailing_backslash = Expression::parse("'abc\\");
  REQUIRE_FALSE(trailing_backslash.ok());
  CHECK(trailing_backslash.error().message == "unterminated string literal");

  auto missing = Expression::parse("input.nope").value().evaluate(context());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "input.nope: no key 'nope'");
}

TEST_CASE("references list root, static segments and offset", "[expression]") {
  const std::string text =
      "Org ${{ steps.create_org.output.id }} for "
      "${{ default(input.name, env['HOME-DIR']) }} at ${{ now() }}; ${{ input.tags[0] == now }}";
  Template t = parse_ok(text);
  struct Expected {
    std::vector<std::string> path;
    std::size_t offset;
  };
  const std::vector<Expected> expected = {
      {{"steps", "create_org", "output", "id"}, text.find("steps")},
      {{"input", "name"}, text.find("input.name")},
      {{"env", "HOME-DIR"}, text.find("env[")},
      {{"now"}, text.find("now()")},
      {{"input", "tags", "0"}, text.find("input.tags")},
      {{"now"}, text.find("now }}")},
  };
  auto refs = t.references();
  REQUIRE(refs.size() == expected.size());
  for (std::size_t i = 0; i < refs.size(); ++i) {
    INFO("reference " << i);
    CHECK(refs[i].path == expected[i].path);
    CHECK(refs[i].offset == expected[i].offset);
    CHECK(refs[i].root() == expected[i].path[0]);
    CHECK(refs[i].pointer.empty());
  }
  CHECK(t.references_root("steps"));
  CHECK(t.references_root("env"));
  CHECK(t.references_root("now"));
  CHECK_FALSE(t.references_root("secrets"));
  CHECK_FALSE(t.references_root("run"));
  CHECK(parse_ok("no expressions").references().empty());
  CHECK(parse_ok("${{ 1 == 2 }}").references().empty());
  CHECK_FALSE(parse_ok("${{ 'input.a' }}").references_root("input"));
}

TEST_CASE("now uses the injected clock", "[expression]") {
  using namespace std::chrono;
  struct Case {
    system_clock::time_point time;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {fixed_time(), "2026-12-04T15:37:44.123Z"},
      {system_clock::time_point{}, "1970-01-01T00:00:00.000Z"},
      {sys_days{year{1969} / December / 31} + hours{23} + minutes{59} + seconds{59} +
           milliseconds{999} + microseconds{900},
       "1969-12-31T23:59:59.999Z"},
      {sys_days{year{2024} / February / 29} + hours{9} + milliseconds{7},
       "2024-02-29T09:00:00.007Z"},
  };
  Template t = parse_ok("${{ now() }}");
  for (const Case& c : cases) {
    INFO("expected: " << c.expected);
    int calls = 0;
    EvalContext ctx{fixture(), [&] {
                      ++calls;
                      return c.time;
                    }};
    auto result = t.render(ctx);
    REQUIRE(result.ok());
    CHECK(result.value() == c.expected);
    CHECK(calls == 1);
  }
  // The default clock is the system clock.
  EvalContext real{fixture()};
  auto result = t.render(real);
  REQUIRE(result.ok());
  CHECK(std::regex_match(result.value().get<std::string>(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
}

TEST_CASE("compiled values render a whole with: block", "[expression]") {
  const Json with = Json::parse(R"({
    "display_name": "${{ input.company_name }}",
    "seats": "${{ input.count }}",
    "metadata": {"plan_type": "${{ input.plan_type }}", "onboarding_status": "pending"},
    "list": ["x-${{ input.count }}", 1, true, null],
    "constant": {"a": [1, 2]}
  })");
  auto compiled = CompiledValue::compile(with);
  INFO(describe(compiled.errors()));
  REQUIRE(compiled.ok());
  CHECK_FALSE(compiled.value().is_constant());
  CHECK(compiled.value().source() == with);
  auto rendered = compiled.value().render(context());
  REQUIRE(rendered.ok());
  CHECK(rendered.value() == Json::parse(R"({
    "display_name": "Acme", "seats": 3,
    "metadata": {"plan_type": "pro", "onboarding_status": "pending"},
    "list": ["x-3", 1, true, null], "constant": {"a": [1, 2]}
  })"));
  CHECK(rendered.value()["seats"].is_number_integer());

  auto refs = compiled.value().references();
  REQUIRE(refs.size() == 4);
  CHECK(refs[0].pointer == "/display_name");
  CHECK(refs[1].pointer == "/list/0");
  CHECK(refs[1].path == std::vector<std::string>{"input", "count"});
  CHECK(refs[1].offset == 6);
  CHECK(refs[2].pointer == "/metadata/plan_type");
  CHECK(refs[3].pointer == "/seats");
  CHECK(compiled.value().references_root("input"));
  CHECK_FALSE(compiled.value().references_root("steps"));
}

TEST_CASE("compiled values: constants, errors with pointers", "[expression]") {
  const Json constant = Json::parse(R"({"a": "plain", "b": [1, {"c": "$5"}]})");
  auto compiled = CompiledValue::compile(constant);
  REQUIRE(compiled.ok());
  CHECK(compiled.value().is_constant());
  CHECK(compiled.value().references().empty());
  auto rendered = compiled.value().render(context());
  REQUIRE(rendered.ok());
  CHECK(rendered.value() == constant);

  auto scalar = CompiledValue::compile("${{ input.count }}");
  REQUIRE(scalar.ok());
  auto three = scalar.value().render(context());
  REQUIRE(three.ok());
  CHECK(three.value() == 3);

  CompiledValue null_value;
  CHECK(null_value.is_constant());
  auto null_rendered = null_value.render(context());
  REQUIRE(null_rendered.ok());
  CHECK(null_rendered.value().is_null());

  auto broken = CompiledValue::compile(
      Json::parse(R"({"a": {"b/c~": "x ${{ inputs.x }}"}, "l": ["ok", "${{ }}"]})"));
  REQUIRE_FALSE(broken.ok());
  INFO(describe(broken.errors()));
  REQUIRE(broken.errors().size() == 2);
  CHECK(broken.errors()[0].pointer == "/a/b~1c~0");
  CHECK(broken.errors()[0].offset == 6);
  CHECK(broken.errors()[1].pointer == "/l/1");
  CHECK(broken.errors()[1].message == "empty expression");

  auto failing = CompiledValue::compile(Json::parse(R"({"x": ["ok", "${{ input.plan }}"]})"));
  REQUIRE(failing.ok());
  auto failed = failing.value().render(context());
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message == "input.plan: no key 'plan'");
  CHECK(failed.error().pointer == "/x/1");
  CHECK(failed.error().offset == 4);
}

TEST_CASE("copies share the tree and render concurrently", "[expression]") {
  Template original = parse_ok("${{ concat(input.company_name, '-', run.attempt) }}");
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([copy = original, &results, i] {
      for (int n = 0; n < 200; ++n) {
        auto r = copy.render(context());
        results[i] = r.ok() ? r.value().get<std::string>() : r.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const std::string& r : results) CHECK(r == "Acme-2");
}

TEST_CASE("random input never throws or crashes", "[expression]") {
  // Pieces of the grammar, glued at random, reach most error paths.
  const std::vector<std::string> pieces = {
      "${{", "}}",     " ",    "input", "steps", ".",    "[",    "]",       "0",      "-1",
      "'a'", "\"b\"",  "\\",   "'",     "(",     ")",    ",",    "==",      "!",      "&&",
      "||",  "<",      ">=",   "=",     "&",     "|",    "@",    "default", "now",    "lower",
      "1.5", "nested", "tags", "count", "null",  "true", "\xff", "\\u",     "concat", "$",
  };
  const std::vector<Json> scopes = {fixture(), Json(), Json::array({1}),
                                    Json::parse(R"({"input": 5, "steps": [1]})"),
                                    Json::parse(R"({"input": {"tags": "x", "nested": null}})")};
  std::mt19937 rng(12345);
  int parsed = 0, rendered = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = i % 2 ? "${{ " : "";
    int length = static_cast<int>(rng() % 12);
    for (int j = 0; j < length; ++j) text += pieces[rng() % pieces.size()];
    if (i % 2) text += " }}";
    INFO("template: " << text);
    REQUIRE_NOTHROW(Template::parse(text));
    auto t = Template::parse(text);
    if (!t) continue;
    ++parsed;
    for (const Json& scope : scopes) {
      REQUIRE_NOTHROW(t.value().render(context(scope)));
      rendered += t.value().render(context(scope)).ok();
    }
    REQUIRE_NOTHROW(t.value().references());
  }
  // Enough random inputs got through the parser for the render half to mean something.
  CHECK(parsed > 100);
  CHECK(rendered > 100);
}

}  // namespace
}  // namespace sagaflow
