#include "backends/bsdrc/boot.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <sstream>

#include "util/error.h"
#include "util/fs.h"

namespace nixproc::bsdrc {

namespace {

// Instances start in parallel: rc.conf edits of one nixproc wait in turn.
std::mutex rc_conf_mutex;

std::string environment_or(const char* variable, const char* fallback) {
  const char* value = std::getenv(variable);
  return value && *value ? value : fallback;
}

// Rewrites rc.conf atomically with `edit` applied to its lines, keeping its
// mode; a missing file counts as empty.
template <typename Edit>
void edit_rc_conf(const std::string& rc_conf, Edit edit) {
  std::lock_guard<std::mutex> lock(rc_conf_mutex);
  std::string content;
  mode_t mode = 0644;
  struct stat info {};
  if (::stat(rc_conf.c_str(), &info) == 0) {
    content = fs::read_file(rc_conf);
    mode = info.st_mode & 07777;
  }
  std::vector<std::string> lines;
  std::istringstream stream(content);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  if (!edit(lines)) return;
  std::string updated;
  for (const auto& line : lines) updated += line + "\n";
  fs::write_file_atomic(rc_conf, updated, mode);
}

}  // namespace

BootPlaces boot_places() {
  return {environment_or("BSDRC_TARGET_DIR", "/usr/local/etc/rc.d"),
          environment_or("RC_CONF", "/etc/rc.conf")};
}

std::string rc_conf_line(const std::string& rcvar) {
  return rcvar + "=\"YES\"";
}

void enable_at_boot(const BootPlaces& places, const std::string& name, const std::string& script,
                    const std::string& rcvar) {
  std::string link = places.target_dir + "/" + name;
  if (fs::lexists(link) && !fs::is_symlink(link))
    throw Error(link + " exists and is not a link nixproc made; not replacing it");
  fs::make_directories(places.target_dir);
  fs::replace_symlink(script, link);
  std::string wanted = rc_conf_line(rcvar);
  edit_rc_conf(places.rc_conf, [&](std::vector<std::string>& lines) {
    for (const auto& line : lines)
      if (line == wanted) return false;
    lines.push_back(wanted);
    return true;
  });
}

bool disable_at_boot(const BootPlaces& places, const std::string& name, const std::string& script,
                     const std::string& rcvar) {
  std::string link = places.target_dir + "/" + name;
  bool linked = fs::is_symlink(link) && fs::read_link(link) == script;
  if (linked && ::unlink(link.c_str()) != 0)
    throw Error("cannot remove " + link + ": " + fs::errno_text());
  std::string unwanted = rc_conf_line(rcvar);
  if (fs::exists(places.rc_conf))
    edit_rc_conf(places.rc_conf, [&](std::vector<std::string>& lines) {
      auto before = lines.size();
      std::erase(lines, unwanted);
      return lines.size() != before;
    });
  return linked;
}

}  // namespace nixproc::bsdrc
