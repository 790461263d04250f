#include "deploy/post_install.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc {

namespace {

// Removes the work directory however the build ends.
struct WorkDir {
  std::string path;
  ~WorkDir() {
    std::error_code ignored;
    if (!path.empty()) std::filesystem::remove_all(path, ignored);
  }
};

}  // namespace

std::vector<RenderedFile> run_post_install(const std::string& script,
                                           const std::string& work_parent,
                                           const std::string& where) {
  fs::make_directories(work_parent);
  std::string pattern = work_parent + "/.post-install-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    throw Error(where + ": cannot make a directory for postInstall in " + work_parent);
  WorkDir work{pattern};
  const std::string out = work.path + "/out";
  fs::make_directories(out);
  SpawnOptions options = capturing();
  options.environment = {"out=" + out, "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + work.path,
                         "TMPDIR=" + work.path};
  options.replace_environment = true;
  options.timeout_seconds = 300;
  RunResult result = run({"/bin/sh", "-e", "-c", "cd \"$out\"\n" + script}, options);
  if (!result.ok())
    throw Error(where + ": postInstall " + result.describe() +
                (result.err.empty() ? "" : ":\n" + result.err));

  std::vector<RenderedFile> files;
  namespace stdfs = std::filesystem;
  for (const auto& entry : stdfs::recursive_directory_iterator(out)) {
    std::string relative = stdfs::relative(entry.path(), out).string();
    struct stat info {};
    if (::stat(entry.path().c_str(), &info) != 0)
      throw Error(where + ": postInstall left " + relative + ", a link to nothing");
    if (S_ISDIR(info.st_mode) && entry.is_symlink())
      throw Error(where + ": postInstall left " + relative +
                  ", a link to a directory (copy the files instead)");
    if (S_ISDIR(info.st_mode)) continue;
    if (!S_ISREG(info.st_mode))
      throw Error(where + ": postInstall left " + relative +
                  ", which is not a regular file or directory");
    files.push_back(
        {relative, fs::read_file(entry.path().string()), (info.st_mode & S_IXUSR) != 0});
  }
  return files;
}

}  // namespace nixproc
