// Templates (finding the `${{ }}` parts of a string), CompiledValue (the
// templates of a whole JSON value) and reference listing. The expression
// grammar is in expression_parser.cpp, evaluation in expression_eval.cpp.
#include "engine/expression.hpp"

#include <algorithm>

#include "engine/expression_ast.hpp"

namespace sagaflow {
namespace detail {

std::string path_text(const Node& path) {
  std::string out = path.root;
  for (const Segment& segment : path.segments) {
    if (segment.is_index) {
      out += "[" + std::to_string(segment.index) + "]";
    } else if (!segment.bracketed) {
      out += "." + segment.key;
    } else {
      out += "['";
      for (char c : segment.key) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
      }
      out += "']";
    }
  }
  return out;
}

void collect_references(const Node& node, std::vector<ExprReference>& out) {
  if (node.kind == Node::Kind::kPath) {
    ExprReference reference;
    reference.path.push_back(node.root);
    for (const Segment& segment : node.segments) {
      reference.path.push_back(segment.is_index ? std::to_string(segment.index) : segment.key);
    }
    reference.offset = node.offset;
    out.push_back(std::move(reference));
  }
  // now() reads the clock just like the `now` root does.
  if (node.kind == Node::Kind::kCall && node.func == Func::kNow) {
    out.push_back(ExprReference{{"now"}, node.offset, ""});
  }
  for (const auto& kid : node.kids) collect_references(*kid, out);
}

// A literal run of text, or an expression.
struct TemplatePart {
  std::string text;
  std::shared_ptr<const ExprTree> expr;
};

// One node of a CompiledValue, mirroring the JSON it came from. Subtrees
// without expressions collapse into a constant.
struct ValueNode {
  enum class Kind { kConstant, kTemplate, kArray, kObject };
  Kind kind = Kind::kConstant;
  Json constant;
  Template tmpl;
  std::vector<ValueNode> items;
  std::vector<std::pair<std::string, ValueNode>> fields;
};

}  // namespace detail

namespace {

bool has_root(const std::vector<ExprReference>& references, std::string_view root) {
  return std::any_of(references.begin(), references.end(),
                     [&](const ExprReference& r) { return r.root() == root; });
}

}  // namespace

// ---- Expression ----

ExprResult<Expression> Expression::parse(std::string_view text) {
  auto tree = detail::parse_expression(text, 0, text.size());
  if (!tree) return ExprResult<Expression>::failure(tree.errors());
  return ExprResult<Expression>::success(Expression(std::move(tree).value()));
}

ExprResult<Json> Expression::evaluate(const EvalContext& ctx) const {
  return detail::evaluate_tree(*tree_, ctx);
}

std::vector<ExprReference> Expression::references() const {
  std::vector<ExprReference> out;
  detail::collect_references(*tree_->root, out);
  return out;
}

bool Expression::references_root(std::string_view root) const {
  return has_root(references(), root);
}

const std::string& Expression::source() const {
  return tree_->source;
}

// ---- Template ----

struct Template::Impl {
  std::string source;
  std::vector<detail::TemplatePart> parts;  // no empty text parts
};

Template::Template() {
  static const auto kEmpty = std::make_shared<const Impl>();
  impl_ = kEmpty;
}

ExprResult<Template> Template::parse(std::string_view text) {
  auto impl = std::make_shared<Impl>();
  impl->source = std::string(text);
  std::vector<ExprError> errors;
  std::string pending;  // literal text not yet stored as a part
  auto flush = [&] {
    if (!pending.empty()) impl->parts.push_back({std::move(pending), nullptr});
    pending.clear();
  };
  const std::size_t n = text.size();
  std::size_t pos = 0;
  while (pos < n) {
    std::size_t open = text.find("${{", pos);
    if (open == std::string_view::npos) {
      pending.append(text.substr(pos));
      break;
    }
    pending.append(text.substr(pos, open - pos));
    // Find the closing braces, skipping quoted strings so '}}' may appear in
    // a string literal.
    std::size_t close = std::string_view::npos;
    std::size_t i = open + 3;
    bool unterminated = false;
    while (i < n && close == std::string_view::npos) {
      char c = text[i];
      if (c == '\'' || c == '"') {
        std::size_t quote = i++;
        while (i < n && text[i] != c) i += text[i] == '\\' ? 2 : 1;
        if (i >= n) {
          errors.push_back({"unterminated string literal", quote, ""});
          unterminated = true;
          break;
        }
        ++i;
      } else if (c == '}' && i + 1 < n && text[i + 1] == '}') {
        close = i;
      } else {
        ++i;
      }
    }
    if (unterminated) break;
    if (close == std::string_view::npos) {
      errors.push_back({"unclosed '${{' (missing '}}')", open, ""});
      break;
    }
    std::string_view inner = text.substr(open + 3, close - open - 3);
    if (inner.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      errors.push_back({"empty expression", open, ""});
    } else if (auto tree = detail::parse_expression(text, open + 3, close); !tree) {
      errors.insert(errors.end(), tree.errors().begin(), tree.errors().end());
    } else {
      flush();
      impl->parts.push_back({"", std::move(tree).value()});
    }
    pos = close + 2;
  }
  flush();
  if (!errors.empty()) return ExprResult<Template>::failure(std::move(errors));
  return ExprResult<Template>::success(Template(std::move(impl)));
}

ExprResult<Json> Template::render(const EvalContext& ctx) const {
  if (is_whole()) return detail::evaluate_tree(*impl_->parts[0].expr, ctx);
  if (is_literal()) return ExprResult<Json>::success(impl_->source);
  std::string out;
  for (const detail::TemplatePart& part : impl_->parts) {
    if (!part.expr) {
      out += part.text;
      continue;
    }
    auto value = detail::evaluate_tree(*part.expr, ctx);
    if (!value) return value;
    out += detail::render_text(value.value());
  }
  return ExprResult<Json>::success(std::move(out));
}

// Literal text becomes a part of its own, so a single expression part means
// nothing stood outside the braces.
bool Template::is_whole() const {
  return impl_->parts.size() == 1 && impl_->parts[0].expr;
}

bool Template::is_literal() const {
  return std::none_of(impl_->parts.begin(), impl_->parts.end(),
                      [](const detail::TemplatePart& p) { return p.expr != nullptr; });
}

std::vector<ExprReference> Template::references() const {
  std::vector<ExprReference> out;
  for (const detail::TemplatePart& part : impl_->parts) {
    if (part.expr) detail::collect_references(*part.expr->root, out);
  }
  return out;
}

bool Template::references_root(std::string_view root) const {
  return has_root(references(), root);
}

const std::string& Template::source() const {
  return impl_->source;
}

// ---- CompiledValue ----

struct CompiledValue::Impl {
  Json source;
  detail::ValueNode root;
};

namespace {

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

detail::ValueNode compile_node(const Json& value, const std::string& pointer,
                               std::vector<ExprError>& errors) {
  using Kind = detail::ValueNode::Kind;
  detail::ValueNode node;
  node.constant = value;
  if (value.is_string()) {
    auto parsed = Template::parse(value.get_ref<const std::string&>());
    if (!parsed) {
      for (ExprError error : parsed.errors()) {
        error.pointer = pointer;
        errors.push_back(std::move(error));
      }
    } else if (!parsed.value().is_literal()) {
      node.kind = Kind::kTemplate;
      node.tmpl = std::move(parsed).value();
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      node.items.push_back(compile_node(value[i], pointer + "/" + std::to_string(i), errors));
      if (node.items.back().kind != Kind::kConstant) node.kind = Kind::kArray;
    }
  } else if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      auto child = compile_node(*it, pointer + "/" + pointer_token(it.key()), errors);
      if (child.kind != Kind::kConstant) node.kind = Kind::kObject;
      node.fields.emplace_back(it.key(), std::move(child));
    }
  }
  // A constant needs only its JSON; drop the per-child copies.
  if (node.kind == Kind::kConstant) {
    node.items.clear();
    node.fields.clear();
  } else {
    node.constant = nullptr;
  }
  return node;
}

ExprResult<Json> render_node(const detail::ValueNode& node, const EvalContext& ctx,
                             const std::string& pointer) {
  using Kind = detail::ValueNode::Kind;
  switch (node.kind) {
    case Kind::kConstant:
      return ExprResult<Json>::success(node.constant);
    case Kind::kTemplate: {
      auto value = node.tmpl.render(ctx);
      if (value) return value;
      ExprError error = value.error();
      error.pointer = pointer;
      return ExprResult<Json>::failure(std::move(error));
    }
    case Kind::kArray: {
      Json out = Json::array();
      for (std::size_t i = 0; i < node.items.size(); ++i) {
        auto item = render_node(node.items[i], ctx, pointer + "/" + std::to_string(i));
        if (!item) return item;
        out.push_back(std::move(item).value());
      }
      return ExprResult<Json>::success(std::move(out));
    }
    case Kind::kObject: {
      Json out = Json::object();
      for (const auto& [key, child] : node.fields) {
        auto item = render_node(child, ctx, pointer + "/" + pointer_token(key));
        if (!item) return item;
        out[key] = std::move(item).value();
      }
      return ExprResult<Json>::success(std::move(out));
    }
  }
  return ExprResult<Json>::success(nullptr);
}

void node_references(const detail::ValueNode& node, const std::string& pointer,
                     std::vector<ExprReference>& out) {
  for (ExprReference reference : node.tmpl.references()) {
    reference.pointer = pointer;
    out.push_back(std::move(reference));
  }
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    node_references(node.items[i], pointer + "/" + std::to_string(i), out);
  }
  for (const auto& [key, child] : node.fields) {
    node_references(child, pointer + "/" + pointer_token(key), out);
  }
}

}  // namespace

CompiledValue::CompiledValue() {
  static const auto kNull = std::make_shared<const Impl>();
  impl_ = kNull;
}

ExprResult<CompiledValue> CompiledValue::compile(const Json& value) {
  std::vector<ExprError> errors;
  auto impl = std::make_shared<Impl>();
  impl->source = value;
  impl->root = compile_node(value, "", errors);
  if (!errors.empty()) return ExprResult<CompiledValue>::failure(std::move(errors));
  return ExprResult<CompiledValue>::success(CompiledValue(std::move(impl)));
}

ExprResult<Json> CompiledValue::render(const EvalContext& ctx) const {
  return render_node(impl_->root, ctx, "");
}

bool CompiledValue::is_constant() const {
  return impl_->root.kind == detail::ValueNode::Kind::kConstant;
}

std::vector<ExprReference> CompiledValue::references() const {
  std::vector<ExprReference> out;
  node_references(impl_->root, "", out);
  return out;
}

bool CompiledValue::references_root(std::string_view root) const {
  return has_root(references(), root);
}

const Json& CompiledValue::source() const {
  return impl_->source;
}

}  // namespace sagaflow
