#pragma once
// A small XML-RPC client for supervisord's control socket (HTTP over a unix
// socket, the interface supervisorctl itself uses). Calling it directly costs
// a millisecond where starting supervisorctl costs a third of a second, and a
// switch asks supervisord many times. Values are JSON: struct -> object,
// array -> array, int/boolean/double/string as themselves.
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace nixproc::supervisord {

using json = nlohmann::json;

// supervisord's fault codes (supervisor/xmlrpc.py) nixproc acts on.
enum FaultCode {
  kBadName = 10,
  kAlreadyStarted = 60,
  kNotRunning = 70,
  kAlreadyAdded = 90,
  kStillRunning = 91,
};

// supervisord answered with a fault.
struct Fault : Error {
  int code;
  Fault(int code, const std::string& message) : Error(message), code(code) {}
};

// supervisord could not be reached (not running, socket missing, timeout).
struct Unreachable : Error {
  using Error::Error;
};

// The request body of a call (exposed for tests).
std::string encode_call(const std::string& method, const std::vector<json>& params);
// The result of a response body; throws Fault or Error (malformed).
json decode_response(const std::string& body);

json call(const std::string& socket_path, const std::string& method,
          const std::vector<json>& params = {}, int timeout_seconds = 30);

}  // namespace nixproc::supervisord
