#include "http_service.h"

#include <microhttpd.h>

#include <cstring>

namespace webapp {

namespace {

// A GET without a body gets the page; anything else gets MHD_NO, which makes
// libmicrohttpd close the connection without a response.
MHD_Result answer(void* page_pointer, MHD_Connection* connection, const char* /*url*/,
                  const char* method, const char* /*version*/, const char* /*upload_data*/,
                  size_t* upload_data_size, void** request_state) {
  static int headers_seen;
  if (std::strcmp(method, "GET") != 0) return MHD_NO;
  // The first call only has the headers; a body, if any, comes next.
  if (*request_state != &headers_seen) {
    *request_state = &headers_seen;
    return MHD_YES;
  }
  if (*upload_data_size != 0) return MHD_NO;
  *request_state = nullptr;
  const auto* page = static_cast<const std::string*>(page_pointer);
  MHD_Response* response = MHD_create_response_from_buffer(
      page->size(), const_cast<char*>(page->data()), MHD_RESPMEM_PERSISTENT);
  MHD_Result queued = MHD_queue_response(connection, MHD_HTTP_OK, response);
  MHD_destroy_response(response);
  return queued;
}

}  // namespace

std::string page_for_port(int port) {
  return "<!DOCTYPE html>\n"
         "<html>\n"
         "  <head>\n"
         "    <title>Simple test webapp</title>\n"
         "  </head>\n"
         "  <body>\n"
         "    Simple test webapp listening on port: " +
         std::to_string(port) +
         "\n"
         "  </body>\n"
         "</html>\n";
}

MHD_Daemon* start_http_service(int port, const std::string& page) {
  return MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
                          static_cast<uint16_t>(port), nullptr, nullptr, &answer,
                          const_cast<std::string*>(&page), MHD_OPTION_END);
}

void stop_http_service(MHD_Daemon* service) {
  if (service) MHD_stop_daemon(service);
}

}  // namespace webapp
