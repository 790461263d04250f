#pragma once
// The typed hand-over from render to deploy. Each backend declares what its
// deploy (and its dependants' render) needs as a struct of its own, plus a
// table naming each member's key in the manifest:
//
//   constexpr auto info_fields(const Info*) {
//     return std::tuple{InfoField{"script", &Info::script},
//                       InfoField{"pidFile", &Info::pid_file}};  // std::optional: left out when
//                       empty
//   }
//
// render stores `info_json(info)` in the manifest; deploy reads it back once
// with `read_info<Info>(instance)`. A key an older profile lacks leaves the
// member at its default, so old profiles still deploy.
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "backends/backend.h"
#include "util/error.h"

namespace nixproc {

// One member of a backend's info and its key in the manifest.
template <class Info, class T>
struct InfoField {
  const char* key;
  T Info::*member;
};

namespace info_detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// Calls visit(key, member) for each entry of the backend's info_fields table.
template <class Info, class Visit>
void fields(Info& info, Visit&& visit) {
  using Plain = std::remove_const_t<Info>;
  std::apply([&](const auto&... field) { (visit(field.key, info.*(field.member)), ...); },
             info_fields(static_cast<const Plain*>(nullptr)));
}
}  // namespace info_detail

template <class Info>
json info_json(const Info& info) {
  json out = json::object();
  info_detail::fields(info, [&](const char* key, const auto& member) {
    using T = std::remove_cvref_t<decltype(member)>;
    if constexpr (info_detail::is_optional<T>::value) {
      if (member) out[key] = *member;
    } else {
      out[key] = member;
    }
  });
  return out;
}

// `where` names the owner in errors ("instance web").
template <class Info>
Info info_from_json(const json& in, const std::string& where) {
  Info info;
  info_detail::fields(info, [&](const char* key, auto& member) {
    auto it = in.find(key);
    if (it == in.end() || it->is_null()) return;
    using T = std::remove_cvref_t<decltype(member)>;
    try {
      if constexpr (info_detail::is_optional<T>::value)
        member = it->template get<typename T::value_type>();
      else
        member = it->template get<T>();
    } catch (const json::exception& error) {
      throw Error(where + ": the profile's field " + key + " is malformed (" + error.what() + ")");
    }
  });
  return info;
}

template <class Info>
Info read_info(const DeployedInstance& instance) {
  return info_from_json<Info>(instance.info, instance_label(instance.key));
}

// What the switch itself reads from any backend's info: whom the process
// runs as (a backend whose processes run as a user has a `user` member).
struct CommonInfo {
  std::optional<std::string> user;
};

constexpr auto info_fields(const CommonInfo*) {
  return std::tuple{InfoField{"user", &CommonInfo::user}};
}

// The store path of the instance's file at `profile_path` (a member of its
// info); `what` names the file for the error when the profile lacks it.
std::string stored_file(const DeployedInstance& instance, const std::string& profile_path,
                        const std::string& what);

}  // namespace nixproc
