#pragma once
// XML property lists (launchd.plist(5)) from JSON values: booleans, integers,
// reals, strings, dicts (keys sorted) and arrays; every text XML-escaped.
#include <string>

#include <nlohmann/json.hpp>

namespace nixproc::launchd {

// A whole plist document whose top level is the object `dict`. null values
// are left out. Throws nixproc::Error naming `what` for text XML cannot hold.
std::string plist_document(const nlohmann::json& dict, const std::string& what);

// Text for an XML element: & < > escaped, a carriage return as a character
// reference (parsers would turn a literal one into a newline).
std::string xml_text(const std::string& text, const std::string& what);

}  // namespace nixproc::launchd
