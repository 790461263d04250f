#pragma once
// nixproc container-init: the first process (PID 1) of an image from
// `nixproc image`. It creates the deployed profile's accounts, runs
// `nixproc start` (every instance in dependency order, the process manager
// first), reaps every orphan as an init must, and on TERM, INT or HUP runs
// `nixproc stop` (reverse order), then ends what is left in the container
// and exits.
#include <CLI/CLI.hpp>
#include <functional>

namespace nixproc::image {

struct ContainerInitOptions {
  int stop_timeout = 10;  // seconds each process gets after TERM
};

int container_init(const ContainerInitOptions& options);

void register_container_init(CLI::App& app, std::function<int()>& action);

}  // namespace nixproc::image
