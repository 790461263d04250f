#include <sys/stat.h>

#include <algorithm>

#include "image/host_closure.h"
#include "image/image.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/quote.h"

namespace nixproc::image {

namespace {

// sysvinit and disnix need no manager of their own: their scripts run under
// nixproc's keepers, started by nixproc-container-init.
const ImageManager kManagers[] = {
    {"supervisord", {"/usr/bin/supervisord", "/usr/bin/supervisorctl"}},
    {"sysvinit", {}},
    {"disnix", {}},
    {"s6",
     {"/usr/bin/s6-svscan", "/usr/bin/s6-supervise", "/usr/bin/s6-svc", "/usr/bin/s6-svstat"}},
    {"runit", {"/usr/bin/runsvdir", "/usr/bin/runsv", "/usr/bin/sv"}},
    {"s6-rc",
     {"/usr/bin/s6-svscan", "/usr/bin/s6-rc", "/usr/bin/s6-rc-init", "/usr/bin/s6-rc-compile"}},
};

// What init scripts, initialize steps and the keepers' helpers call.
const char* const kBasicPackages[] = {"bash", "dash",      "coreutils", "grep",
                                      "sed",  "findutils", "passwd",    "procps"};
const char* const kInteractivePackages[] = {"bash",   "coreutils", "diffutils", "findutils",
                                            "grep",   "sed",       "less",      "util-linux",
                                            "procps", "passwd",    "libc-bin",  "ncurses-base"};
const char* const kManPackages[] = {"man-db", "groff-base", "gzip"};

ImageFile directory(const std::string& path, unsigned mode = 0755) {
  return {path, ImageFile::Directory, mode, 0, 0, "", ""};
}
ImageFile file(const std::string& path, std::string data, unsigned mode = 0644) {
  return {path, ImageFile::File, mode, 0, 0, "", std::move(data)};
}
ImageFile symlink(const std::string& path, std::string target) {
  return {path, ImageFile::Symlink, 0777, 0, 0, "", std::move(target)};
}

std::string relative(const std::string& absolute) {
  return absolute.substr(absolute.find_first_not_of('/'));
}

const char* const kBashrc =
    "# nixproc image: an interactive shell\n"
    "alias ls='ls --color=auto'\n"
    "if [ \"$(id -u)\" = 0 ]; then colour=31; else colour=32; fi\n"
    "PS1='\\[\\e]0;\\u@\\h: \\w\\a\\]\\[\\e[1;'$colour'm\\][\\u@\\h:\\w]\\$\\[\\e[0m\\] '\n"
    "unset colour\n";

}  // namespace

long long python_source_time(const std::string& path, const struct stat& info) {
  return path.size() > 3 && path.compare(path.size() - 3, 3, ".py") == 0 ? info.st_mtim.tv_sec : 0;
}

const ImageManager& image_manager(const std::string& name) {
  for (const auto& manager : kManagers)
    if (name == manager.name) {
      for (const auto& executable : manager.executables)
        if (!fs::exists(executable))
          throw Error("process manager " + name + ": " + executable +
                      " is not installed here, so no image can run it" +
                      (name == "s6-rc" ? " (s6-rc is not in Debian 12)" : ""));
      return manager;
    }
  throw Error("an image cannot run process manager " + quote(name) + "; use one of " +
              image_manager_names());
}

std::string image_manager_names() {
  std::string names;
  for (const auto& manager : kManagers)
    names += std::string(names.empty() ? "" : ", ") + manager.name;
  return names;
}

std::vector<ImageFile> skeleton_files(bool interactive) {
  std::vector<ImageFile> files = {
      directory("etc"),
      // root, and nobody/nogroup for processes that ask for them; the
      // model's own accounts are created when the container starts.
      file("etc/passwd",
           "root:x:0:0:root:/root:/bin/bash\n"
           "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"),
      file("etc/group", "root:x:0:\nnogroup:x:65534:\n"),
      file("etc/shadow", "root:*:1::::::\nnobody:*:1::::::\n", 0640),
      file("etc/gshadow", "root:*::\nnogroup:*::\n", 0640),
      file("etc/nsswitch.conf",
           "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n"
           "networks: files\nprotocols: files\nservices: files\n"),
      directory("root", 0700),
      directory("run"),
      directory("tmp", 01777),
      directory("var"),
      directory("var/empty", 0555),
  };
  if (interactive) files.push_back(file("root/.bashrc", kBashrc));
  return files;
}

void add_tree(std::vector<ImageFile>& files, const std::string& source, const std::string& target) {
  struct stat info;
  if (::lstat(source.c_str(), &info) != 0)
    throw Error("cannot put " + source + " in the image: " + fs::errno_text());
  std::string path = relative(target);
  unsigned mode = info.st_mode & 07777;
  if (S_ISLNK(info.st_mode)) {
    files.push_back(symlink(path, fs::read_link(source)));
  } else if (S_ISDIR(info.st_mode)) {
    files.push_back(directory(path, mode | 0500));
    std::vector<std::string> names = fs::list_directory(source);
    std::sort(names.begin(), names.end());
    for (const auto& name : names) add_tree(files, source + "/" + name, target + "/" + name);
  } else if (S_ISREG(info.st_mode)) {
    files.push_back(
        {path, ImageFile::File, mode, 0, 0, source, "", python_source_time(source, info)});
  } else {
    throw Error("cannot put " + source + " in the image: not a file, directory or symlink");
  }
}

void add_host_files(std::vector<ImageFile>& files, const HostClosure& closure) {
  for (const auto& host : closure.files) {
    if (host.kind == HostFile::Symlink) {
      files.push_back(symlink(relative(host.path), host.target));
    } else if (host.kind == HostFile::Directory) {
      struct stat info;
      unsigned mode = ::lstat(host.path.c_str(), &info) == 0 ? (info.st_mode & 07777) : 0755;
      files.push_back(directory(relative(host.path), mode));
    } else {
      add_tree(files, host.path, host.path);
    }
  }
}

Layer base_layer(const ImageManager& manager, const ImageOptions& options,
                 const std::vector<std::string>& nixproc_executables) {
  std::vector<std::string> packages(std::begin(kBasicPackages), std::end(kBasicPackages));
  if (options.interactive)
    packages.insert(packages.end(), std::begin(kInteractivePackages),
                    std::end(kInteractivePackages));
  if (options.manpages)
    packages.insert(packages.end(), std::begin(kManPackages), std::end(kManPackages));
  if (options.nix) packages.push_back("nix-bin");
  std::vector<std::string> executables = manager.executables;
  executables.insert(executables.end(), nixproc_executables.begin(), nixproc_executables.end());
  ClosureOptions closure_options;
  closure_options.manpages = options.manpages;
  HostClosure closure = host_closure(executables, packages, closure_options);
  Layer layer;
  for (auto& entry : skeleton_files(options.interactive)) layer.files.push_back(std::move(entry));
  add_host_files(layer.files, closure);
  return layer;
}

}  // namespace nixproc::image
