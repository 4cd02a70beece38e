// Passes over a whole compiled document: $ref resolution, detection of $ref
// cycles that would never descend into a value, and the check that every
// default satisfies its own schema.
#include <functional>
#include <map>

#include "engine/input_schema_internal.hpp"

namespace sagaflow::input_schema_detail {
namespace {

using Path = std::vector<std::string>;

void resolve_refs(const Document& doc, const std::map<std::string, const Node*>& defs,
                  const std::vector<RefSite>& refs, std::vector<SchemaProblem>& problems) {
  std::vector<std::string_view> names;
  for (const auto& [name, unused] : defs) names.push_back(name);
  for (const RefSite& r : refs) {
    if (r.text == "#") {
      r.node->ref = doc.root;
      continue;
    }
    auto it = defs.find(r.name);
    if (it != defs.end()) {
      r.node->ref = it->second;
      continue;
    }
    const auto suggestion = closest(r.name, names);
    problems.push_back(
        {r.path, "unresolved $ref " + render(Json(r.text)) +
                     (suggestion ? "; did you mean '#/$defs/" + *suggestion + "'?" : "")});
  }
}

// Edges along which validation stays on the same value.
std::vector<const Node*> same_value_edges(const Node& n) {
  std::vector<const Node*> out;
  for (const Node* e : {n.ref, n.not_schema, n.if_schema, n.then_schema, n.else_schema}) {
    if (e) out.push_back(e);
  }
  for (const auto* list : {&n.all_of, &n.any_of, &n.one_of}) {
    out.insert(out.end(), list->begin(), list->end());
  }
  return out;
}

// The node holding a $ref on some cycle of same-value edges, or nullptr.
// Schema nesting alone cannot make a cycle, so every cycle has a $ref.
const Node* find_cycle(const Document& doc) {
  std::map<const Node*, int> color;  // 0 unseen, 1 on the stack, 2 done
  std::vector<const Node*> stack;
  std::function<const Node*(const Node*)> visit = [&](const Node* n) -> const Node* {
    color[n] = 1;
    stack.push_back(n);
    for (const Node* next : same_value_edges(*n)) {
      if (color[next] == 1) {  // the cycle is stack[pos(next)..] and back to next
        if (n->ref == next) return n;
        for (std::size_t k = stack.size() - 1; k > 0 && stack[k] != next; --k) {
          if (stack[k - 1]->ref == stack[k]) return stack[k - 1];
        }
        return n;
      }
      if (color[next] == 0) {
        if (const Node* found = visit(next)) return found;
      }
    }
    color[n] = 2;
    stack.pop_back();
    return nullptr;
  };
  for (const auto& node : doc.nodes) {
    if (color[node.get()] == 0) {
      if (const Node* found = visit(node.get())) return found;
    }
  }
  return nullptr;
}

// Validation would never end on such a cycle: each one is reported and cut.
void break_ref_cycles(const Document& doc, const std::vector<RefSite>& refs,
                      std::vector<SchemaProblem>& problems) {
  while (const Node* looping = find_cycle(doc)) {
    bool cut = false;
    for (const RefSite& r : refs) {
      if (r.node != looping || !r.node->ref) continue;
      cut = true;
      problems.push_back({r.path, "$ref " + render(Json(r.text)) +
                                      " loops back to itself without descending into a property "
                                      "or item"});
      r.node->ref = nullptr;
    }
    if (!cut) break;  // cannot happen: every cycle passes through a $ref
  }
}

void check_defaults(const Document& doc, std::vector<SchemaProblem>& problems) {
  for (const auto& node : doc.nodes) {
    if (!node->default_value) continue;
    const Json value = apply_defaults_node(*node, *node->default_value);
    std::vector<Violation> violations;
    validate_node(*node, value, "$", violations);
    for (const Violation& v : violations) {
      Path path = node->path;
      path.push_back("default");
      problems.push_back({std::move(path), "default does not satisfy the schema: " +
                                               (v.path == "$" ? v.message : to_string(v))});
    }
  }
}

}  // namespace

void link_document(Document& doc, const std::map<std::string, const Node*>& defs,
                   const std::vector<RefSite>& refs, std::vector<SchemaProblem>& problems) {
  resolve_refs(doc, defs, refs, problems);
  break_ref_cycles(doc, refs, problems);
  check_defaults(doc, problems);
}

}  // namespace sagaflow::input_schema_detail
