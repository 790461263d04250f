#include "testdriver/machine.h"

#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "testdriver/mountinfo.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc::testdriver {

namespace {

// The machine's PID 1 reports what went wrong in the log and gives up.
[[noreturn]] void give_up(const std::string& what) {
  std::fprintf(stderr, "nixproc test: cannot make the machine: %s: %s\n", what.c_str(),
               std::strerror(errno));
  std::fflush(stderr);
  ::_exit(125);
}

void must(int result, const std::string& what) {
  if (result != 0) give_up(what);
}

void bind(const std::string& source, const std::string& target, bool read_only) {
  must(::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr),
       "bind " + source + " on " + target);
  if (read_only)
    must(::mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr),
         "make " + target + " read-only");
}

void make_dir(const std::string& path, mode_t mode = 0755) {
  try {
    fs::make_directories(path, mode);
  } catch (const Error& error) {
    errno = EIO;
    give_up(error.what());
  }
  ::chmod(path.c_str(), mode);
}

void write_text(const std::string& path, const std::string& text, bool append = false) {
  std::ofstream out(path, append ? std::ios::app : std::ios::trunc);
  out << text;
  if (!out) give_up("write " + path);
}

void loopback_up() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) give_up("socket for the loopback interface");
  struct ifreq request {};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(fd, SIOCGIFFLAGS, &request) != 0) give_up("read the loopback interface's flags");
  request.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (::ioctl(fd, SIOCSIFFLAGS, &request) != 0) give_up("bring the loopback interface up");
  ::close(fd);
}

// Files bind-mounted into the host's /etc (a container's hosts, resolv.conf)
// are not in the directory an overlay sees: their content goes into the
// overlay's upper layer before it is mounted.
void copy_etc_mount_points(const std::string& upper) {
  for (const auto& mount : read_mounts()) {
    const std::string& point = mount.point;
    if (point.rfind("/etc/", 0) != 0) continue;
    struct stat info;
    if (::stat(point.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    std::string target = upper + point.substr(4);
    make_dir(fs::dirname(target));
    try {
      write_text(target, fs::read_file(point));
    } catch (const Error&) {
      continue;  // unreadable: the overlay shows what is under it
    }
  }
}

// `dir` as an overlay of itself whose changes go to `layers`; false when
// the file system of `layers` cannot hold an overlay's upper layer.
bool overlay(const std::string& dir, const std::string& layers) {
  if (!fs::is_directory(dir)) return true;
  std::string upper = layers + "/upper", work = layers + "/work";
  make_dir(upper);
  make_dir(work);
  std::string options = "lowerdir=" + dir + ",upperdir=" + upper + ",workdir=" + work;
  return ::mount("overlay", dir.c_str(), "overlay", 0, options.c_str()) == 0;
}

// /etc must be the machine's own: an overlay, else a copy.
void private_etc(const std::string& layers) {
  copy_etc_mount_points(layers + "/upper");
  if (overlay("/etc", layers)) return;
  std::string copy = layers + "/copy";
  make_dir(copy);
  RunResult copied = run({"cp", "-a", "/etc/.", copy + "/"}, capturing());
  if (!copied.ok()) {
    errno = 0;
    give_up("copy /etc: " + copied.err);
  }
  bind(copy, "/etc", false);
}

bool below(const std::string& path, const std::string& dir) {
  return path == dir || path.rfind(dir + "/", 0) == 0;
}

// The host paths that must stay visible below the machine's fresh
// directories (nixproc itself, the suite): the top directory below the fresh
// one that holds each is bound read-only in its replacement, at its path.
void keep_host_paths(const MachineSpec& spec) {
  std::vector<std::string> kept;
  for (const auto& path : spec.keep_host_paths)
    for (const char* fresh : kFreshDirs) {
      std::string top = fresh;
      if (path == top || !below(path, top)) continue;
      std::string first = path.substr(0, path.find('/', top.size() + 1));
      if (std::find(kept.begin(), kept.end(), first) != kept.end()) continue;
      kept.push_back(first);
      make_dir(spec.dir + first);
      bind(first, spec.dir + first, true);
    }
}

void fresh_var(const std::string& var) {
  for (const char* sub : {"lib", "log", "cache", "spool", "lib/dpkg"}) make_dir(var + "/" + sub);
  make_dir(var + "/tmp", 01777);
  ::symlink("/run", (var + "/run").c_str());
  ::symlink("/run/lock", (var + "/lock").c_str());
  // The host's package database: nixproc's compat set asks dpkg what is installed.
  if (fs::is_directory("/var/lib/dpkg")) bind("/var/lib/dpkg", var + "/lib/dpkg", true);
}

// Everything of the host the machine has not made its own is read-only in
// it: a test script runs as root, and must not change the host's programs
// or files. Kernel file systems stay as they are.
void read_only_host() {
  std::vector<std::pair<std::string, unsigned long>> points;
  for (const auto& mount : read_mounts()) {
    bool own = false;
    for (const char* dir : kFreshDirs) own = own || below(mount.point, dir);
    for (const char* dir : {"/etc", "/root", "/nix", "/proc", "/sys", "/dev"})
      own = own || below(mount.point, dir);
    if (own) continue;
    unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
    for (const auto& option : split(mount.options, ',')) {
      if (option == "nosuid") flags |= MS_NOSUID;
      if (option == "nodev") flags |= MS_NODEV;
      if (option == "noexec") flags |= MS_NOEXEC;
      if (option == "noatime") flags |= MS_NOATIME;
      if (option == "nodiratime") flags |= MS_NODIRATIME;
      if (option == "relatime") flags |= MS_RELATIME;
    }
    points.emplace_back(mount.point, flags);
  }
  for (const auto& [point, flags] : points)
    if (::mount(nullptr, point.c_str(), nullptr, flags, nullptr) != 0 && errno != EACCES)
      give_up("make the host's " + point + " read-only");
}

// spec.path joined, with a trailing colon.
std::string path_prefix(const MachineSpec& spec) {
  std::string path;
  for (const auto& dir : spec.path) path += dir + ":";
  return path;
}

void configure_etc(const MachineSpec& spec) {
  write_text("/etc/hostname", spec.hostname + "\n");
  write_text("/etc/hosts", "127.0.1.1 " + spec.hostname + "\n", true);
  std::string profile = "# nixproc test: what every login shell of the machine gets.\n";
  profile += "PATH='" + path_prefix(spec) + "'\"$PATH\"\nexport PATH\n";
  for (const auto& variable : spec.environment) {
    auto equals = variable.find('=');
    std::string value = variable.substr(equals + 1), quoted;
    for (char c : value) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    profile += "export " + variable.substr(0, equals) + "='" + quoted + "'\n";
  }
  make_dir("/etc/profile.d");
  write_text("/etc/profile.d/nixproc-test.sh", profile);
}

void create_user(const std::string& user) {
  if (user.empty()) return;
  std::vector<std::string> argv = {"useradd", "--create-home", "--home-dir", "/home/" + user,
                                   "--gid",   "users",         "--shell",    "/bin/sh"};
  if (::getpwuid(1000) == nullptr) argv.insert(argv.end(), {"--uid", "1000"});
  argv.push_back(user);
  RunResult result = run(argv, capturing());
  if (!result.ok()) {
    errno = 0;
    give_up("useradd " + user + " " + result.describe() + ": " + result.err);
  }
  // Rootless podman maps the user's containers to these IDs.
  std::string subuid;
  try {
    subuid = fs::read_file("/etc/subuid");
  } catch (const Error&) {
  }
  if (subuid.find("\n" + user + ":") == std::string::npos && subuid.rfind(user + ":", 0) != 0) {
    write_text("/etc/subuid", user + ":200000:65536\n", true);
    write_text("/etc/subgid", user + ":200000:65536\n", true);
  }
}

std::vector<std::string> driver_environment(const MachineSpec& spec) {
  std::vector<std::string> environment = {"PATH=" + path_prefix(spec) + kServicePath, "HOME=/root",
                                          "USER=root", "LOGNAME=root", "LANG=C.UTF-8"};
  for (const auto& variable : spec.environment) environment.push_back(variable);
  return environment;
}

[[noreturn]] void machine_main(const MachineSpec& spec, int go, const std::string& cgroup_name) {
  // The machine ends with nixproc test, however that ends.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // Wait until nixproc test has moved us into the machine's cgroups.
  char byte;
  if (::read(go, &byte, 1) != 1) ::_exit(125);
  ::close(go);
  std::vector<CgroupMount> cgroups = joined_cgroups(cgroup_name);
  if (::unshare(CLONE_NEWCGROUP) != 0) give_up("create a cgroup namespace");
  // Nothing mounted here reaches the host.
  must(::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), "make / private");
  must(::sethostname(spec.hostname.c_str(), spec.hostname.size()), "set the host name");
  loopback_up();
  must(::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr), "mount /proc");

  private_etc(spec.dir + "/overlay/etc");
  for (const char* shared : {"/root", "/nix"})
    if (!overlay(shared, spec.dir + "/overlay" + shared))
      std::fprintf(stderr, "nixproc test: warning: %s is shared with the host (no overlay: %s)\n",
                   shared, std::strerror(errno));

  fresh_var(spec.dir + "/var");
  make_dir(spec.dir + "/run/lock", 01777);
  make_dir(spec.dir + "/run/user");
  make_dir(spec.dir + "/home");
  make_dir(spec.dir + "/tmp", 01777);
  keep_host_paths(spec);
  for (const char* dir : kFreshDirs) bind(spec.dir + dir, dir, false);
  must(::mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"), "mount /dev/shm");
  mount_machine_cgroups(cgroups);
  read_only_host();

  configure_etc(spec);
  create_user(spec.user);

  pid_t driver = ::fork();
  if (driver < 0) give_up("fork");
  if (driver == 0) {
    std::vector<std::string> environment = driver_environment(spec);
    std::vector<char*> argv, envp;
    for (const auto& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    for (const auto& variable : environment) envp.push_back(const_cast<char*>(variable.c_str()));
    envp.push_back(nullptr);
    if (::chdir("/tmp") != 0) give_up("chdir /tmp");
    ::execve(argv[0], argv.data(), envp.data());
    give_up("run " + spec.argv[0]);
  }
  // PID 1: reap everything; end with the driver. The kernel then kills
  // whatever else still runs in the machine.
  while (true) {
    int status = 0;
    pid_t ended = ::wait(&status);
    if (ended == driver) ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    if (ended < 0 && errno == ECHILD) ::_exit(125);
  }
}

}  // namespace

std::string machine_support_problem() {
  if (::geteuid() != 0)
    return "nixproc test makes its machines from namespaces and mounts, which needs root";
  std::string filesystems;
  try {
    filesystems = fs::read_file("/proc/filesystems");
  } catch (const Error&) {
  }
  if (filesystems.find("\toverlay\n") == std::string::npos)
    return "the kernel has no overlay file system (modprobe overlay)";
  return "";
}

Machine start_machine(const MachineSpec& spec) {
  if (spec.argv.empty()) throw Error("a machine needs a program to run");
  int log = ::open(spec.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw Error("cannot open " + spec.log_file + ": " + fs::errno_text());
  int go[2];
  if (::pipe2(go, O_CLOEXEC) != 0) throw Error("pipe: " + fs::errno_text());
  Machine machine;
  std::string cgroup_name =
      "nixproc-test-" + std::to_string(::getpid()) + "-" + fs::basename(spec.dir);
  std::fflush(nullptr);
  // A fork that is PID 1 of new PID, mount, network, UTS and IPC namespaces.
  long pid = ::syscall(
      SYS_clone, CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD,
      nullptr, nullptr, nullptr, nullptr);
  if (pid < 0) {
    std::string reason = fs::errno_text();
    ::close(log);
    ::close(go[0]);
    ::close(go[1]);
    throw Error("cannot create a machine's namespaces: " + reason);
  }
  if (pid == 0) {
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::close(go[1]);
    machine_main(spec, go[0], cgroup_name);
  }
  ::close(log);
  ::close(go[0]);
  machine.pid = static_cast<pid_t>(pid);
  machine.cgroups = create_machine_cgroups(cgroup_name, machine.pid);
  if (::write(go[1], "g", 1) != 1) {
  }
  ::close(go[1]);
  return machine;
}

void remove_machine(const Machine& machine) {
  remove_machine_cgroups(machine.cgroups);
}

}  // namespace nixproc::testdriver
