// The stand-in's data as a whole: the demo data, reset, seeding from JSON
// and the state dump the control API serves. Called with the lock held.
#include "examples/standin/standin.hpp"

namespace sagaflow::standin {
namespace {

void StripTimestamps(Json& value) {
  if (value.is_object()) {
    for (const char* key : {"create_time", "update_time", "LastModifiedDate", "updated_at"}) {
      value.erase(key);
    }
    for (auto& [key, child] : value.items()) StripTimestamps(child);
  } else if (value.is_array()) {
    for (auto& child : value) StripTimestamps(child);
  }
}

// What a fresh stand-in holds unless started with --empty (README.md).
Json DefaultSeed() {
  Json seed = Json::parse(R"({
    "scalekit": {
      "organizations": [{"id": "org_seed_initech", "display_name": "Initech",
                         "external_id": "cus_demo003", "metadata": {"plan_type": "pro"},
                         "domains": ["initech.example"]}]
    },
    "salesforce": {
      "accounts": [
        {"Id": "001000000000001AAA", "Name": "Acme Corp", "Industry": "Manufacturing",
         "Type": "Customer - Direct", "AnnualRevenue": 5000000, "NumberOfEmployees": 250,
         "Owner": {"Name": "Dana Seller"}},
        {"Id": "001000000000002AAA", "Name": "Globex", "Industry": "Energy",
         "Type": "Enterprise", "AnnualRevenue": 90000000, "NumberOfEmployees": 4200,
         "Owner": {"Name": "Sam Closer"}}],
      "contacts": [
        {"Id": "003000000000001AAA", "FirstName": "Ada", "LastName": "Admin",
         "Email": "ada@acme.example", "Title": "CTO", "Department": "Engineering",
         "Sales_Territory__c": "EMEA"}]
    },
    "stripe": {
      "customers": [
        {"id": "cus_demo001", "email": "billing@acme.example", "name": "Acme Corp"},
        {"id": "cus_demo002", "email": "billing@globex.example", "name": "Globex",
         "metadata": {"segment": "enterprise"}},
        {"id": "cus_demo003", "email": "billing@initech.example", "name": "Initech"}]
    },
    "workday": {
      "workers": [
        {"id": "21001", "descriptor": "Peter Gibbons",
         "primaryWorkEmail": "peter@initech.example", "businessTitle": "Software Engineer"}]
    }
  })");
  const long long now = NowUnix();
  seed["stripe"]["subscriptions"] =
      Json::array({{{"id", "sub_demo001"},
                    {"customer", "cus_demo001"},
                    {"status", "active"},
                    {"cancel_at_period_end", false},
                    {"items",
                     {{"object", "list"},
                      {"data", Json::array({{{"id", "si_demo001"},
                                             {"price",
                                              {{"id", "price_pro_monthly"},
                                               {"lookup_key", "pro_monthly"},
                                               {"product", "prod_pro"}}},
                                             {"quantity", 1},
                                             {"current_period_start", now},
                                             {"current_period_end", now + 30 * 86400}}})}}},
                    {"metadata", Json::object()}}});
  return seed;
}

}  // namespace

void StandIn::ResetLocked(bool seed) {
  orgs_.clear();
  domains_.clear();
  users_.clear();
  memberships_.clear();
  accounts_.clear();
  contacts_.clear();
  customers_.clear();
  subscriptions_.clear();
  idempotency_.clear();
  workers_.clear();
  features_.clear();
  tokens_.clear();
  faults_.clear();
  log_.clear();
  token_ttl_override_ = -1;
  if (seed) SeedLocked(DefaultSeed());
}

void StandIn::SeedLocked(const Json& data) {
  const Json sk = data.value("scalekit", Json::object());
  for (Json org : sk.value("organizations", Json::array())) {
    const std::string id = org.value("id", NextId("org_"));
    const Json domains = org.value("domains", Json::array());
    org.erase("domains");
    org["id"] = id;
    if (!org.contains("metadata")) org["metadata"] = Json::object();
    org["create_time"] = org.value("create_time", NowIso());
    org["update_time"] = org.value("update_time", NowIso());
    if (!org.contains("settings")) org["settings"] = {{"features", Json::array()}};
    orgs_[id] = org;
    for (const auto& domain : domains) {
      domains_[id].push_back({{"id", NextId("dom_")},
                              {"domain", Lower(domain.get<std::string>())},
                              {"organization_id", id},
                              {"domain_type", "ORGANIZATION_DOMAIN"},
                              {"create_time", NowIso()}});
    }
  }
  for (Json user : sk.value("users", Json::array())) {
    const std::string id = user.value("id", NextId("usr_"));
    const Json memberships = user.value("memberships", Json::array());
    user.erase("memberships");
    user["id"] = id;
    if (!user.contains("metadata")) user["metadata"] = Json::object();
    if (!user.contains("user_profile")) user["user_profile"] = Json::object();
    user["create_time"] = user.value("create_time", NowIso());
    user["update_time"] = user.value("update_time", NowIso());
    users_[id] = user;
    for (const auto& membership : memberships) {
      const std::string org = membership.value("organization_id", "");
      Json roles = Json::array();
      for (const auto& role : membership.value("roles", Json::array())) {
        roles.push_back(role.is_string() ? Json{{"name", role}} : role);
      }
      memberships_[{org, id}] = {{"organization_id", org},
                                 {"membership_status", "ACTIVE"},
                                 {"roles", roles},
                                 {"metadata", membership.value("metadata", Json::object())},
                                 {"create_time", NowIso()}};
    }
  }
  const Json sf = data.value("salesforce", Json::object());
  for (Json account : sf.value("accounts", Json::array())) {
    const std::string id = account.value("Id", "");
    account.erase("Id");
    account["LastModifiedDate"] = NowIso();
    accounts_[id] = account;
  }
  for (Json contact : sf.value("contacts", Json::array())) {
    const std::string id = contact.value("Id", "");
    contact.erase("Id");
    contact["LastModifiedDate"] = NowIso();
    contacts_[id] = contact;
  }
  const Json st = data.value("stripe", Json::object());
  for (const auto& in : st.value("customers", Json::array())) {
    Json customer{{"object", "customer"}, {"created", NowUnix()},   {"email", nullptr},
                  {"name", nullptr},      {"description", nullptr}, {"metadata", Json::object()},
                  {"livemode", false}};
    customer.update(in);
    customers_[customer.value("id", NextId("cus_"))] = customer;
  }
  for (const auto& in : st.value("subscriptions", Json::array())) {
    Json subscription{{"object", "subscription"}, {"livemode", false}};
    subscription.update(in);
    subscriptions_[subscription.value("id", NextId("sub_"))] = subscription;
  }
  for (const auto& worker : data.value("workday", Json::object()).value("workers", Json::array())) {
    workers_[worker.value("id", NextId("wrk_"))] = worker;
  }
  const Json features = data.value("features", Json::object());
  for (const auto& [org, state] : features.items()) {
    features_[org] = {{"organization_id", org},
                      {"enabled", state.value("enabled", false)},
                      {"updated_at", NowIso()}};
  }
}

Json StandIn::StateLocked(bool timestamps) const {
  Json orgs = Json::array();
  for (const auto& [id, org] : orgs_) {
    Json out = org;
    Json domains = Json::array();
    if (auto it = domains_.find(id); it != domains_.end()) {
      for (const auto& domain : it->second) domains.push_back(domain["domain"]);
    }
    out["domains"] = domains;
    orgs.push_back(out);
  }
  Json users = Json::array();
  for (const auto& [id, user] : users_) users.push_back(ScalekitUserJson(id));
  auto records = [](const std::map<std::string, Json>& table, const char* id_key) {
    Json out = Json::array();
    for (const auto& [id, record] : table) {
      Json row = record;
      row[id_key] = id;
      out.push_back(row);
    }
    return out;
  };
  Json features = Json::array();
  for (const auto& [org, state] : features_) features.push_back(state);
  Json state{{"scalekit", {{"organizations", orgs}, {"users", users}}},
             {"salesforce",
              {{"accounts", records(accounts_, "Id")}, {"contacts", records(contacts_, "Id")}}},
             {"stripe",
              {{"customers", records(customers_, "id")},
               {"subscriptions", records(subscriptions_, "id")}}},
             {"workday", {{"workers", records(workers_, "id")}}},
             {"features", features}};
  if (!timestamps) StripTimestamps(state);
  return state;
}

}  // namespace sagaflow::standin
