// The XML-RPC encoding nixproc uses to talk to supervisord: escaping of what
// it sends, decoding of results and faults, and malformed answers.
#include <gtest/gtest.h>

#include "backends/supervisord/xmlrpc.h"

namespace nixproc::supervisord {
namespace {

TEST(SupervisordXmlRpc, CallsEscapeTheirParameters) {
  std::string body = encode_call("supervisor.startProcess", {"a<b>&c", false, 42});
  EXPECT_NE(body.find("<methodName>supervisor.startProcess</methodName>"), std::string::npos);
  EXPECT_NE(body.find("<string>a&lt;b&gt;&amp;c</string>"), std::string::npos) << body;
  EXPECT_NE(body.find("<boolean>0</boolean>"), std::string::npos);
  EXPECT_NE(body.find("<int>42</int>"), std::string::npos);
}

TEST(SupervisordXmlRpc, ResultsDecodeToJson) {
  json info = decode_response(
      "<?xml version='1.0'?><methodResponse><params><param><value><struct>"
      "<member><name>statename</name><value><string>RUNNING</string></value></member>"
      "<member><name>pid</name><value><int>1234</int></value></member>"
      "<member><name>description</name><value>pid 1234, uptime 0:00:05</value></member>"
      "<member><name>groups</name><value><array><data><value><string>a &amp; b</string></value>"
      "<value><boolean>1</boolean></value></data></array></value></member>"
      "</struct></value></param></params></methodResponse>");
  EXPECT_EQ(info["statename"], "RUNNING");
  EXPECT_EQ(info["pid"], 1234);
  EXPECT_EQ(info["description"], "pid 1234, uptime 0:00:05");
  EXPECT_EQ(info["groups"], json::array({"a & b", true}));
}

TEST(SupervisordXmlRpc, FaultsCarryTheirCode) {
  try {
    decode_response(
        "<?xml version='1.0'?><methodResponse><fault><value><struct>"
        "<member><name>faultCode</name><value><int>10</int></value></member>"
        "<member><name>faultString</name><value><string>BAD_NAME: nope</string></value></member>"
        "</struct></value></fault></methodResponse>");
    FAIL() << "no fault";
  } catch (const Fault& fault) {
    EXPECT_EQ(fault.code, kBadName);
    EXPECT_STREQ(fault.what(), "BAD_NAME: nope");
  }
}

TEST(SupervisordXmlRpc, MalformedAnswersAreErrors) {
  EXPECT_THROW(decode_response("not xml <"), Error);
  EXPECT_THROW(decode_response("<?xml version='1.0'?><other/>"), Error);
  EXPECT_THROW(decode_response("<methodResponse><params></params></methodResponse>"), Error);
}

TEST(SupervisordXmlRpc, AMissingSocketIsUnreachable) {
  EXPECT_THROW(call("/nonexistent/supervisord.sock", "supervisor.getPID"), Unreachable);
}

}  // namespace
}  // namespace nixproc::supervisord
