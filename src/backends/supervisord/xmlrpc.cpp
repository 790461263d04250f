#include "backends/supervisord/xmlrpc.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <tinyxml2.h>

namespace nixproc::supervisord {

namespace {

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string encode_value(const json& value) {
  if (value.is_boolean())
    return std::string("<boolean>") + (value.get<bool>() ? "1" : "0") + "</boolean>";
  if (value.is_number_integer()) return "<int>" + std::to_string(value.get<long long>()) + "</int>";
  if (value.is_string()) return "<string>" + escaped(value.get<std::string>()) + "</string>";
  throw Error("XML-RPC: cannot encode " + value.dump());
}

json decode_value(const tinyxml2::XMLElement* value) {
  if (!value) throw Error("supervisord's answer has a parameter without a value");
  const tinyxml2::XMLElement* typed = value->FirstChildElement();
  if (!typed) return value->GetText() ? value->GetText() : "";  // untyped means string
  std::string type = typed->Name();
  const char* text = typed->GetText();
  if (type == "string") return text ? text : "";
  if (type == "int" || type == "i4" || type == "i8") return std::stoll(text ? text : "0");
  if (type == "boolean") return text && std::string(text) == "1";
  if (type == "double") return std::stod(text ? text : "0");
  if (type == "nil") return nullptr;
  if (type == "array") {
    json items = json::array();
    const tinyxml2::XMLElement* data = typed->FirstChildElement("data");
    for (auto* item = data ? data->FirstChildElement("value") : nullptr; item;
         item = item->NextSiblingElement("value"))
      items.push_back(decode_value(item));
    return items;
  }
  if (type == "struct") {
    json members = json::object();
    for (auto* member = typed->FirstChildElement("member"); member;
         member = member->NextSiblingElement("member")) {
      const tinyxml2::XMLElement* name = member->FirstChildElement("name");
      if (!name || !name->GetText()) throw Error("supervisord's answer has a nameless member");
      members[name->GetText()] = decode_value(member->FirstChildElement("value"));
    }
    return members;
  }
  throw Error("supervisord's answer has a value of unknown type " + type);
}

// One HTTP/1.0 POST over the unix socket; returns the body of a 200 answer.
std::string post(const std::string& socket_path, const std::string& body, int timeout_seconds) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(address.sun_path))
    throw Unreachable("supervisord's socket path is too long: " + socket_path);
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw Unreachable(std::string("socket: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  timeval timeout{timeout_seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw Unreachable("cannot connect to supervisord at " + socket_path + ": " +
                      std::strerror(errno));
  std::string request =
      "POST /RPC2 HTTP/1.0\r\nHost: localhost\r\nContent-Type: text/xml\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  for (size_t sent = 0; sent < request.size();) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw Unreachable("cannot talk to supervisord: " + std::string(std::strerror(errno)));
    sent += size_t(n);
  }
  std::string response;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw Unreachable("no answer from supervisord at " + socket_path + ": " +
                        std::strerror(errno));
    if (n == 0) break;
    response.append(buffer, size_t(n));
  }
  size_t header_end = response.find("\r\n\r\n");
  if (response.compare(0, 5, "HTTP/") != 0 || header_end == std::string::npos)
    throw Error("supervisord at " + socket_path + " gave a malformed HTTP answer");
  std::string status_line = response.substr(0, response.find("\r\n"));
  size_t space = status_line.find(' ');
  if (space == std::string::npos || status_line.compare(space + 1, 3, "200") != 0)
    throw Error("supervisord at " + socket_path + " answered " + status_line);
  return response.substr(header_end + 4);
}

}  // namespace

std::string encode_call(const std::string& method, const std::vector<json>& params) {
  std::string body = "<?xml version=\"1.0\"?>\n<methodCall><methodName>" + escaped(method) +
                     "</methodName><params>";
  for (const auto& param : params)
    body += "<param><value>" + encode_value(param) + "</value></param>";
  return body + "</params></methodCall>\n";
}

json decode_response(const std::string& body) {
  tinyxml2::XMLDocument document;
  if (document.Parse(body.c_str(), body.size()) != tinyxml2::XML_SUCCESS)
    throw Error(std::string("supervisord's answer is not XML: ") + document.ErrorStr());
  const tinyxml2::XMLElement* response = document.FirstChildElement("methodResponse");
  if (!response) throw Error("supervisord's answer is not an XML-RPC response");
  if (const auto* fault = response->FirstChildElement("fault")) {
    json detail = decode_value(fault->FirstChildElement("value"));
    throw Fault(detail.value("faultCode", 0), detail.value("faultString", "unknown fault"));
  }
  const tinyxml2::XMLElement* params = response->FirstChildElement("params");
  const tinyxml2::XMLElement* param = params ? params->FirstChildElement("param") : nullptr;
  if (!param) throw Error("supervisord's answer has no result");
  return decode_value(param->FirstChildElement("value"));
}

json call(const std::string& socket_path, const std::string& method,
          const std::vector<json>& params, int timeout_seconds) {
  return decode_response(post(socket_path, encode_call(method, params), timeout_seconds));
}

}  // namespace nixproc::supervisord
