// Private to engine/input_schema*.cpp: the keywords an input schema may use,
// which dialect allows each one and which value types each one constrains.
#pragma once

#include <string_view>

#include "engine/input_schema_internal.hpp"

namespace sagaflow::input_schema_detail {

// clang-format off
enum class Kw {
  Type, Properties, Required, AdditionalProperties, Items, Enum, Const, Pattern, MinLength,
  MaxLength, Minimum, Maximum, MinItems, MaxItems, Format, Default, Annotation, Examples, Schema,
  Id, Defs, Ref, AnyOf, OneOf, AllOf, Not, PatternProperties, PropertyNames, MinProperties,
  MaxProperties, UniqueItems, ExclusiveMinimum, ExclusiveMaximum, MultipleOf, If, Then, Else,
};
// clang-format on

struct KeywordInfo {
  std::string_view name;
  Kw kw;
  bool full_only;       // only in Dialect::Full
  unsigned applies_to;  // the types the keyword constrains; 0: every type
};

inline constexpr unsigned kNumeric = kNumber | kInteger;

inline constexpr KeywordInfo kKeywords[] = {
    {"type", Kw::Type, false, 0},
    {"properties", Kw::Properties, false, kObject},
    {"required", Kw::Required, false, kObject},
    {"additionalProperties", Kw::AdditionalProperties, false, kObject},
    {"items", Kw::Items, false, kArray},
    {"enum", Kw::Enum, false, 0},
    {"const", Kw::Const, false, 0},
    {"pattern", Kw::Pattern, false, kString},
    {"minLength", Kw::MinLength, false, kString},
    {"maxLength", Kw::MaxLength, false, kString},
    {"minimum", Kw::Minimum, false, kNumeric},
    {"maximum", Kw::Maximum, false, kNumeric},
    {"minItems", Kw::MinItems, false, kArray},
    {"maxItems", Kw::MaxItems, false, kArray},
    {"format", Kw::Format, false, kString},
    {"default", Kw::Default, false, 0},
    {"description", Kw::Annotation, false, 0},
    {"title", Kw::Annotation, false, 0},
    {"examples", Kw::Examples, false, 0},
    {"$schema", Kw::Schema, true, 0},
    {"$id", Kw::Id, true, 0},
    {"$comment", Kw::Annotation, true, 0},
    {"$defs", Kw::Defs, true, 0},
    {"$ref", Kw::Ref, true, 0},
    {"anyOf", Kw::AnyOf, true, 0},
    {"oneOf", Kw::OneOf, true, 0},
    {"allOf", Kw::AllOf, true, 0},
    {"not", Kw::Not, true, 0},
    {"patternProperties", Kw::PatternProperties, true, kObject},
    {"propertyNames", Kw::PropertyNames, true, kObject},
    {"minProperties", Kw::MinProperties, true, kObject},
    {"maxProperties", Kw::MaxProperties, true, kObject},
    {"uniqueItems", Kw::UniqueItems, true, kArray},
    {"exclusiveMinimum", Kw::ExclusiveMinimum, true, kNumeric},
    {"exclusiveMaximum", Kw::ExclusiveMaximum, true, kNumeric},
    {"multipleOf", Kw::MultipleOf, true, kNumeric},
    {"if", Kw::If, true, 0},
    {"then", Kw::Then, true, 0},
    {"else", Kw::Else, true, 0},
};

// The keyword called `name` if `dialect` allows it; `known` tells whether the
// name is a keyword of some dialect at all.
inline const KeywordInfo* find_keyword(std::string_view name, Dialect dialect,
                                       bool* known = nullptr) {
  for (const KeywordInfo& info : kKeywords) {
    if (info.name != name) continue;
    if (known) *known = true;
    return info.full_only && dialect == Dialect::InputSubset ? nullptr : &info;
  }
  if (known) *known = false;
  return nullptr;
}

}  // namespace sagaflow::input_schema_detail
