// Tables of cases for engine/input_schema: validation of values (every
// keyword's edge cases, exact messages), defaults, and invalid schemas with
// the exact path and message of each problem.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "engine/input_schema.hpp"

using sagaflow::Dialect;
using sagaflow::InputSchema;
using sagaflow::Json;

namespace {

std::vector<std::string> texts(const std::vector<sagaflow::Violation>& violations) {
  std::vector<std::string> out;
  for (const auto& v : violations) out.push_back(sagaflow::to_string(v));
  return out;
}

std::vector<std::string> texts(const std::vector<sagaflow::SchemaProblem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(sagaflow::to_string(p));
  return out;
}

InputSchema compile_ok(const Json& schema, Dialect dialect) {
  auto compiled = InputSchema::compile(schema, dialect);
  INFO(Json(texts(compiled.problems)).dump(2));
  REQUIRE(compiled.problems.empty());
  return compiled.schema;
}

constexpr Dialect kSubset = Dialect::InputSubset;
constexpr Dialect kFull = Dialect::Full;

struct ValueCase {
  const char* name;
  Dialect dialect;
  const char* schema;
  const char* value;
  std::vector<std::string> expected;
};

// The input block of DESIGN.md's customer_onboarding example.
constexpr const char* kOnboarding = R"J({
  "required": ["company_name", "admin_email", "stripe_customer_id", "salesforce_account_id"],
  "properties": {
    "company_name": {"type": "string", "minLength": 1},
    "admin_email": {"type": "string", "format": "email"},
    "plan_type": {"type": "string", "enum": ["free", "pro", "enterprise"], "default": "free"},
    "stripe_customer_id": {"type": "string", "pattern": "^cus_[A-Za-z0-9]+$"},
    "salesforce_account_id": {"type": "string"}
  }
})J";

const std::vector<ValueCase> kValueCases = {
    // ---- type ----
    {"integer accepts 3",
     kSubset,
     R"J({"properties": {"n": {"type": "integer"}}})J",
     R"J({"n": 3})J",
     {}},
    {"integer accepts 3.0 (2020-12)",
     kSubset,
     R"J({"properties": {"n": {"type": "integer"}}})J",
     R"J({"n": 3.0})J",
     {}},
    {"integer rejects 3.5",
     kSubset,
     R"J({"properties": {"n": {"type": "integer"}}})J",
     R"J({"n": 3.5})J",
     {"$.n: expected integer, got number"}},
    {"integer rejects numeric string",
     kSubset,
     R"J({"properties": {"n": {"type": "integer"}}})J",
     R"J({"n": "3"})J",
     {"$.n: expected integer, got string"}},
    {"number accepts an integer",
     kSubset,
     R"J({"properties": {"n": {"type": "number"}}})J",
     R"J({"n": -7})J",
     {}},
    {"string rejects integer",
     kSubset,
     R"J({"properties": {"x": {"type": "string"}}})J",
     R"J({"x": 12})J",
     {"$.x: expected string, got integer"}},
    {"boolean rejects 'true'",
     kSubset,
     R"J({"properties": {"flag": {"type": "boolean"}}})J",
     R"J({"flag": "true"})J",
     {"$.flag: expected boolean, got string"}},
    {"type list accepts null",
     kSubset,
     R"J({"properties": {"x": {"type": ["string", "null"]}}})J",
     R"J({"x": null})J",
     {}},
    {"type list rejects integer",
     kSubset,
     R"J({"properties": {"x": {"type": ["string", "integer", "null"]}}})J",
     R"J({"x": true})J",
     {"$.x: expected string, integer or null, got boolean"}},
    {"top level is an object even without type",
     kSubset,
     R"J({"properties": {"a": {"type": "string"}}})J",
     R"J(["a"])J",
     {"$: expected object, got array"}},
    {"top-level non-object skips required",
     kSubset,
     R"J({"required": ["a"]})J",
     R"J("x")J",
     {"$: expected object, got string"}},
    {"null type rejects 0",
     kSubset,
     R"J({"properties": {"x": {"type": "null"}}})J",
     R"J({"x": 0})J",
     {"$.x: expected null, got integer"}},

    // ---- minLength / maxLength count code points ----
    {"maxLength counts code points, not bytes",
     kSubset,
     R"J({"properties": {"s": {"type": "string", "maxLength": 5}}})J",
     R"J({"s": "héllo"})J",
     {}},
    {"minLength with CJK",
     kSubset,
     R"J({"properties": {"s": {"type": "string", "minLength": 4}}})J",
     R"J({"s": "日本語"})J",
     {"$.s: '日本語' is shorter than 4 characters"}},
    {"maxLength with 4-byte emoji",
     kSubset,
     R"J({"properties": {"s": {"type": "string", "maxLength": 2}}})J",
     R"J({"s": "😀😀"})J",
     {}},
    {"maxLength 1 with two emoji",
     kSubset,
     R"J({"properties": {"s": {"type": "string", "maxLength": 1}}})J",
     R"J({"s": "😀😀"})J",
     {"$.s: '😀😀' is longer than 1 character"}},
    {"minLength 1 rejects empty string",
     kSubset,
     kOnboarding,
     R"J({"company_name": "", "admin_email": "a@example.com", "stripe_customer_id": "cus_1",
          "salesforce_account_id": "001"})J",
     {"$.company_name: '' is shorter than 1 character"}},
    {"minLength ignores non-strings",
     kSubset,
     R"J({"properties": {"s": {"minLength": 3}}})J",
     R"J({"s": 1})J",
     {}},

    // ---- pattern ----
    {"pattern is an unanchored search",
     kSubset,
     R"J({"properties": {"id": {"type": "string", "pattern": "cus_"}}})J",
     R"J({"id": "xx_cus_1"})J",
     {}},
    {"anchored pattern rejects a prefix",
     kSubset,
     R"J({"properties": {"id": {"type": "string", "pattern": "^cus_[A-Za-z0-9]+$"}}})J",
     R"J({"id": "xcus_1"})J",
     {"$.id: 'xcus_1' does not match pattern '^cus_[A-Za-z0-9]+$'"}},
    {"anchored pattern rejects a suffix",
     kSubset,
     R"J({"properties": {"id": {"type": "string", "pattern": "^cus_[A-Za-z0-9]+$"}}})J",
     R"J({"id": "cus_abc!"})J",
     {"$.id: 'cus_abc!' does not match pattern '^cus_[A-Za-z0-9]+$'"}},
    {"pattern dot matches one code point",
     kSubset,
     R"J({"properties": {"s": {"type": "string", "pattern": "^.{2}$"}}})J",
     R"J({"s": "é€"})J",
     {}},
    {"pattern character class with non-ASCII",
     kSubset,
     R"J({"properties": {"s": {"type": "string", "pattern": "^[a-zé]+$"}}})J",
     R"J({"s": "café"})J",
     {}},
    {"pattern ignores non-strings",
     kSubset,
     R"J({"properties": {"s": {"pattern": "^a"}}})J",
     R"J({"s": 5})J",
     {}},

    // ---- enum / const ----
    {"enum from DESIGN.md",
     kSubset,
     kOnboarding,
     R"J({"company_name": "Acme", "admin_email": "a@example.com", "plan_type": "gold",
          "stripe_customer_id": "cus_1", "salesforce_account_id": "001"})J",
     {"$.plan_type: 'gold' is not one of free, pro, enterprise"}},
    {"enum with mixed types matches numerically",
     kSubset,
     R"J({"properties": {"x": {"enum": [1, "a", null, true]}}})J",
     R"J({"x": 1.0})J",
     {}},
    {"enum with mixed types matches null",
     kSubset,
     R"J({"properties": {"x": {"enum": [1, "a", null, true]}}})J",
     R"J({"x": null})J",
     {}},
    {"enum does not confuse '1' with 1",
     kSubset,
     R"J({"properties": {"x": {"enum": [1, "a", null, "true"]}}})J",
     R"J({"x": "1"})J",
     {"$.x: '1' is not one of 1, a, null, 'true'"}},
    {"enum with an object compares deeply",
     kSubset,
     R"J({"properties": {"x": {"enum": [{"a": 1}, [1, 2]]}}})J",
     R"J({"x": {"a": 1.0}})J",
     {}},
    {"const object equal with 2.0 == 2",
     kSubset,
     R"J({"properties": {"x": {"const": {"a": [1, 2]}}}})J",
     R"J({"x": {"a": [1, 2.0]}})J",
     {}},
    {"const object order matters in arrays",
     kSubset,
     R"J({"properties": {"x": {"const": {"a": [1, 2]}}}})J",
     R"J({"x": {"a": [2, 1]}})J",
     {R"J($.x: must equal {"a":[1,2]}, got {"a":[2,1]})J"}},
    {"const object with an extra key",
     kSubset,
     R"J({"properties": {"x": {"const": {"a": 1}}}})J",
     R"J({"x": {"a": 1, "b": 2}})J",
     {R"J($.x: must equal {"a":1}, got {"a":1,"b":2})J"}},
    {"const string",
     kSubset,
     R"J({"properties": {"v": {"const": "v1"}}})J",
     R"J({"v": "v2"})J",
     {"$.v: must equal 'v1', got 'v2'"}},

    // ---- properties / required / additionalProperties ----
    {"additionalProperties false rejects extras",
     kSubset,
     R"J({"properties": {"a": {}}, "additionalProperties": false})J",
     R"J({"a": 1, "extra": 2})J",
     {"$.extra: unknown property 'extra'"}},
    {"additionalProperties false suggests a close name",
     kSubset,
     R"J({"properties": {"company_name": {}}, "additionalProperties": false})J",
     R"J({"compnay_name": "Acme"})J",
     {"$.compnay_name: unknown property 'compnay_name'; did you mean 'company_name'?"}},
    {"additionalProperties schema checks extras only",
     kSubset,
     R"J({"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}})J",
     R"J({"a": "x", "b": 2, "c": "three"})J",
     {"$.c: expected integer, got string"}},
    {"additionalProperties absent allows extras",
     kSubset,
     R"J({"properties": {"a": {}}})J",
     R"J({"b": 1})J",
     {}},
    {"missing required at the root",
     kSubset,
     kOnboarding,
     R"J({"admin_email": "a@example.com", "stripe_customer_id": "cus_1",
          "salesforce_account_id": "001"})J",
     {"$: missing required property 'company_name'"}},
    {"missing required in a nested object",
     kSubset,
     R"J({"properties": {"address": {"type": "object", "required": ["street", "city"],
          "properties": {"street": {"type": "string"}, "city": {"type": "string"}}}}})J",
     R"J({"address": {"street": "Main St"}})J",
     {"$.address: missing required property 'city'"}},
    {"required is satisfied by null", kSubset, R"J({"required": ["a"]})J", R"J({"a": null})J", {}},
    {"odd keys are quoted in paths",
     kSubset,
     R"J({"properties": {"first name": {"type": "string"}, "it's": {"type": "string"}}})J",
     R"J({"first name": 1, "it's": 2})J",
     {"$['first name']: expected string, got integer",
      R"J($['it\'s']: expected string, got integer)J"}},

    // ---- items / minItems / maxItems ----
    {"items errors carry indices",
     kSubset,
     R"J({"properties": {"ids": {"type": "array", "items": {"type": "integer"}}}})J",
     R"J({"ids": [1, "two", 3, null]})J",
     {"$.ids[1]: expected integer, got string", "$.ids[3]: expected integer, got null"}},
    {"items of objects",
     kSubset,
     R"J({"properties": {"items": {"type": "array", "items": {"type": "object", "required": ["id"],
          "properties": {"id": {"type": "string"}}}}}})J",
     R"J({"items": [{"id": 1}, {"id": "b"}, {}]})J",
     {"$.items[0].id: expected string, got integer", "$.items[2]: missing required property 'id'"}},
    {"minItems",
     kSubset,
     R"J({"properties": {"tags": {"type": "array", "minItems": 2}}})J",
     R"J({"tags": ["a"]})J",
     {"$.tags: expected at least 2 items, got 1"}},
    {"maxItems",
     kSubset,
     R"J({"properties": {"tags": {"type": "array", "maxItems": 1}}})J",
     R"J({"tags": ["a", "b"]})J",
     {"$.tags: expected at most 1 item, got 2"}},

    // ---- minimum / maximum ----
    {"minimum is inclusive",
     kSubset,
     R"J({"properties": {"n": {"minimum": 5}}})J",
     R"J({"n": 5})J",
     {}},
    {"minimum rejects 4.5",
     kSubset,
     R"J({"properties": {"n": {"minimum": 5}}})J",
     R"J({"n": 4.5})J",
     {"$.n: 4.5 is less than the minimum 5"}},
    {"maximum is inclusive",
     kSubset,
     R"J({"properties": {"n": {"maximum": 10}}})J",
     R"J({"n": 10.0})J",
     {}},
    {"maximum rejects 11",
     kSubset,
     R"J({"properties": {"n": {"maximum": 10}}})J",
     R"J({"n": 11})J",
     {"$.n: 11 is greater than the maximum 10"}},
    {"maximum compares large integers exactly",
     kSubset,
     R"J({"properties": {"n": {"maximum": 9007199254740993}}})J",
     R"J({"n": 9007199254740994})J",
     {"$.n: 9007199254740994 is greater than the maximum 9007199254740993"}},
    {"minimum with a negative bound",
     kSubset,
     R"J({"properties": {"n": {"minimum": -1}}})J",
     R"J({"n": -2})J",
     {"$.n: -2 is less than the minimum -1"}},

    // ---- format: email ----
    {"email valid",
     kSubset,
     R"J({"properties": {"e": {"format": "email"}}})J",
     R"J({"e": "joe.bloggs+tag@mail.example.com"})J",
     {}},
    {"email with quoted local part and IP literal",
     kSubset,
     R"J({"properties": {"e": {"format": "email"}, "f": {"format": "email"}}})J",
     R"J({"e": "\"joe bloggs\"@example.com", "f": "joe@[127.0.0.1]"})J",
     {}},
    {"email without @",
     kSubset,
     R"J({"properties": {"admin_email": {"format": "email"}}})J",
     R"J({"admin_email": "not-an-email"})J",
     {"$.admin_email: 'not-an-email' is not a valid email address"}},
    {"email with bad dots or domain",
     kSubset,
     R"J({"properties": {"a": {"format": "email"}, "b": {"format": "email"},
          "c": {"format": "email"}, "d": {"format": "email"}}})J",
     R"J({"a": ".joe@example.com", "b": "jo..e@example.com", "c": "joe@", "d": "joe@exa_mple.com"})J",
     {"$.a: '.joe@example.com' is not a valid email address",
      "$.b: 'jo..e@example.com' is not a valid email address",
      "$.c: 'joe@' is not a valid email address",
      "$.d: 'joe@exa_mple.com' is not a valid email address"}},
    {"format ignores non-strings",
     kSubset,
     R"J({"properties": {"e": {"format": "email"}}})J",
     R"J({"e": 42})J",
     {}},

    // ---- format: uri ----
    {"uri valid",
     kSubset,
     R"J({"properties": {"a": {"format": "uri"}, "b": {"format": "uri"}, "c": {"format": "uri"},
          "d": {"format": "uri"}}})J",
     R"J({"a": "https://user@example.com:8443/p/a%20th?q=1&r=2#frag", "b": "urn:isbn:0451450523",
          "c": "mailto:joe@example.com", "d": "http://[::1]:8080/"})J",
     {}},
    {"uri without scheme",
     kSubset,
     R"J({"properties": {"u": {"format": "uri"}}})J",
     R"J({"u": "example.com/path"})J",
     {"$.u: 'example.com/path' is not a valid URI"}},
    {"uri relative, with space, bad port, bad escape",
     kSubset,
     R"J({"properties": {"a": {"format": "uri"}, "b": {"format": "uri"}, "c": {"format": "uri"},
          "d": {"format": "uri"}}})J",
     R"J({"a": "//example.com/x", "b": "http://exa mple.com", "c": "http://example.com:80a/",
          "d": "http://example.com/%zz"})J",
     {"$.a: '//example.com/x' is not a valid URI", "$.b: 'http://exa mple.com' is not a valid URI",
      "$.c: 'http://example.com:80a/' is not a valid URI",
      "$.d: 'http://example.com/%zz' is not a valid URI"}},

    // ---- format: date-time ----
    {"date-time valid forms",
     kSubset,
     R"J({"properties": {"a": {"format": "date-time"}, "b": {"format": "date-time"},
          "c": {"format": "date-time"}, "d": {"format": "date-time"}}})J",
     R"J({"a": "2024-02-29T10:00:00Z", "b": "1985-04-12T23:20:50.52+01:00",
          "c": "1963-06-19t08:30:06.283185z", "d": "1998-12-31T15:59:60-08:00"})J",
     {}},
    {"date-time Feb 30",
     kSubset,
     R"J({"properties": {"t": {"format": "date-time"}}})J",
     R"J({"t": "2024-02-30T10:00:00Z"})J",
     {"$.t: '2024-02-30T10:00:00Z' is not a valid RFC 3339 date-time: day 30 is out of range for "
      "2024-02"}},
    {"date-time Feb 29 in a common year",
     kSubset,
     R"J({"properties": {"t": {"format": "date-time"}}})J",
     R"J({"t": "2023-02-29T10:00:00Z"})J",
     {"$.t: '2023-02-29T10:00:00Z' is not a valid RFC 3339 date-time: day 29 is out of range for "
      "2023-02"}},
    {"date-time without time zone",
     kSubset,
     R"J({"properties": {"t": {"format": "date-time"}}})J",
     R"J({"t": "2024-01-01T10:00:00"})J",
     {"$.t: '2024-01-01T10:00:00' is not a valid RFC 3339 date-time: missing time zone offset (Z "
      "or +hh:mm)"}},
    {"date-time with a space, a date only, unpadded month",
     kSubset,
     R"J({"properties": {"a": {"format": "date-time"}, "b": {"format": "date-time"},
          "c": {"format": "date-time"}}})J",
     R"J({"a": "2024-01-01 10:00:00Z", "b": "2024-01-01", "c": "2024-1-01T10:00:00Z"})J",
     {"$.a: '2024-01-01 10:00:00Z' is not a valid RFC 3339 date-time",
      "$.b: '2024-01-01' is not a valid RFC 3339 date-time",
      "$.c: '2024-1-01T10:00:00Z' is not a valid RFC 3339 date-time"}},
    {"date-time out-of-range fields",
     kSubset,
     R"J({"properties": {"a": {"format": "date-time"}, "b": {"format": "date-time"},
          "c": {"format": "date-time"}, "d": {"format": "date-time"}}})J",
     R"J({"a": "2024-13-01T00:00:00Z", "b": "2024-01-01T24:00:00Z",
          "c": "2024-01-01T00:00:00+24:00", "d": "1998-12-31T12:59:60Z"})J",
     {"$.a: '2024-13-01T00:00:00Z' is not a valid RFC 3339 date-time: month 13 is out of range",
      "$.b: '2024-01-01T24:00:00Z' is not a valid RFC 3339 date-time: hour 24 is out of range",
      "$.c: '2024-01-01T00:00:00+24:00' is not a valid RFC 3339 date-time: time zone offset +24:00 "
      "is out of range",
      "$.d: '1998-12-31T12:59:60Z' is not a valid RFC 3339 date-time: second 60 is only valid at "
      "23:59 UTC (a leap second)"}},

    // ---- format: uuid ----
    {"uuid valid in either case",
     kSubset,
     R"J({"properties": {"a": {"format": "uuid"}, "b": {"format": "uuid"}}})J",
     R"J({"a": "123e4567-e89b-12d3-a456-426614174000", "b": "123E4567-E89B-12D3-A456-426614174000"})J",
     {}},
    {"uuid wrong length, no dashes, bad digit",
     kSubset,
     R"J({"properties": {"a": {"format": "uuid"}, "b": {"format": "uuid"}, "c": {"format": "uuid"}}})J",
     R"J({"a": "123e4567-e89b-12d3-a456-42661417400", "b": "123e4567e89b12d3a456426614174000",
          "c": "123e4567-e89b-12d3-a456-42661417400g"})J",
     {"$.a: '123e4567-e89b-12d3-a456-42661417400' is not a valid UUID",
      "$.b: '123e4567e89b12d3a456426614174000' is not a valid UUID",
      "$.c: '123e4567-e89b-12d3-a456-42661417400g' is not a valid UUID"}},

    // ---- several violations at once ----
    {"every violation of the onboarding input",
     kSubset,
     kOnboarding,
     R"J({"admin_email": "not-an-email", "plan_type": "gold", "stripe_customer_id": "abc"})J",
     {"$: missing required property 'company_name'",
      "$: missing required property 'salesforce_account_id'",
      "$.admin_email: 'not-an-email' is not a valid email address",
      "$.plan_type: 'gold' is not one of free, pro, enterprise",
      "$.stripe_customer_id: 'abc' does not match pattern '^cus_[A-Za-z0-9]+$'"}},
    {"several keywords fail on one string",
     kSubset,
     R"J({"properties": {"s": {"type": "string", "minLength": 5, "pattern": "^[a-z]+$",
          "format": "email"}}})J",
     R"J({"s": "A!"})J",
     {"$.s: 'A!' is shorter than 5 characters", "$.s: 'A!' does not match pattern '^[a-z]+$'",
      "$.s: 'A!' is not a valid email address"}},
    {"type and enum both reported",
     kSubset,
     R"J({"properties": {"p": {"type": "string", "enum": ["a", "b"]}}})J",
     R"J({"p": 5})J",
     {"$.p: expected string, got integer", "$.p: 5 is not one of a, b"}},
    {"long values are shortened in messages",
     kSubset,
     R"J({"properties": {"s": {"maxLength": 3}}})J",
     R"J({"s": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})J",
     {"$.s: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' "
      "is "
      "longer than 3 characters"}},

    // ---- Dialect::Full keywords ----
    {"anyOf none matches",
     kFull,
     R"J({"properties": {"x": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}})J",
     R"J({"x": true})J",
     {"$.x: does not match any alternative of anyOf"}},
    {"anyOf one matches",
     kFull,
     R"J({"properties": {"x": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}})J",
     R"J({"x": 3})J",
     {}},
    {"oneOf matches two",
     kFull,
     R"J({"properties": {"x": {"oneOf": [{"type": "number"}, {"type": "integer"}]}}})J",
     R"J({"x": 3})J",
     {"$.x: matches alternatives 0 and 1 of oneOf, but must match exactly one"}},
    {"oneOf matches none",
     kFull,
     R"J({"properties": {"x": {"oneOf": [{"type": "number"}, {"type": "integer"}]}}})J",
     R"J({"x": "3"})J",
     {"$.x: does not match any alternative of oneOf"}},
    {"not",
     kFull,
     R"J({"properties": {"x": {"not": {"type": "null"}}}})J",
     R"J({"x": null})J",
     {"$.x: must not match the schema in not"}},
    {"allOf reports every violation",
     kFull,
     R"J({"properties": {"x": {"allOf": [{"minLength": 3}, {"pattern": "^[0-9]+$"}]}}})J",
     R"J({"x": "ab"})J",
     {"$.x: 'ab' is shorter than 3 characters", "$.x: 'ab' does not match pattern '^[0-9]+$'"}},
    {"$ref into $defs and recursive '#'",
     kFull,
     R"J({"$defs": {"name": {"type": "string"}}, "type": "object",
          "properties": {"name": {"$ref": "#/$defs/name"},
                         "children": {"type": "array", "items": {"$ref": "#"}}}})J",
     R"J({"name": "root", "children": [{"name": "a", "children": [{"name": 7}]}]})J",
     {"$.children[0].children[0].name: expected string, got integer"}},
    {"if/then/else",
     kFull,
     R"J({"properties": {"x": {"if": {"type": "string"}, "then": {"minLength": 2},
          "else": {"minimum": 10}}}})J",
     R"J({"x": 5})J",
     {"$.x: 5 is less than the minimum 10"}},
    {"patternProperties with additionalProperties false",
     kFull,
     R"J({"patternProperties": {"^y_": {"type": "integer"}}, "additionalProperties": false})J",
     R"J({"y_1": 1, "y_2": "two", "z": 0})J",
     {"$.y_2: expected integer, got string", "$.z: unknown property 'z'"}},
    {"propertyNames",
     kFull,
     R"J({"propertyNames": {"pattern": "^[a-z]+$"}})J",
     R"J({"good": 1, "Bad": 2})J",
     {"$.Bad: property name 'Bad' does not match pattern '^[a-z]+$'"}},
    {"minProperties and maxProperties",
     kFull,
     R"J({"properties": {"a": {"minProperties": 1}, "b": {"maxProperties": 1}}})J",
     R"J({"a": {}, "b": {"x": 1, "y": 2}})J",
     {"$.a: expected at least 1 property, got 0", "$.b: expected at most 1 property, got 2"}},
    {"uniqueItems compares numerically",
     kFull,
     R"J({"properties": {"a": {"uniqueItems": true}}})J",
     R"J({"a": [1, 2, 1.0, {"k": [2]}, {"k": [2.0]}]})J",
     {"$.a: item 2 is a duplicate of item 0", "$.a: item 4 is a duplicate of item 3"}},
    {"exclusive bounds",
     kFull,
     R"J({"properties": {"a": {"exclusiveMinimum": 0}, "b": {"exclusiveMaximum": 1}}})J",
     R"J({"a": 0, "b": 1.0})J",
     {"$.a: 0 is less than or equal to the exclusive minimum 0",
      "$.b: 1.0 is greater than or equal to the exclusive maximum 1"}},
    {"multipleOf integers and decimals",
     kFull,
     R"J({"properties": {"a": {"multipleOf": 2}, "b": {"multipleOf": 0.1}, "c": {"multipleOf": 0.1}}})J",
     R"J({"a": 7, "b": 0.3, "c": 0.35})J",
     {"$.a: 7 is not a multiple of 2", "$.c: 0.35 is not a multiple of 0.1"}},
    {"false schema",
     kFull,
     R"J({"properties": {"x": false, "y": true}})J",
     R"J({"x": 1, "y": 2})J",
     {"$.x: no value is allowed here"}},
    {"Full top level has no implied type", kFull, R"J({"properties": {"a": {}}})J", R"J(5)J", {}},
};

}  // namespace

TEST_CASE("input schema: validation table", "[input_schema]") {
  for (const ValueCase& c : kValueCases) {
    INFO("case: " << c.name);
    const InputSchema schema = compile_ok(Json::parse(c.schema), c.dialect);
    const auto actual = texts(schema.validate(Json::parse(c.value)));
    CHECK(actual == c.expected);
  }
}

namespace {

struct DefaultCase {
  const char* name;
  Dialect dialect;
  const char* schema;
  const char* input;
  const char* expected;
};

const std::vector<DefaultCase> kDefaultCases = {
    {"absent property gets its default", kSubset, kOnboarding, R"J({"company_name": "Acme"})J",
     R"J({"company_name": "Acme", "plan_type": "free"})J"},
    {"null is present: no default", kSubset, kOnboarding, R"J({"plan_type": null})J",
     R"J({"plan_type": null})J"},
    {"a given value is kept", kSubset, kOnboarding, R"J({"plan_type": "pro"})J",
     R"J({"plan_type": "pro"})J"},
    {"nested defaults only inside present objects", kSubset,
     R"J({"properties": {"a": {"type": "object", "properties": {"city": {"default": "Paris"}}},
          "b": {"type": "object", "properties": {"city": {"default": "Rome"}}}}})J",
     R"J({"a": {}})J", R"J({"a": {"city": "Paris"}})J"},
    {"a defaulted object gets its own defaults", kSubset,
     R"J({"properties": {"opts": {"type": "object", "default": {},
          "properties": {"retries": {"type": "integer", "default": 3}}}}})J",
     R"J({})J", R"J({"opts": {"retries": 3}})J"},
    {"defaults inside array items", kSubset,
     R"J({"properties": {"list": {"type": "array", "items": {"type": "object",
          "properties": {"mode": {"default": "auto"}}}}}})J",
     R"J({"list": [{"id": 1}, {"id": 2, "mode": "x"}]})J",
     R"J({"list": [{"id": 1, "mode": "auto"}, {"id": 2, "mode": "x"}]})J"},
    {"a non-object value is left alone", kSubset, kOnboarding, R"J(null)J", R"J(null)J"},
    {"default reached through $ref", kFull,
     R"J({"$defs": {"plan": {"enum": ["free", "pro"], "default": "free"}},
          "properties": {"plan": {"$ref": "#/$defs/plan"}}})J",
     R"J({})J", R"J({"plan": "free"})J"},
    {"falsy defaults are applied", kSubset,
     R"J({"properties": {"n": {"default": 0}, "f": {"default": false}, "s": {"default": ""},
          "z": {"default": null}}})J",
     R"J({})J", R"J({"n": 0, "f": false, "s": "", "z": null})J"},
};

}  // namespace

TEST_CASE("input schema: defaults table", "[input_schema]") {
  for (const DefaultCase& c : kDefaultCases) {
    INFO("case: " << c.name);
    const InputSchema schema = compile_ok(Json::parse(c.schema), c.dialect);
    CHECK(schema.apply_defaults(Json::parse(c.input)).dump() == Json::parse(c.expected).dump());
  }
}

TEST_CASE("input schema: check_input applies defaults then validates", "[input_schema]") {
  const InputSchema schema = compile_ok(Json::parse(kOnboarding), kSubset);
  const auto ok = schema.check_input(Json::parse(
      R"J({"company_name": "Acme", "admin_email": "a@example.com", "stripe_customer_id": "cus_9",
           "salesforce_account_id": "001"})J"));
  CHECK(ok.ok());
  CHECK(ok.value["plan_type"] == "free");

  const auto null_plan = schema.check_input(Json::parse(
      R"J({"company_name": "Acme", "admin_email": "a@example.com", "stripe_customer_id": "cus_9",
           "salesforce_account_id": "001", "plan_type": null})J"));
  CHECK(texts(null_plan.violations) ==
        std::vector<std::string>{"$.plan_type: expected string, got null",
                                 "$.plan_type: null is not one of free, pro, enterprise"});
}

namespace {

struct ProblemCase {
  const char* name;
  Dialect dialect;
  const char* schema;
  std::vector<std::string> expected;
};

const std::vector<ProblemCase> kProblemCases = {
    {"misspelt keyword gets a suggestion",
     kSubset,
     R"J({"properties": {"name": {"type": "string", "minLenght": 1}}})J",
     {"/properties/name/minLenght: unknown keyword 'minLenght'; did you mean 'minLength'?"}},
    {"unknown keyword far from any",
     kSubset,
     R"J({"properties": {"x": {"foo": 1}}})J",
     {"/properties/x/foo: unknown keyword 'foo'"}},
    {"keyword of the full dialect in an input schema",
     kSubset,
     R"J({"properties": {"x": {"anyOf": [{"type": "string"}]}}})J",
     {"/properties/x/anyOf: keyword 'anyOf' is not supported in workflow input schemas"}},
    {"unknown format",
     kSubset,
     R"J({"properties": {"email": {"type": "string", "format": "emial"}}})J",
     {"/properties/email/format: unknown format 'emial'; expected one of email, uri, date-time, "
      "uuid"}},
    {"format must be a string",
     kSubset,
     R"J({"properties": {"x": {"format": 1}}})J",
     {"/properties/x/format: format must be a string, got integer"}},
    {"unknown type name",
     kSubset,
     R"J({"properties": {"x": {"type": "strng"}}})J",
     {"/properties/x/type: unknown type 'strng'; expected one of string, number, integer, boolean, "
      "object, array, null"}},
    {"type array entries",
     kSubset,
     R"J({"properties": {"x": {"type": ["string", 5, "string"]}}})J",
     {"/properties/x/type/1: type entries must be strings, got integer",
      "/properties/x/type/2: duplicate type 'string'"}},
    {"type of the wrong kind and empty",
     kSubset,
     R"J({"properties": {"x": {"type": {"a": 1}}, "y": {"type": []}}})J",
     {"/properties/x/type: type must be a string or an array of strings, got object",
      "/properties/y/type: type must not be an empty array"}},
    {"minLength must be a non-negative integer",
     kSubset,
     R"J({"properties": {"a": {"minLength": -1}, "b": {"maxLength": "3"}, "c": {"minItems": 1.5},
          "d": {"maxItems": 2.0}}})J",
     {"/properties/a/minLength: minLength must be a non-negative integer, got -1",
      "/properties/b/maxLength: maxLength must be a non-negative integer, got string",
      "/properties/c/minItems: minItems must be a non-negative integer, got 1.5"}},
    {"minimum must be a number",
     kSubset,
     R"J({"properties": {"n": {"minimum": "5"}}})J",
     {"/properties/n/minimum: minimum must be a number, got string"}},
    {"required: true inside a property",
     kSubset,
     R"J({"properties": {"x": {"type": "string", "required": true}}})J",
     {"/properties/x/required: required must be an array of property names, got boolean; list "
      "required properties in the parent object's required array"}},
    {"required entries",
     kSubset,
     R"J({"required": ["a", "a", 3], "properties": {"a": {}}})J",
     {"/required/1: duplicate required property 'a'",
      "/required/2: required entries must be strings, got integer"}},
    {"enum empty or not an array",
     kSubset,
     R"J({"properties": {"x": {"enum": []}, "y": {"enum": "free"}}})J",
     {"/properties/x/enum: enum must not be empty",
      "/properties/y/enum: enum must be a non-empty array, got string"}},
    {"enum duplicates compare numerically",
     kSubset,
     R"J({"properties": {"x": {"enum": [1, "a", 1.0]}}})J",
     {"/properties/x/enum/2: duplicate enum value 1.0"}},
    {"invalid regular expressions",
     kSubset,
     R"J({"properties": {"a": {"pattern": "(abc"}, "b": {"pattern": "[a-"}, "c": {"pattern": "*a"},
          "d": {"pattern": "(a)\\1"}, "e": {"pattern": 5}, "f": {"pattern": "(?<=a)b"},
          "g": {"pattern": "a)"}, "h": {"pattern": "a**"}, "i": {"pattern": "\\p{L}"},
          "j": {"pattern": "a{2,1}"}, "ok": {"pattern": "^(?:a|b)*?(?=c)\\d{2,}[\\]x-]$"}}})J",
     {"/properties/a/pattern: invalid regular expression '(abc': unclosed '('",
      "/properties/b/pattern: invalid regular expression '[a-': unclosed '['",
      "/properties/c/pattern: invalid regular expression '*a': nothing to repeat before '*'",
      R"J(/properties/d/pattern: invalid regular expression '(a)\1': back-references are not supported)J",
      "/properties/e/pattern: pattern must be a string, got integer",
      "/properties/f/pattern: invalid regular expression '(?<=a)b': unsupported group '(?<'; only "
      "(?:...), (?=...) and (?!...) are supported",
      "/properties/g/pattern: invalid regular expression 'a)': unmatched ')'",
      "/properties/h/pattern: invalid regular expression 'a**': nothing to repeat before '*'",
      R"J(/properties/i/pattern: invalid regular expression '\p{L}': Unicode property escapes (\p{...}) are not supported)J",
      "/properties/j/pattern: invalid regular expression 'a{2,1}': invalid repetition '{...}'"}},
    {"min greater than max",
     kSubset,
     R"J({"properties": {"s": {"minLength": 5, "maxLength": 3}, "a": {"minItems": 2, "maxItems": 1},
          "n": {"minimum": 10, "maximum": 5.5}}})J",
     {"/properties/a/minItems: minItems (2) is greater than maxItems (1)",
      "/properties/n/minimum: minimum (10) is greater than maximum (5.5)",
      "/properties/s/minLength: minLength (5) is greater than maxLength (3)"}},
    {"default outside its enum",
     kSubset,
     R"J({"properties": {"plan": {"type": "string", "enum": ["free", "pro"], "default": "gold"}}})J",
     {"/properties/plan/default: default does not satisfy the schema: 'gold' is not one of free, "
      "pro"}},
    {"default with a nested violation",
     kSubset,
     R"J({"properties": {"o": {"type": "object", "properties": {"a": {"type": "string"}},
          "default": {"a": 1}}}})J",
     {"/properties/o/default: default does not satisfy the schema: $.a: expected string, got "
      "integer"}},
    {"default of the wrong type",
     kSubset,
     R"J({"properties": {"n": {"type": "integer", "minimum": 1, "default": 0}}})J",
     {"/properties/n/default: default does not satisfy the schema: 0 is less than the minimum 1"}},
    {"required names an undeclared property with additionalProperties false",
     kSubset,
     R"J({"required": ["a", "b"], "properties": {"a": {}}, "additionalProperties": false})J",
     {"/required/1: required property 'b' is not declared in properties, and additionalProperties "
      "is false"}},
    {"top-level type must be object",
     kSubset,
     R"J({"type": "string"})J",
     {"/type: the top-level input schema must have type object"}},
    {"top level must be a JSON object",
     kSubset,
     R"J(["a"])J",
     {"/: an input schema must be an object, got array"}},
    {"property schema written as a type name",
     kSubset,
     R"J({"properties": {"x": "string"}})J",
     {"/properties/x: expected a schema (an object or a boolean), got string"}},
    {"full top level must be a schema",
     kFull,
     R"J("string")J",
     {"/: expected a schema (an object or a boolean), got string"}},
    {"properties must be an object",
     kSubset,
     R"J({"properties": ["a"]})J",
     {"/properties: properties must be an object, got array"}},
    {"items as a tuple",
     kSubset,
     R"J({"properties": {"x": {"type": "array", "items": [{}]}}})J",
     {"/properties/x/items: items must be a single schema applied to every element; arrays of "
      "schemas are not supported"}},
    {"keyword that cannot apply to the type",
     kSubset,
     R"J({"properties": {"n": {"type": "integer", "minLength": 1, "items": {}}}})J",
     {"/properties/n/items: items applies only to arrays, but type is integer",
      "/properties/n/minLength: minLength applies only to strings, but type is integer"}},
    {"string keyword on the implied top-level object",
     kSubset,
     R"J({"pattern": "^a"})J",
     {"/pattern: pattern applies only to strings, but type is object"}},
    {"enum and const values of the wrong type",
     kSubset,
     R"J({"properties": {"x": {"type": ["string", "null"], "enum": ["a", 1, null]},
          "y": {"type": "integer", "const": 2.5}}})J",
     {"/properties/x/enum/1: enum value 1 is not of type string or null",
      "/properties/y/const: const value 2.5 is not of type integer"}},
    {"annotations must have the right types",
     kSubset,
     R"J({"properties": {"x": {"description": 1, "title": null, "examples": "a"}}})J",
     {"/properties/x/description: description must be a string, got integer",
      "/properties/x/examples: examples must be an array, got string",
      "/properties/x/title: title must be a string, got null"}},
    {"unresolved $ref with a suggestion",
     kFull,
     R"J({"$defs": {"address": {}}, "properties": {"a": {"$ref": "#/$defs/adress"}}})J",
     {"/properties/a/$ref: unresolved $ref '#/$defs/adress'; did you mean '#/$defs/address'?"}},
    {"non-local $ref",
     kFull,
     R"J({"properties": {"a": {"$ref": "other.json#/x"}}})J",
     {"/properties/a/$ref: unsupported $ref 'other.json#/x'; only '#' and '#/$defs/<name>' are "
      "supported"}},
    {"circular $ref",
     kFull,
     R"J({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}})J",
     {"/$defs/b/$ref: $ref '#/$defs/a' loops back to itself without descending into a property or "
      "item"}},
    {"circular $ref through allOf",
     kFull,
     R"J({"allOf": [{"$ref": "#"}]})J",
     {"/allOf/0/$ref: $ref '#' loops back to itself without descending into a property or item"}},
    {"$defs below the top level",
     kFull,
     R"J({"properties": {"x": {"$defs": {}}}})J",
     {"/properties/x/$defs: $defs is only supported at the top level of the schema"}},
    {"draft-04 style exclusive bounds and bad multipleOf",
     kFull,
     R"J({"properties": {"n": {"exclusiveMinimum": true, "multipleOf": 0}}})J",
     {"/properties/n/exclusiveMinimum: exclusiveMinimum must be a number, got boolean",
      "/properties/n/multipleOf: multipleOf must be a number greater than 0, got 0"}},
    {"exclusive bounds that exclude every number",
     kFull,
     R"J({"properties": {"n": {"exclusiveMinimum": 5, "exclusiveMaximum": 5}}})J",
     {"/properties/n/exclusiveMinimum: exclusiveMinimum (5) is not less than exclusiveMaximum "
      "(5)"}},
    {"unsupported $schema",
     kFull,
     R"J({"$schema": "http://json-schema.org/draft-07/schema#"})J",
     {"/$schema: unsupported $schema 'http://json-schema.org/draft-07/schema#'; only "
      "https://json-schema.org/draft/2020-12/schema is supported"}},
    {"then without if, empty anyOf, uniqueItems not boolean",
     kFull,
     R"J({"then": {}, "anyOf": [], "uniqueItems": "yes"})J",
     {"/anyOf: anyOf must be a non-empty array of schemas, got an empty array",
      "/uniqueItems: uniqueItems must be a boolean, got string",
      "/then: then has no effect without if"}},
    {"invalid patternProperties regex",
     kFull,
     R"J({"patternProperties": {"[": {}}})J",
     {"/patternProperties/[: invalid regular expression '[': unclosed '['"}},
    {"misspelt full keyword",
     kFull,
     R"J({"propertyName": {}, "oneof": []})J",
     {"/oneof: unknown keyword 'oneof'; did you mean 'oneOf'?",
      "/propertyName: unknown keyword 'propertyName'; did you mean 'propertyNames'?"}},
    {"several problems in one schema",
     kSubset,
     R"J({"required": ["company_name"], "properties": {
          "company_name": {"type": "sting", "minLength": 1},
          "email": {"type": "string", "format": "emial", "maxLenght": 3}}})J",
     {"/properties/company_name/type: unknown type 'sting'; expected one of string, number, "
      "integer, boolean, object, array, null",
      "/properties/email/format: unknown format 'emial'; expected one of email, uri, date-time, "
      "uuid",
      "/properties/email/maxLenght: unknown keyword 'maxLenght'; did you mean 'maxLength'?"}},
};

}  // namespace

TEST_CASE("input schema: invalid schemas table", "[input_schema]") {
  for (const ProblemCase& c : kProblemCases) {
    INFO("case: " << c.name);
    const auto compiled = InputSchema::compile(Json::parse(c.schema), c.dialect);
    CHECK(texts(compiled.problems) == c.expected);
  }
}

TEST_CASE("input schema: problem paths are segments", "[input_schema]") {
  const auto compiled = InputSchema::compile(
      Json::parse(R"J({"properties": {"email": {"format": "emial"}}})J"), kSubset);
  REQUIRE(compiled.problems.size() == 1);
  CHECK(compiled.problems[0].path == std::vector<std::string>{"properties", "email", "format"});
  CHECK(compiled.problems[0].message ==
        "unknown format 'emial'; expected one of email, uri, date-time, uuid");
  const auto required = InputSchema::compile(Json::parse(R"J({"required": [1]})J"), kSubset);
  REQUIRE(required.problems.size() == 1);
  CHECK(required.problems[0].path == std::vector<std::string>{"required", "0"});
}

TEST_CASE("input schema: best effort after problems", "[input_schema]") {
  const auto compiled = InputSchema::compile(
      Json::parse(R"J({"properties": {"a": {"type": "strng"}, "b": {"type": "integer"}}})J"),
      kSubset);
  CHECK_FALSE(compiled.ok());
  CHECK(texts(compiled.schema.validate(Json::parse(R"J({"a": 1, "b": "x"})J"))) ==
        std::vector<std::string>{"$.b: expected integer, got string"});
  const auto cyclic = InputSchema::compile(Json::parse(R"J({"$ref": "#", "minimum": 1})J"), kFull);
  CHECK(cyclic.problems.size() == 1);
  CHECK(texts(cyclic.schema.validate(Json(0))) ==
        std::vector<std::string>{"$: 0 is less than the minimum 1"});
}

TEST_CASE("input schema: default schema accepts anything", "[input_schema]") {
  const InputSchema schema;
  CHECK(schema.validate(Json::parse(R"J({"a": [1, null]})J")).empty());
  CHECK(schema.validate(Json(5)).empty());
  CHECK(schema.apply_defaults(Json::object()) == Json::object());
}

TEST_CASE("input schema: long strings do not exhaust the stack", "[input_schema]") {
  const InputSchema schema =
      compile_ok(Json::parse(R"J({"properties": {"s": {"pattern": "^(a|b)*$"}}})J"), kSubset);
  Json value = {{"s", std::string(200000, 'a')}};
  CHECK(schema.validate(value).empty());
  value["s"] = std::string(200000, 'a') + "c";
  CHECK(schema.validate(value).size() == 1);
}

TEST_CASE("input schema: one compiled schema validates from many threads", "[input_schema]") {
  const InputSchema schema = compile_ok(Json::parse(kOnboarding), kSubset);
  const Json bad = Json::parse(R"J({"admin_email": "x", "stripe_customer_id": "nope"})J");
  const std::size_t expected = schema.validate(bad).size();
  std::vector<std::size_t> counts(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) counts[t] = schema.check_input(bad).violations.size();
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t count : counts) CHECK(count == expected);
}
