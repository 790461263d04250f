#include "backends/launchd/plist.h"

#include <cstdio>

#include "model/fields.h"
#include "util/error.h"

namespace nixproc::launchd {

namespace {

// `what` starts errors; `field` is the key path to `value` (a.b.c).
void append_value(std::string& out, const nlohmann::json& value, const std::string& indent,
                  const std::string& what, const std::string& field) {
  auto where = [&] { return what + ": field " + field; };
  switch (value.type()) {
    case nlohmann::json::value_t::boolean:
      out += indent + (value.get<bool>() ? "<true/>\n" : "<false/>\n");
      break;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      out += indent + "<integer>" + value.dump() + "</integer>\n";
      break;
    case nlohmann::json::value_t::number_float:
      out += indent + "<real>" + value.dump() + "</real>\n";
      break;
    case nlohmann::json::value_t::string:
      out += indent + "<string>" + xml_text(value.get<std::string>(), where()) + "</string>\n";
      break;
    case nlohmann::json::value_t::object:
      out += indent + "<dict>\n";
      for (const auto& [key, item] : value.items()) {
        if (item.is_null()) continue;
        std::string path = field.empty() ? key : field + "." + key;
        out += indent + "  <key>" + xml_text(key, what + ": key " + path) + "</key>\n";
        append_value(out, item, indent + "  ", what, path);
      }
      out += indent + "</dict>\n";
      break;
    case nlohmann::json::value_t::array:
      out += indent + "<array>\n";
      for (const auto& item : value) {
        if (item.is_null()) throw Error(where() + ": a property list array cannot hold null");
        append_value(out, item, indent + "  ", what, field);
      }
      out += indent + "</array>\n";
      break;
    default:
      throw Error(where() + ": a property list cannot hold a " + model::json_type_name(value));
  }
}

}  // namespace

std::string xml_text(const std::string& text, const std::string& what) {
  std::string escaped;
  for (char c : text) {
    unsigned char byte = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '\r':
        escaped += "&#13;";
        break;
      case '\n':
      case '\t':
        escaped += c;
        break;
      default:
        if (byte < 0x20) {
          char code[8];
          std::snprintf(code, sizeof code, "%02X", byte);
          throw Error(what + ": XML cannot hold the control character U+00" + code);
        }
        escaped += c;
    }
  }
  return escaped;
}

std::string plist_document(const nlohmann::json& dict, const std::string& what) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
      "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
      "<plist version=\"1.0\">\n";
  append_value(out, dict, "", what, "");
  return out + "</plist>\n";
}

}  // namespace nixproc::launchd
