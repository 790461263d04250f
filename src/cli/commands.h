#pragma once
// The subcommands of `nixproc`; each registers itself on the app and sets
// `action` when it is the one the user chose.
#include <functional>

#include <CLI/CLI.hpp>

namespace nixproc::cli {

using Action = std::function<int()>;

void register_build(CLI::App& app, Action& action);
void register_switch(CLI::App& app, Action& action);
void register_activities(CLI::App& app,
                         Action& action);  // start stop restart reload status runactivity
void register_init_state(CLI::App& app, Action& action);
void register_gc(CLI::App& app, Action& action);
void register_data_dir(CLI::App& app, Action& action);
void register_stateless(CLI::App& app, Action& action);  // supervisord-stateless
void register_s6_svscan(CLI::App& app, Action& action);
void register_generate_config(CLI::App& app, Action& action);
void register_id_assign(CLI::App& app, Action& action);
void register_visualize(CLI::App& app, Action& action);
void register_disnix_export(CLI::App& app, Action& action);
void register_compat(CLI::App& app, Action& action);          // compat gen-pkgs, compat link
void register_compat_link(CLI::App& compat, Action& action);  // compat link
void register_image(CLI::App& app, Action& action);           // image, container-init
void register_test(CLI::App& app, Action& action);

}  // namespace nixproc::cli
