#pragma once
// The webapp's HTTP side: libmicrohttpd, one thread per connection, IPv4 on
// every interface, one page for every plain GET.
#include <string>

struct MHD_Daemon;

namespace webapp {

// The page, byte for byte as the original webapp serves it.
std::string page_for_port(int port);

// Starts serving `page` (which must outlive the service) on `port`; nullptr
// when the port cannot be bound.
MHD_Daemon* start_http_service(int port, const std::string& page);

void stop_http_service(MHD_Daemon* service);

}  // namespace webapp
