#include "model/json_input.h"

#include <set>
#include <vector>

#include "util/error.h"
#include "util/quote.h"

namespace nixproc::model {

namespace {

// One open object or array while parsing, for duplicate keys and messages.
struct Open {
  bool is_object;
  std::set<std::string> keys;
  std::string key;   // object: the key being parsed
  size_t index = 0;  // array: the element being parsed
};

// Where the parser is, as `a.pkg.args[2]`, over the first `levels` levels.
std::string path_of(const std::vector<Open>& open, size_t levels) {
  std::string path;
  for (size_t i = 0; i < levels; ++i) {
    const Open& level = open[i];
    if (level.is_object && !level.keys.empty())
      path += (path.empty() ? "" : ".") + printable(level.key, 40);
    else if (!level.is_object)
      path += "[" + std::to_string(level.index) + "]";
  }
  return path.empty() ? "the top level" : printable(path, 160);
}

std::string path_of(const std::vector<Open>& open) {
  return path_of(open, open.size());
}

void element_done(std::vector<Open>& open) {
  if (!open.empty() && !open.back().is_object) ++open.back().index;
}

// nlohmann's messages start with "[json.exception.parse_error.101] ".
std::string reason_of(const json::exception& error) {
  std::string text = error.what();
  if (auto end = text.find("] "); text.rfind("[json.exception.", 0) == 0 && end != text.npos)
    text = text.substr(end + 2);
  return printable(text, 300);
}

}  // namespace

json parse_json_text(const std::string& text, const std::string& origin) {
  std::vector<Open> open;
  auto track = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (open.size() >= kMaxJsonDepth)
          throw Error(origin + ": objects and lists nest deeper than " +
                      std::to_string(kMaxJsonDepth) + " levels at " + path_of(open));
        open.push_back({event == json::parse_event_t::object_start, {}, {}, 0});
        break;
      case json::parse_event_t::key: {
        const auto& key = parsed.get_ref<const std::string&>();
        if (!open.back().keys.insert(key).second)
          throw Error(origin + ": the key " + quote(key) + " appears twice in " +
                      (open.size() == 1 ? "the top-level object"
                                        : "the object at " + path_of(open, open.size() - 1)) +
                      " (only one value per key is allowed)");
        open.back().key = key;
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        open.pop_back();
        element_done(open);
        break;
      case json::parse_event_t::value:
        element_done(open);
        break;
    }
    return true;
  };
  try {
    return json::parse(text, track);
  } catch (const json::parse_error& error) {
    throw Error(origin + ": not valid JSON: " + reason_of(error));
  } catch (const json::exception& error) {
    // out_of_range 406: a number beyond what a double holds (1e99999).
    throw Error(origin + ": not valid JSON at " + path_of(open) + ": " + reason_of(error));
  }
}

namespace {

bool find_nul(const json& value, std::string& path) {
  if (value.is_string()) return value.get_ref<const std::string&>().find('\0') != std::string::npos;
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i)
      if (find_nul(value[i], path)) {
        path = "[" + std::to_string(i) + "]" + path;
        return true;
      }
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key.find('\0') != std::string::npos) {
        path = "." + printable(key, 40) + " (a key)";
        return true;
      }
      if (find_nul(item, path)) {
        path = "." + printable(key, 40) + path;
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> find_nul_byte(const json& value) {
  std::string path;
  if (!find_nul(value, path)) return std::nullopt;
  return path.size() > 1 && path[0] == '.' ? path.substr(1) : path;
}

}  // namespace nixproc::model
