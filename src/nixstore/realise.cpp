#include "nixstore/realise.h"

#include <algorithm>
#include <regex>

#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/lock.h"
#include "util/log.h"
#include "util/quote.h"
#include "util/subprocess.h"
#include "util/timer.h"

namespace nixproc {

static const char* const kCompleteMarker = ".complete";

std::vector<std::string> realise_arguments(const std::string& path, bool is_path, bool all_outputs,
                                           const std::vector<std::string>& outputs) {
  std::vector<std::string> arguments;
  if (is_path) arguments.push_back(path);
  if (all_outputs) {
    arguments.push_back(path);
  } else if (!outputs.empty()) {
    std::string argument = path + "!";
    for (size_t i = 0; i < outputs.size(); ++i) argument += (i ? "," : "") + outputs[i];
    arguments.push_back(argument);
  }
  return arguments;
}

// A set realised before: its roots are complete and still point at paths.
static bool still_rooted(const std::string& dir) {
  if (!fs::exists(dir + "/" + kCompleteMarker)) return false;
  for (const auto& name : fs::list_directory(dir))
    if (name[0] != '.' && !fs::exists(dir + "/" + name)) return false;
  return true;
}

// The derivations Nix's error output says failed: their builder failed, or
// one of their dependencies did (not every one it mentions: "building '...'"
// and the closing "build of '...', '...' failed" name the good ones too).
static std::vector<std::string> derivations_named(const std::string& text) {
  static const std::regex quoted(
      "(?:builder for|dependencies of derivation|cannot build derivation) '(/[^' ]+\\.drv)'");
  std::vector<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), quoted);
       it != std::sregex_iterator(); ++it)
    found.push_back((*it)[1]);
  return found;
}

static std::string drv_of(const std::string& argument) {
  return argument.substr(0, argument.find('!'));
}

// "the software of instance(s) ..." whose derivations failed, for the error message.
static std::string failed_instances(const NixNeeds& needs, const std::string& nix_error) {
  std::set<std::string> failed;
  for (const auto& drv : derivations_named(nix_error)) failed.insert(drv);
  std::vector<std::string> keys;
  for (const auto& [key, arguments] : needs)
    for (const auto& argument : arguments)
      if (failed.count(drv_of(argument))) {
        keys.push_back(key);
        break;
      }
  if (keys.empty()) return "the model's software";
  std::string what = keys.size() == 1 ? "the software of instance " : "the software of instances ";
  for (size_t i = 0; i < keys.size(); ++i) what += (i ? ", " : "") + keys[i];
  return what;
}

// Nix's errors (and their indented continuation: the failed build's last
// log lines), without the progress and download retries around them.
static std::string nix_errors(const std::string& text, const NixStore& store) {
  std::string errors;
  bool in_error = false;
  for (size_t start = 0, end; start < text.size(); start = end + 1) {
    end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (line.rfind("error:", 0) == 0)
      in_error = true;
    else if (line.empty() || (line[0] != ' ' && line[0] != '\t'))
      in_error = false;
    // Nix's hint names the new CLI and the default store; ours follows.
    if (in_error && line.find("For full logs, run") == std::string::npos) errors += line + "\n";
  }
  if (errors.empty()) return text;
  std::string store_option = store.uri.empty() ? "" : " --store '" + store.uri + "'";
  return errors + "(a build's whole log: nix-store" + store_option + " --read-log DRV)";
}

RealisedSoftware realise_software(const NixStore& store, const NixNeeds& needs,
                                  const std::string& roots_dir, int timeout_seconds) {
  std::set<std::string> all;
  for (const auto& [key, arguments] : needs) all.insert(arguments.begin(), arguments.end());
  RealisedSoftware software;
  if (all.empty()) return software;
  // A model can print trace lines of its own: only paths of this store go
  // to nix-store (never an option, never a path elsewhere).
  for (const auto& argument : all)
    if (argument.rfind(store.store_dir + "/", 0) != 0 ||
        argument.find_first_of(" \n") != std::string::npos)
      throw Error("the model refers to " + quote(argument, 200) + ", which is not a path in " +
                  store.description + " (was it evaluated against another store?)");

  std::string listing = store.uri + "\n";
  for (const auto& argument : all) listing += argument + "\n";
  software.roots = sha256_hex(listing).substr(0, 32);
  std::string dir = roots_dir + "/" + software.roots;
  // Two builds of one home realising the same set would share its roots dir.
  FileLock lock(roots_dir + "/.lock", true, "another build");
  if (still_rooted(dir)) {
    std::string marker = fs::read_file(dir + "/" + kCompleteMarker);
    for (size_t start = 0, end; start < marker.size(); start = end + 1) {
      end = marker.find('\n', start);
      if (end == std::string::npos) end = marker.size();
      if (end > start) software.paths.push_back(marker.substr(start, end - start));
    }
    return software;
  }

  log::info("building the software of " + std::to_string(needs.size()) +
            (needs.size() == 1 ? " instance" : " instances") + " in " + store.description);
  PhaseTimer timer("realise " + std::to_string(all.size()) + " store paths in " +
                   store.description);
  if (fs::lexists(dir)) fs::remove_tree(dir);
  fs::make_directories(dir, 0755);
  std::vector<std::string> argv = {"nix-store"};
  for (const auto& option : nix_store_options(store)) argv.push_back(option);
  // The builders run with the host's tools (there may be no nixpkgs), so
  // without Nix's sandbox; --keep-going reports every failure at once.
  // Independent builds run side by side, one per core. -Q: a build's output
  // only in its error (the last lines), not every build's progress.
  argv.insert(argv.end(), {"-Q", "--option", "sandbox", "false", "--max-jobs", "auto",
                           "--keep-going", "--realise", "--add-root", dir + "/root"});
  argv.insert(argv.end(), all.begin(), all.end());
  SpawnOptions options = capturing();
  options.timeout_seconds = timeout_seconds;
  RunResult result;
  try {
    result = run(argv, options);
  } catch (const Error& error) {
    fs::remove_tree(dir);
    throw Error(std::string(error.what()) +
                " (building a model's software needs nix-store: apt-get install nix-bin)");
  }
  if (!result.ok()) {
    fs::remove_tree(dir);
    std::string what = failed_instances(needs, result.err);
    if (result.timed_out)
      throw Error("cannot build " + what + " in " + store.description +
                  ": the build took longer than " + std::to_string(timeout_seconds) +
                  " s and was stopped");
    throw Error("cannot build " + what + " in " + store.description + " (nothing was deployed):\n" +
                (result.err.empty() ? result.describe() : nix_errors(result.err, store)));
  }
  // With --add-root nix-store prints the roots; what they keep is their target.
  std::string marker;
  for (const auto& name : fs::list_directory(dir))
    if (name[0] != '.') software.paths.push_back(fs::read_link(dir + "/" + name));
  std::sort(software.paths.begin(), software.paths.end());
  for (const auto& path : software.paths) marker += path + "\n";
  fs::write_file_atomic(dir + "/" + kCompleteMarker, marker);
  return software;
}

std::string nix_roots_file_text(const RealisedSoftware& software) {
  std::string text = software.roots + "\n";
  for (const auto& path : software.paths) text += path + "\n";
  return text;
}

std::vector<std::string> nix_roots_paths(const std::string& text) {
  std::vector<std::string> paths;
  size_t start = text.find('\n');  // the first line names the roots set
  while (start != std::string::npos && start + 1 < text.size()) {
    size_t end = text.find('\n', start + 1);
    std::string line = text.substr(start + 1, end == std::string::npos ? end : end - start - 1);
    if (!line.empty()) paths.push_back(line);
    start = end;
  }
  return paths;
}

std::string profile_nix_roots(const std::string& profile_path) {
  std::string file = profile_path + "/" + kNixRootsFile;
  if (!fs::exists(file)) return "";
  std::string text = fs::read_file(file);
  return text.substr(0, text.find('\n'));
}

std::vector<std::string> release_nix_roots(const std::string& roots_dir,
                                           const std::set<std::string>& keep, bool dry_run) {
  std::vector<std::string> released;
  if (!fs::is_directory(roots_dir)) return released;
  for (const auto& name : fs::list_directory(roots_dir)) {
    if (keep.count(name) || name[0] == '.') continue;
    released.push_back(roots_dir + "/" + name);
    if (!dry_run) fs::remove_tree(roots_dir + "/" + name);
  }
  return released;
}

}  // namespace nixproc
