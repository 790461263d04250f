#pragma once
// Enabling an rc.d script at boot, as the original's --enable-at-boot meant
// to: a link in $BSDRC_TARGET_DIR (default /usr/local/etc/rc.d), where
// FreeBSD's /etc/rc finds local scripts, and <rcvar>="YES" in $RC_CONF
// (default /etc/rc.conf), which rc.subr checks before a plain `start`.
#include <string>

namespace nixproc::bsdrc {

struct BootPlaces {
  std::string target_dir;  // $BSDRC_TARGET_DIR
  std::string rc_conf;     // $RC_CONF
};

BootPlaces boot_places();

// The line enable_at_boot adds to rc.conf.
std::string rc_conf_line(const std::string& rcvar);

// Links <target_dir>/<name> to `script` and adds the rcvar line (once).
void enable_at_boot(const BootPlaces& places, const std::string& name, const std::string& script,
                    const std::string& rcvar);

// Removes the link (when it is a link to `script`) and the rcvar line.
// Returns whether the link was there.
bool disable_at_boot(const BootPlaces& places, const std::string& name, const std::string& script,
                     const std::string& rcvar);

}  // namespace nixproc::bsdrc
