// Evaluation of a parsed expression against an EvalContext, and the text
// rendering of values. Every check on the data is explicit so that bad data
// yields an error value, never an exception or a crash.
#include <cmath>
#include <cstdio>

#include "engine/expression_ast.hpp"

namespace sagaflow::detail {
namespace {

// A result that usually points into the scope or the tree, so reading a large
// step output does not copy it.
class Value {
 public:
  void refer(const Json& json) { ref_ = &json; }
  void own(Json json) {
    ref_ = nullptr;
    owned_ = std::move(json);
  }
  const Json& get() const { return ref_ ? *ref_ : owned_; }
  Json take() && { return ref_ ? *ref_ : std::move(owned_); }

 private:
  const Json* ref_ = nullptr;
  Json owned_;
};

// kMissing only comes from a path evaluated for default()'s first argument.
enum class Status { kOk, kMissing, kError };

std::string type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    default:
      return "binary";
  }
}

std::string with_article(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_array() || v.is_object()) return "an " + type_name(v);
  return "a " + type_name(v);
}

// Three-way numeric comparison, exact between integers of either sign.
int compare_numbers(const Json& a, const Json& b) {
  auto three_way = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  if (!a.is_number_float() && !b.is_number_float()) {
    bool a_neg = !a.is_number_unsigned() && a.get<std::int64_t>() < 0;
    bool b_neg = !b.is_number_unsigned() && b.get<std::int64_t>() < 0;
    if (a_neg != b_neg) return a_neg ? -1 : 1;
    if (a_neg) return three_way(a.get<std::int64_t>(), b.get<std::int64_t>());
    return three_way(a.get<std::uint64_t>(), b.get<std::uint64_t>());
  }
  // long double holds every int64 exactly on the platforms we build for.
  return three_way(a.get<long double>(), b.get<long double>());
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
      if (other == b.end() || !json_equal(*it, *other)) return false;
    }
    return true;
  }
  return a == b;
}

std::string_view op_text(BinOp op) {
  switch (op) {
    case BinOp::kEq:
      return "==";
    case BinOp::kNe:
      return "!=";
    case BinOp::kLt:
      return "<";
    case BinOp::kLe:
      return "<=";
    case BinOp::kGt:
      return ">";
    case BinOp::kGe:
      return ">=";
    case BinOp::kAnd:
      return "&&";
    case BinOp::kOr:
      return "||";
  }
  return "?";
}

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

class Evaluator {
 public:
  explicit Evaluator(const EvalContext& ctx) : ctx_(ctx) {}

  Status eval(const Node& node, Value& out, bool lenient = false) {
    switch (node.kind) {
      case Node::Kind::kLiteral:
        out.refer(node.literal);
        return Status::kOk;
      case Node::Kind::kPath:
        return eval_path(node, out, lenient);
      case Node::Kind::kNot: {
        Value operand;
        if (eval(*node.kids[0], operand) != Status::kOk) return Status::kError;
        if (!operand.get().is_boolean()) {
          return fail(node, "'!' needs a boolean, got " + type_name(operand.get()));
        }
        out.own(!operand.get().get<bool>());
        return Status::kOk;
      }
      case Node::Kind::kBinary:
        return eval_binary(node, out);
      case Node::Kind::kCall:
        return eval_call(node, out);
    }
    return fail(node, "unknown expression node");
  }

  const ExprError& error() const { return error_; }

 private:
  Status fail(const Node& node, std::string message) {
    error_ = ExprError{std::move(message), node.offset, ""};
    return Status::kError;
  }

  std::string now_text() const {
    return format_utc(ctx_.clock ? ctx_.clock() : std::chrono::system_clock::now());
  }

  Status eval_path(const Node& node, Value& out, bool lenient) {
    if (node.root == "now") {
      out.own(now_text());
      return Status::kOk;
    }
    const Json& scope = ctx_.scope;
    auto root = scope.is_object() ? scope.find(node.root) : scope.end();
    if (!scope.is_object() || root == scope.end()) {
      bool plural = node.root == "steps" || node.root == "secrets";
      return fail(node, node.root + (plural ? " are" : " is") + " not available here");
    }
    // Absent data (missing key, index past the end, null on the way) is what
    // default() forgives; reading into a value of the wrong type never is.
    auto missing = [&](std::string what) {
      fail(node, path_text(node) + ": " + what);
      return lenient ? Status::kMissing : Status::kError;
    };
    const Json* cur = &*root;
    for (const Segment& segment : node.segments) {
      if (segment.is_index) {
        std::string index = std::to_string(segment.index);
        if (cur->is_array()) {
          if (segment.index >= cur->size()) {
            return missing("index " + index + " out of range (array has " +
                           std::to_string(cur->size()) + " elements)");
          }
          cur = &(*cur)[static_cast<std::size_t>(segment.index)];
        } else if (cur->is_null()) {
          return missing("cannot read index " + index + " of null");
        } else {
          return fail(
              node, path_text(node) + ": cannot read index " + index + " of " + with_article(*cur));
        }
      } else if (cur->is_object()) {
        auto it = cur->find(segment.key);
        if (it == cur->end()) return missing("no key '" + segment.key + "'");
        cur = &*it;
      } else if (cur->is_null()) {
        return missing("cannot read key '" + segment.key + "' of null");
      } else {
        return fail(node, path_text(node) + ": cannot read key '" + segment.key + "' of " +
                              with_article(*cur));
      }
    }
    out.refer(*cur);
    return Status::kOk;
  }

  Status eval_binary(const Node& node, Value& out) {
    Value left;
    if (eval(*node.kids[0], left) != Status::kOk) return Status::kError;
    const Json& a = left.get();
    std::string op(op_text(node.op));
    if (node.op == BinOp::kAnd || node.op == BinOp::kOr) {
      if (!a.is_boolean()) {
        return fail(node, "'" + op + "' needs booleans, got " + type_name(a) + " on the left");
      }
      bool short_circuit = node.op == BinOp::kAnd ? !a.get<bool>() : a.get<bool>();
      if (short_circuit) {
        out.own(a.get<bool>());
        return Status::kOk;
      }
      Value right;
      if (eval(*node.kids[1], right) != Status::kOk) return Status::kError;
      if (!right.get().is_boolean()) {
        return fail(node,
                    "'" + op + "' needs booleans, got " + type_name(right.get()) + " on the right");
      }
      out.own(right.get().get<bool>());
      return Status::kOk;
    }
    Value right;
    if (eval(*node.kids[1], right) != Status::kOk) return Status::kError;
    const Json& b = right.get();
    if (node.op == BinOp::kEq || node.op == BinOp::kNe) {
      out.own(json_equal(a, b) == (node.op == BinOp::kEq));
      return Status::kOk;
    }
    int order = 0;
    if (a.is_number() && b.is_number()) {
      order = compare_numbers(a, b);
    } else if (a.is_string() && b.is_string()) {
      int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
      order = (c > 0) - (c < 0);
    } else {
      return fail(node, "'" + op + "' needs two numbers or two strings, got " + type_name(a) +
                            " and " + type_name(b));
    }
    switch (node.op) {
      case BinOp::kLt:
        out.own(order < 0);
        break;
      case BinOp::kLe:
        out.own(order <= 0);
        break;
      case BinOp::kGt:
        out.own(order > 0);
        break;
      default:
        out.own(order >= 0);
        break;
    }
    return Status::kOk;
  }

  Status eval_call(const Node& node, Value& out) {
    const auto& args = node.kids;
    if (node.func == Func::kDefault) {
      // Only the first argument may be missing: that is what default() is for.
      Status first = eval(*args[0], out, /*lenient=*/true);
      if (first == Status::kError) return Status::kError;
      if (first == Status::kOk && !out.get().is_null()) return Status::kOk;
      return eval(*args[1], out);
    }
    if (node.func == Func::kNow) {
      out.own(now_text());
      return Status::kOk;
    }
    std::vector<Value> values(args.size());
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (eval(*args[i], values[i]) != Status::kOk) return Status::kError;
    }
    const Json& x = values[0].get();
    switch (node.func) {
      case Func::kConcat: {
        std::string text;
        for (const Value& v : values) text += render_text(v.get());
        out.own(std::move(text));
        return Status::kOk;
      }
      case Func::kLower:
      case Func::kUpper: {
        bool lower = node.func == Func::kLower;
        if (!x.is_string()) {
          return fail(node, std::string(lower ? "lower" : "upper") + "() needs a string, got " +
                                type_name(x));
        }
        // ASCII only: bytes of multi-byte UTF-8 sequences are left alone.
        std::string s = x.get<std::string>();
        for (char& c : s) {
          if (lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
          if (!lower && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
        out.own(std::move(s));
        return Status::kOk;
      }
      case Func::kLength:
        if (x.is_string()) {
          out.own(utf8_length(x.get_ref<const std::string&>()));
        } else if (x.is_array() || x.is_object()) {
          out.own(x.size());
        } else {
          return fail(node, "length() needs a string, array or object, got " + type_name(x));
        }
        return Status::kOk;
      case Func::kContains: {
        const Json& needle = values[1].get();
        if (x.is_string()) {
          if (!needle.is_string()) {
            return fail(node, "contains() needs a string to look for in a string, got " +
                                  type_name(needle));
          }
          auto pos = x.get_ref<const std::string&>().find(needle.get_ref<const std::string&>());
          out.own(pos != std::string::npos);
        } else if (x.is_array()) {
          bool found = false;
          for (const Json& item : x) found = found || json_equal(item, needle);
          out.own(found);
        } else {
          return fail(node, "contains() needs a string or array to search, got " + type_name(x));
        }
        return Status::kOk;
      }
      case Func::kString:
        out.own(render_text(x));
        return Status::kOk;
      default:
        return fail(node, "unknown function");
    }
  }

  const EvalContext& ctx_;
  ExprError error_;
};

}  // namespace

ExprResult<Json> evaluate_tree(const ExprTree& tree, const EvalContext& ctx) {
  Evaluator evaluator(ctx);
  Value value;
  if (evaluator.eval(*tree.root, value) != Status::kOk) {
    return ExprResult<Json>::failure(evaluator.error());
  }
  return ExprResult<Json>::success(std::move(value).take());
}

std::string render_text(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return value.get<std::string>();
    case Json::value_t::null:
      return "";
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
      return std::to_string(value.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return std::to_string(value.get<std::uint64_t>());
    case Json::value_t::number_float: {
      double x = value.get<double>();
      // 3.0 reads as "3" in a URL or message; beyond 2^53 doubles are not
      // exact integers, so leave those to the JSON form.
      if (std::isfinite(x) && std::trunc(x) == x && std::fabs(x) < 9007199254740992.0) {
        return std::to_string(static_cast<std::int64_t>(x));
      }
      break;
    }
    default:
      break;
  }
  // Replace invalid UTF-8 rather than throw: the data comes from outside.
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string format_utc(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  auto ms = floor<milliseconds>(time);
  auto day = floor<days>(ms);
  year_month_day date{day};
  hh_mm_ss clock{ms - day};
  char buf[64];
  std::snprintf(
      buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
      static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
      static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
  return buf;
}

}  // namespace sagaflow::detail
