#pragma once
// Building a model through the real build step into a temporary store, with
// a runtime whose tools only record how they were called: every argument
// NUL-terminated into $RECORD, then the environment into $RECORD.env.
#include <algorithm>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "deploy/build.h"
#include "test_support.h"
#include "util/subprocess.h"

namespace nixproc::testing {

// A built profile, with the accessors every backend's tests use; a backend's
// tests derive from it for accessors of their own (a unit, a plist).
struct Built {
  BuildOutput output;
  std::string store = {};  // the store's directory
  const ManifestInstance& instance(const std::string& key) const {
    return *output.manifest.find(key);
  }
  std::string file(const std::string& key, const std::string& path) const {
    return fs::read_file(instance(key).files.at(path));
  }
  std::string profile(const std::string& path) const { return output.profile_path + "/" + path; }
};

// The recorder writes its argv (NUL-separated) to $RECORD, its environment
// to $RECORD.env and its working directory to $RECORD.cwd.
inline void write_recorders(const std::string& bin, std::initializer_list<const char*> tools) {
  fs::make_directories(bin);
  std::string recorder =
      "#!/bin/bash\nprintf '%s\\0' \"$0\" \"$@\" > \"$RECORD\"\nenv -0 > \"$RECORD.env\"\n"
      "pwd > \"$RECORD.cwd\"\n";
  for (const char* tool : tools) fs::write_file_atomic(bin + "/" + tool, recorder, 0755);
}

// The recorder of a recording runtime in `dir`.
inline std::string recorder(const TempDir& dir) {
  return dir / "runtime/bin/recorder";
}

// A runtime (the tools a profile's scripts call) made of recorders, with
// init-functions whose start_daemon records the program it would start.
inline void write_recording_runtime(const std::string& runtime) {
  write_recorders(runtime + "/bin", {"nixproc-daemon", "nixproc-chainload-user", "nixproc-pidof",
                                     "nixproc-foreground-proxy", "recorder"});
  fs::make_directories(runtime + "/share");
  fs::write_file_atomic(runtime + "/share/init-functions",
                        "log_info_msg() { :; }\nevaluate_retval() { return $?; }\n"
                        "pidofproc() { return 3; }\n"
                        "start_daemon() { while [ \"${1#-}\" != \"$1\" ]; do case $1 in -f) "
                        "shift;; *) shift 2;; esac; done; "
                        "printf '%s\\0' \"$@\" > \"$RECORD\"; env -0 > \"$RECORD.env\"; }\n",
                        0644);
}

// State dirs below `state_dir` instead of the test context's.
inline void use_state_dir(Context& context, const std::string& state_dir, bool force) {
  context.dirs =
      StateDirs::from_params({{"stateDir", state_dir}, {"forceDisableUserChange", force}});
}

// Builds `document` for `pm` into dir/store with the test context; `prepare`
// adjusts the context first (runtime, state dirs, recorders) as a backend's
// tests need.
inline BuildOutput build_output(const TempDir& dir, const json& document, const std::string& pm,
                                bool force_disable_user_change = true,
                                const std::function<void(Context&)>& prepare = {}) {
  model::LoadedModel loaded;
  loaded.evaluated = document;
  loaded.model = parse(document);
  Context context = test_context(dir.path(), force_disable_user_change);
  context.process_manager = pm;
  if (prepare) prepare(context);
  Store store(dir / "store");
  fs::make_directories(store.dir());
  return build_profile(loaded, find_backend(pm), context, store);
}

// How build_with prepares the context.
struct BuildOptions {
  bool force_disable_user_change = true;
  // A runtime of recorders in dir/runtime (write_recording_runtime); without
  // it the test context's runtime path, which nothing runs.
  bool recording_runtime = true;
  // State dirs below this instead of below dir/var.
  std::string state_dir = {};
  // The installation's libexec dir is dir/libexec.
  bool libexec_dir = false;
  // Anything else, after the above.
  std::function<void(Context&)> prepare = {};
};

inline Built build_with(const TempDir& dir, const json& document, const std::string& pm,
                        const BuildOptions& options) {
  bool force = options.force_disable_user_change;
  return {build_output(dir, document, pm, force,
                       [&](Context& context) {
                         if (!options.state_dir.empty())
                           use_state_dir(context, options.state_dir, force);
                         if (options.recording_runtime) {
                           context.runtime = dir / "runtime";
                           write_recording_runtime(context.runtime);
                         }
                         if (options.libexec_dir)
                           context.installation.libexec_dir = dir / "libexec";
                         if (options.prepare) options.prepare(context);
                       }),
          dir / "store"};
}

inline Built build_with(const TempDir& dir, const json& document, const std::string& pm,
                        bool force_disable_user_change = true) {
  return build_with(dir, document, pm,
                    BuildOptions{.force_disable_user_change = force_disable_user_change});
}

// The model most render tests start from: webapp, a process that runs in the
// foreground or daemonises with -D, and nginx, which depends on it. A
// backend's tests add what they look at.
inline json webapps(bool with_user) {
  json webapp = {{"instanceName", "webapp"},
                 {"description", "Simple web application"},
                 {"process", "/opt/bin/webapp"},
                 {"daemonExtraArgs", {"-D"}},
                 {"environment", {{"PORT", 5000}}}};
  if (with_user) webapp["user"] = "webapp";
  return {{"webapp", {{"pkg", webapp}}},
          {"nginx",
           {{"pkg",
             {{"instanceName", "nginx"},
              {"process", "/usr/sbin/nginx"},
              {"foregroundProcessExtraArgs", {"-g", "daemon off;"}},
              {"dependencies", {"webapp"}}}}}}};
}

// Makes a process of both forms one of just `form` ("daemon" or
// "foregroundProcess"): `process` and the form's extra args become the
// form's program and args; the other form's extra args go.
inline void only_form(json& pkg, const std::string& form) {
  bool daemon = form == "daemon";
  std::string extra = daemon ? "daemonExtraArgs" : "foregroundProcessExtraArgs";
  pkg[form] = pkg["process"];
  if (pkg.contains(extra)) pkg[daemon ? "daemonArgs" : "foregroundProcessArgs"] = pkg[extra];
  for (const char* key : {"process", "daemonExtraArgs", "foregroundProcessExtraArgs"})
    pkg.erase(key);
}

// The parts of `text` between `separator`s (a last one ends the last part).
inline std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// What a recorder wrote: NUL-terminated arguments or environment entries.
inline std::vector<std::string> split_nul(const std::string& text) {
  return split(text, '\0');
}

// Every hostile string, as a model's args.
inline json hostile_args() {
  return hostile_strings();
}

// Every hostile string, as a model's environment: V<i> is the i-th.
inline json hostile_environment() {
  json environment = json::object();
  for (size_t i = 0; i < hostile_strings().size(); ++i)
    environment["V" + std::to_string(i)] = hostile_strings()[i];
  return environment;
}

// Every hostile string reaches the process's argv and environment unchanged
// when the profile's `script_path` runs (sysvinit's with `start`).
inline void expect_hostile_round_trip(const TempDir& dir, const std::string& pm,
                                      const std::string& script_path, bool foreground) {
  json args = hostile_args();
  json env = hostile_environment();
  json pkg = {{"instanceName", "h"},
              {"args", args},
              {"environment", env},
              {"description", "desc with 'quotes' and\nnewline $x"}};
  std::string program = dir / "runtime/bin/recorder";
  pkg[foreground ? "foregroundProcess" : "daemon"] = program;
  Built built = build_with(dir, {{"h", {{"pkg", pkg}}}}, pm);
  std::string script = built.output.profile_path + "/" + script_path;
  std::string record = dir / "record";
  SpawnOptions options = capturing();
  options.environment = {"RECORD=" + record};
  std::vector<std::string> argv = {script};
  if (pm == "sysvinit") argv.push_back("start");
  RunResult result = run(argv, options);
  ASSERT_TRUE(result.ok()) << result.err << result.out;
  auto recorded = split_nul(fs::read_file(record));
  auto position = std::find(recorded.begin(), recorded.end(), program);
  ASSERT_NE(position, recorded.end());
  EXPECT_EQ(std::vector<std::string>(position + 1, recorded.end()), hostile_strings());
  auto environment = split_nul(fs::read_file(record + ".env"));
  for (size_t i = 0; i < hostile_strings().size(); ++i)
    EXPECT_NE(std::find(environment.begin(), environment.end(),
                        "V" + std::to_string(i) + "=" + hostile_strings()[i]),
              environment.end())
        << "V" << i;
}

// Both modes (foreground, then daemon), each in a directory of its own.
inline void expect_hostile_round_trips(const std::string& pm, const std::string& script_path) {
  for (bool foreground : {true, false}) {
    TempDir dir;
    expect_hostile_round_trip(dir, pm, script_path, foreground);
  }
}

}  // namespace nixproc::testing
