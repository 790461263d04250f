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

template <class Self, class Visit>
void fields(Self& info, Visit&& visit) {
  service_fields(info, visit);
  visit("notificationFd", info.notification_fd);
}

}  // namespace nixproc::s6
