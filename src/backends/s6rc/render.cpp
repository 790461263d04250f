#include "backends/common/supervised.h"
#include "backends/s6rc/execline.h"
#include "backends/s6rc/info.h"
#include "backends/s6rc/layout.h"
#include "backends/s6rc/s6rc.h"
#include "model/fields.h"
#include "util/error.h"

namespace nixproc::s6rc {

namespace {

// s6-log reports readiness on this fd (s6-log -d3); so does a longrun that
// sets notificationFd itself.
constexpr int kLogNotificationFd = 3;

// The execline prefix of run and up (reference 3.7): the environment, stderr
// into stdout, initialize with the manager's privileges, umask, directory,
// then the user switch and nice, in front of the program.
std::string prefix(const RunSpec& spec, const std::string& initialize_file) {
  auto line = [](const std::vector<std::string>& words) {
    return execline_program(words[0]) + " " +
           execline_words(std::vector<std::string>(words.begin() + 1, words.end())) + "\n";
  };
  std::string script;
  for (const auto& [variable, value] : spec.environment)
    script += line({"export", variable, value});
  if (spec.stderr_to_stdout) script += line({"fdmove", "-c", "2", "1"});
  if (!initialize_file.empty())
    script += execline_program("if") + " { " + execline_quote(initialize_file) + " }\n";
  if (spec.umask) script += line({"execline-umask", *spec.umask});
  if (spec.directory) script += line({"execline-cd", *spec.directory});
  if (spec.effective_user) script += line({"s6-setuidgid", *spec.effective_user});
  if (spec.nice) script += line({"nice", "-n", *spec.nice});
  return script;
}

std::string command(const RunSpec& spec) {
  std::vector<std::string> words = {spec.process};
  words.insert(words.end(), spec.args.begin(), spec.args.end());
  return execline_words(words) + "\n";
}

// Stops a oneshot's daemon through the PID file it writes.
std::string down_script(const std::string& pid_file) {
  return execline_program("backtick") + " -n PID { " + execline_program("cat") + " " +
         execline_quote(pid_file) + " }\n" + execline_program("importas") + " -u PID PID\n" +
         execline_program("kill") + " $PID\n";
}

std::string log_run_script(const std::string& dir, bool change_user) {
  std::string script = execline_shebang();
  script += execline_program("if") + " { " + execline_program("mkdir") + " -p " +
            execline_quote(dir) + " }\n";
  if (change_user) {
    script += execline_program("if") + " { " + execline_program("chown") + " -R s6-log:s6-log " +
              execline_quote(dir) + " }\n";
    script += execline_program("s6-setuidgid") + " s6-log\n";
  }
  return script + execline_program("s6-log") + " -d" + std::to_string(kLogNotificationFd) + " " +
         execline_quote(dir) + "\n";
}

struct Definition {
  std::string dir;  // etc/s6/sv/<service>
  RenderedInstance* out;
  void file(const std::string& name, const std::string& content, bool executable = false) {
    out->files.push_back({dir + "/" + name, content, executable});
  }
  void value(const std::string& name, const std::optional<std::string>& text) {
    if (text) file(name, *text + "\n");
  }
  void flag(const std::string& name, bool set) {
    if (set) file(name, "");
  }
};

// A bundle (createServiceBundle): s6-rc starts and stops its contents
// together. The contents are other instances, and dependencies too, so they
// are defined and started first; a bundle has no dependencies file.
RenderedInstance render_bundle(const RenderInput& input, model::FieldReader& reader) {
  reader.ignore({"type", "name", "dependencies", "credentials", "serviceType"});
  std::vector<std::string> contents = reader.string_list("contents");
  reader.reject_unknown_fields();
  const std::string name = input.instance.name;
  std::string listed;
  for (const auto& member : contents) {
    bool depended_on = false;
    for (const auto& [key, info] : input.dependency_info)
      depended_on =
          depended_on || info_from_json<Info>(*info, instance_label(key)).service == member;
    if (!depended_on)
      reader.fail("contents", "\"" + member +
                                  "\" is not one of the bundle's dependencies (createServiceBundle "
                                  "makes its contents dependencies)");
    listed += member + "\n";
  }
  RenderedInstance rendered;
  Definition definition{std::string(kSourceDir) + "/" + name, &rendered};
  definition.file("type", "bundle\n");
  definition.file("contents", listed);
  rendered.info = info_json(Info{.service = name,
                                 .service_type = "bundle",
                                 .dependency_name = name,
                                 .supervised = std::nullopt,
                                 .live_dir = layout_for(input.context.dirs).live_dir,
                                 .user = std::nullopt});
  return rendered;
}

}  // namespace

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (s6-rc)");
  const std::string name = input.instance.name;
  const StateDirs& dirs = input.context.dirs;
  // The profile's bundle and s6-rc's own services own these names.
  if (name == kDefaultBundle || name.rfind("s6rc-", 0) == 0 || name.rfind("s6-rc-", 0) == 0)
    reader.fail("name", "\"" + name + "\" is reserved by s6-rc (default, s6rc-*, s6-rc-*)");
  RenderedInstance rendered;

  if (input.config.value("serviceType", json()) == "bundle") return render_bundle(input, reader);

  // Written directly (a native s6-rc-service) or made from the process.
  auto run = reader.optional_string("run");
  auto up = reader.optional_string("up");
  auto down = reader.optional_string("down");
  auto finish = reader.optional_string("finish");
  auto service_type = reader.optional_string("serviceType");
  auto notification_fd = reader.optional_scalar_text("notificationFd");
  auto timeout_kill = reader.optional_scalar_text("timeoutKill");
  auto timeout_finish = reader.optional_scalar_text("timeoutFinish");
  auto timeout_up = reader.optional_scalar_text("timeoutUp");
  auto timeout_down = reader.optional_scalar_text("timeoutDown");
  auto max_death_tally = reader.optional_scalar_text("maxDeathTally");
  auto down_signal = reader.optional_string("downSignal");
  bool essential = reader.boolean_or("flagEssential", false);
  bool nosetsid = reader.boolean_or("nosetsid", false);
  bool log_service = reader.boolean_or("autoGenerateLogService", true);

  std::optional<RunSpec> spec;
  if (!run && !up) {
    spec = read_run_spec(reader, input);
    spec->stderr_to_stdout = true;
  } else {
    reader.ignore({"type", "name", "dependencies", "credentials", "pidFile"});
  }
  reader.reject_unknown_fields();

  std::string type = service_type.value_or(spec && spec->is_daemon ? "oneshot"
                                           : up                    ? "oneshot"
                                                                   : "longrun");
  if (type != "longrun" && type != "oneshot")
    reader.fail("serviceType", "must be longrun or oneshot, not \"" + type + "\"");
  if (type == "longrun" && spec && spec->is_daemon)
    reader.fail("serviceType", "a daemon-only process runs as a oneshot (or give `run`)");
  if (type == "longrun" && !run && !spec)
    reader.fail("run", "missing: a longrun needs a run script");
  if (type == "oneshot" && !up && !spec) reader.fail("up", "missing: a oneshot needs up");
  bool logged = type == "longrun" && log_service;
  const std::string service = logged ? name + "-srv" : name;
  const std::string base = std::string(kSourceDir) + "/" + service;
  Definition definition{base, &rendered};

  std::string initialize_file;
  if (spec && !spec->initialize.empty()) {
    RenderedFile initialize{base + "/initialize", "#! /bin/sh -e\n" + spec->initialize + "\n",
                            true};
    initialize_file = stored_path(input.store, initialize);
    rendered.files.push_back(std::move(initialize));
  }
  definition.file("type", type + "\n");
  definition.flag("flag-essential", essential);
  if (type == "longrun") {
    if (!run) run = execline_shebang() + prefix(*spec, initialize_file) + command(*spec);
    definition.file("run", *run, true);
    if (finish) definition.file("finish", *finish, true);
    definition.value("notification-fd", notification_fd);
    definition.value("timeout-kill", timeout_kill);
    definition.value("timeout-finish", timeout_finish);
    definition.value("max-death-tally", max_death_tally);
    definition.value("down-signal", down_signal);
    definition.flag("nosetsid", nosetsid);
  } else {
    // up and down are execline text that s6-rc runs through execlineb.
    if (!up) up = prefix(*spec, initialize_file) + command(*spec);
    if (!down && spec && spec->pid_file) down = down_script(*spec->pid_file);
    definition.file("up", *up);
    if (down) definition.file("down", *down);
    definition.value("timeout-up", timeout_up);
    definition.value("timeout-down", timeout_down);
  }

  std::string dependencies;
  for (const auto& [key, info] : input.dependency_info)
    dependencies += info_from_json<Info>(*info, instance_label(key)).dependency_name + "\n";
  if (!dependencies.empty()) definition.file("dependencies", dependencies);

  if (logged) {
    definition.file("producer-for", name + "-log\n");
    Definition log{std::string(kSourceDir) + "/" + name + "-log", &rendered};
    bool change_user = !dirs.force_disable_user_change;
    log.file("type", "longrun\n");
    log.file("run", log_run_script(layout_for(dirs).log_dir + "/" + name, change_user), true);
    log.file("notification-fd", std::to_string(kLogNotificationFd) + "\n");
    log.file("consumer-for", service + "\n");
    log.file("pipeline-name", name + "\n");
  }

  rendered.info = info_json(Info{.service = name,
                                 .service_type = type,
                                 .dependency_name = service,
                                 .supervised = service,
                                 .live_dir = layout_for(dirs).live_dir,
                                 .user = spec ? spec->effective_user : std::nullopt});
  return rendered;
}

std::vector<RenderedFile> profile_files(const Context&, const std::vector<const json*>& infos) {
  std::string contents;
  for (const json* info : infos)
    contents += info_from_json<Info>(*info, "the default bundle").service.value_or("") + "\n";
  const std::string base = std::string(kSourceDir) + "/" + kDefaultBundle;
  return {{base + "/type", "bundle\n", false}, {base + "/contents", contents, false}};
}

}  // namespace nixproc::s6rc
