#include "util/json_input.h"

#include <vector>

#include "util/error.h"
#include "util/quote.h"

namespace nixproc {

namespace {

// One open object or array while parsing.
struct Open {
  json* value;
  std::string key;  // object: the key whose value is being parsed
};

// Builds the document as nlohmann's own DOM parser does, checking depth and
// duplicate keys on the way. (nlohmann's parser callback could do the checks
// too, but it scans the parent object at every object's end: a model of
// 10,000 instances took 25 times as long to parse.)
class CheckedBuilder {
 public:
  CheckedBuilder(json& root, const std::string& origin) : root_(root), origin_(origin) {}

  // Every handler returns true (go on); errors are thrown.
  bool null() { return add(nullptr) != nullptr; }
  bool boolean(bool value) { return add(value) != nullptr; }
  bool number_integer(json::number_integer_t value) { return add(value) != nullptr; }
  bool number_unsigned(json::number_unsigned_t value) { return add(value) != nullptr; }
  bool number_float(json::number_float_t value, const json::string_t&) {
    return add(value) != nullptr;
  }
  bool string(json::string_t& value) { return add(std::move(value)) != nullptr; }
  bool binary(json::binary_t& value) { return add(json::binary(std::move(value))) != nullptr; }
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& key) {
    if (open_.back().value->contains(key))
      throw Error(origin_ + ": the key " + quote(key) + " appears twice in " +
                  (open_.size() == 1 ? "the top-level object" : "the object at " + path()) +
                  " (only one value per key is allowed)");
    open_.back().key = std::move(key);
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const json::exception& error) {
    // out_of_range 406: a number beyond what a double holds (1e99999).
    if (dynamic_cast<const json::out_of_range*>(&error))
      throw Error(origin_ + ": not valid JSON at " + path(true) + ": " + reason_of(error));
    throw Error(origin_ + ": not valid JSON: " + reason_of(error));
  }

 private:
  json* add(json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Open& parent = open_.back();
    if (parent.value->is_object()) {
      json& slot = (*parent.value)[parent.key];
      slot = std::move(value);
      return &slot;
    }
    parent.value->push_back(std::move(value));
    return &parent.value->back();
  }

  bool open(json container) {
    if (open_.size() >= kMaxJsonDepth)
      throw Error(origin_ + ": objects and lists nest deeper than " +
                  std::to_string(kMaxJsonDepth) + " levels at " + path(true));
    open_.push_back({add(std::move(container)), {}});
    return true;
  }

  bool close() {
    open_.pop_back();
    return true;
  }

  // Where the parser is, as `a.pkg.args[2]`: the open containers and, with
  // `pending`, the value about to be added to the innermost one.
  std::string path(bool pending = false) const {
    std::string path;
    for (size_t i = 0; i < open_.size(); ++i) {
      const Open& level = open_[i];
      bool last = i + 1 == open_.size();
      if (last && !pending) break;
      if (level.value->is_object())
        path += (path.empty() ? "" : ".") + printable(level.key, 40);
      else
        path += "[" + std::to_string(level.value->size() - (last ? 0 : 1)) + "]";
    }
    return path.empty() ? "the top level" : printable(path, 160);
  }

  // nlohmann's messages start with "[json.exception.parse_error.101] ".
  static std::string reason_of(const json::exception& error) {
    std::string text = error.what();
    if (auto end = text.find("] "); text.rfind("[json.exception.", 0) == 0 && end != text.npos)
      text = text.substr(end + 2);
    return printable(text, 300);
  }

  json& root_;
  const std::string& origin_;
  std::vector<Open> open_;
};

}  // namespace

json parse_json_text(const std::string& text, const std::string& origin) {
  json root;
  CheckedBuilder builder(root, origin);
  json::sax_parse(text, &builder);
  return root;
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

}  // namespace nixproc
