#pragma once
// What an s6 instance's render hands to its deploy (backends/common/info.h).
#include <optional>
#include <string>

#include "backends/common/service_info.h"

namespace nixproc::s6 {

struct Info : ServiceInfo {
  // Profile path of the notification-fd file: the service reports readiness.
  std::optional<std::string> notification_fd;
};

constexpr auto info_fields(const Info*) {
  return std::tuple_cat(service_info_fields(),
                        std::tuple{InfoField{"notificationFd", &Info::notification_fd}});
}

}  // namespace nixproc::s6
