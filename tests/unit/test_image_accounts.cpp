// The accounts an image gets at build time: as declared, free IDs from 1000,
// a user's own group when it names none, home directories it asks for.
#include <gtest/gtest.h>

#include "image/accounts.h"
#include "util/error.h"

namespace nixproc::image {
namespace {

Manifest manifest_with(const json& credentials) {
  Manifest manifest;
  ManifestInstance instance;
  instance.key = instance.name = "web";
  instance.credentials = credentials;
  manifest.instances.push_back(instance);
  return manifest;
}

const ImageFile* find(const std::vector<ImageFile>& files, const std::string& path) {
  for (const auto& file : files)
    if (file.path == path) return &file;
  return nullptr;
}

TEST(ImageAccounts, DeclaredFreeAndOwnGroups) {
  auto files = account_files(manifest_with(json::parse(R"({
    "groups": {"web": {"gid": 2000}},
    "users": {"web": {"uid": 2000, "group": "web", "description": "Web", "homeDir": "/home/web",
                      "createHomeDir": "1"},
              "other": {}}})")));
  ASSERT_NE(find(files, "etc/passwd"), nullptr);
  EXPECT_EQ(find(files, "etc/passwd")->data,
            "root:x:0:0:root:/root:/bin/bash\n"
            "other:x:1000:1000::/dev/null:/bin/sh\n"
            "web:x:2000:2000:Web:/home/web:/bin/sh\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
  EXPECT_EQ(find(files, "etc/group")->data,
            "root:x:0:\nweb:x:2000:\nother:x:1000:\nnogroup:x:65534:\n");
  EXPECT_NE(find(files, "etc/shadow")->data.find("other:!:1::::::\n"), std::string::npos);
  const ImageFile* home = find(files, "home/web");
  ASSERT_NE(home, nullptr);
  EXPECT_EQ(home->kind, ImageFile::Directory);
  EXPECT_EQ(home->uid, 2000u);
  EXPECT_EQ(home->gid, 2000u);
}

TEST(ImageAccounts, AnUndeclaredGroupOrABadIdIsAnError) {
  EXPECT_THROW(account_files(manifest_with(json::parse(R"({"users": {"a": {"group": "nope"}}})"))),
               Error);
  EXPECT_THROW(account_files(manifest_with(json::parse(R"({"users": {"a": {"uid": "x1"}}})"))),
               Error);
}

}  // namespace
}  // namespace nixproc::image
