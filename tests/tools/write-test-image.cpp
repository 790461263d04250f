// nixproc-test-write-image OUTPUT NAME:TAG: writes a docker-archive for the
// integration test of the image writer, until `nixproc image` drives it. The
// image holds the host's /bin/sh and stat with the ELF libraries ldd names
// (good enough for a test on the machine that runs it) and a script that its
// Cmd runs. Layers: the programs; the script, /tmp (1777) and a file with its
// own owner and mode; and the second layer again (stored once).
#include <cstdio>
#include <set>
#include <sstream>

#include "image/archive.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace {

using nixproc::image::ImageFile;
using nixproc::image::Layer;

// The libraries `ldd PROGRAM` lists, as absolute host paths: the target of
// "name => /path (addr)" lines and the loader's "/path (addr)" line.
std::set<std::string> libraries_of(const std::string& program) {
  nixproc::RunResult result = nixproc::run({"ldd", program}, nixproc::capturing());
  if (!result.ok())
    throw nixproc::Error("ldd " + program + " " + result.describe() + ": " + result.err);
  std::set<std::string> libraries;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string first, arrow, target;
    words >> first >> arrow >> target;
    if (arrow == "=>" && target.starts_with("/"))
      libraries.insert(target);
    else if (first.starts_with("/"))
      libraries.insert(first);
  }
  return libraries;
}

ImageFile copied(const std::string& image_path, const std::string& host_path, unsigned mode) {
  ImageFile file;
  file.path = image_path;
  file.source = host_path;
  file.mode = mode;
  return file;
}

Layer programs() {
  std::string stat = nixproc::find_executable("stat");
  if (stat.empty()) throw nixproc::Error("stat is not on PATH");
  Layer layer;
  layer.files = {copied("bin/sh", "/bin/sh", 0755), copied("bin/stat", stat, 0755)};
  std::set<std::string> libraries = libraries_of("/bin/sh");
  libraries.merge(libraries_of(stat));
  for (const auto& library : libraries)
    layer.files.push_back(copied(library.substr(1), library, 0755));
  return layer;
}

Layer application() {
  ImageFile script;
  script.path = "test/hello.sh";
  script.mode = 0755;
  script.data = "#!/bin/sh\necho \"$GREETING in $(pwd)\"\n";
  ImageFile tmp;
  tmp.path = "tmp";
  tmp.kind = ImageFile::Directory;
  tmp.mode = 01777;
  ImageFile owned;
  owned.path = "srv/owned";
  owned.mode = 0640;
  owned.uid = 1234;
  owned.gid = 2345;
  owned.data = "owned\n";
  ImageFile link;
  link.path = "bin/hello";
  link.kind = ImageFile::Symlink;
  link.data = "/test/hello.sh";
  Layer layer;
  layer.files = {script, tmp, owned, link};
  return layer;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s OUTPUT NAME:TAG\n", argv[0]);
    return 2;
  }
  nixproc::image::ImageConfig config;
  config.cmd = {"/bin/sh", "/test/hello.sh"};
  config.env = {"PATH=/bin", "GREETING=hello from the archive"};
  config.working_dir = "/srv";
  config.labels = {{"org.nixproc.test", "image-archive"}};
  try {
    Layer app = application();
    nixproc::image::write_docker_archive(argv[1], argv[2], {programs(), app, app}, config);
  } catch (const nixproc::Error& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  return 0;
}
