#include "export/disnix_models.h"

#include "backends/placement.h"
#include "util/nix_syntax.h"

namespace nixproc::disnix_export {

static const char* kMachine = "localhost";

static std::string header(const ExportInput& input, const std::string& what) {
  return "# " + what + " of the processes model " + nix_string(input.model_path) +
         ",\n# written by `nixproc disnix-export`.\n";
}

static const char* kActivatesAfterNote =
    "# Dependencies are activatesAfter: in a processes model they only order the\n"
    "# activation on this machine, and every pkg is already a complete config, so\n"
    "# no service needs its dependencies passed in.\n";

static const char* kDependsOnNote =
    "# Dependencies are dependsOn (written with --depends-on), so Disnix calls each\n"
    "# pkg with its inter-dependencies. A processes model's pkg is already a\n"
    "# complete config: the function ignores its argument.\n";

// How the services model gets the processes model's instances.
static std::string processes_expression(const ExportInput& input) {
  std::string path = "(/. + " + nix_string(input.model_path) + ")";
  if (model::is_json_model(input.model_path))
    return "  # A JSON model is the evaluated form: it takes no parameters.\n"
           "  processes = builtins.fromJSON (builtins.readFile " +
           path + ");\n";
  std::string extra = input.params.nix_extra_params.empty()
                          ? ""
                          : "    // (" + input.params.nix_extra_params + ")\n";
  if (!input.ids_file.empty()) {
    std::string ids_path = "(/. + " + nix_string(input.ids_file) + ")";
    std::string read = model::is_json_model(input.ids_file)
                           ? "builtins.fromJSON (builtins.readFile " + ids_path + ")"
                           : "import " + ids_path;
    extra = "    // { ids = (" + read + ").ids or { }; }\n" + extra;
  }
  return "  # The parameters nixproc passes the model when it evaluates it; the model\n"
         "  # gets the ones it declares.\n"
         "  params = { inherit system; }\n    // " +
         nix_value(input.params.params, 4) + "\n" + extra +
         "    // (if pkgs == null then { } else { inherit pkgs; });\n"
         "  model = import " +
         path +
         ";\n"
         "  processes =\n"
         "    if builtins.isFunction model\n"
         "    then model (builtins.intersectAttrs (builtins.functionArgs model) params)\n"
         "    else model;\n";
}

static std::string service(const model::Instance& instance, const ExportInput& input) {
  std::string key = nix_attr_name(instance.key);
  std::string dependencies;
  for (const auto& dependency : instance.dependencies)
    dependencies += " " + nix_attr_name(dependency);
  std::string out = "    " + key + " = processes." + key + " // {\n";
  out += "      name = " + nix_string(instance.key) + ";\n";
  out += "      type = " + nix_string(place_instance(instance, input.process_manager).type) + ";\n";
  if (input.depends_on) {
    out += "      pkg = interDependencies: processes." + key + ".pkg;\n";
    out += "      dependsOn = {";
  } else {
    out += "      activatesAfter = {";
  }
  out += dependencies.empty() ? " };\n" : " inherit (self)" + dependencies + "; };\n";
  return out + "    };\n";
}

static std::string services_model(const model::Model& model, const ExportInput& input) {
  std::string out = header(input, "The Disnix services model");
  out +=
      "#\n# Its pkg values come from nixproc's Nix library: evaluate it with\n"
      "#   -I nixproc=$(nixproc data-dir)\n#\n";
  out += input.depends_on ? kDependsOnNote : kActivatesAfterNote;
  out +=
      "{ system ? builtins.currentSystem, pkgs ? null, distribution ? null, invDistribution ? null "
      "}:\n\n";
  out += "let\n" + processes_expression(input) + "\n";
  out += "  # One service per instance; `self` lets services refer to each other.\n";
  out += "  self = {\n";
  for (const auto& instance : model.instances) out += service(instance, input);
  out += "  };\nin\nself\n";
  return out;
}

static std::string infrastructure_model(const ExportInput& input) {
  nlohmann::json machines = {{kMachine, {{"properties", {{"hostname", kMachine}}}}}};
  return header(input, "The Disnix infrastructure model") +
         "# A processes model deploys to one machine: this one.\n" + nix_value(machines) + "\n";
}

static std::string distribution_model(const model::Model& model, const ExportInput& input) {
  std::string out = header(input, "The Disnix distribution model");
  out += "# Every service runs on the one machine.\n{ infrastructure }:\n\n{\n";
  for (const auto& instance : model.instances)
    out += "  " + nix_attr_name(instance.key) + " = [ infrastructure." + kMachine + " ];\n";
  return out + "}\n";
}

DisnixModels disnix_models(const model::Model& model, const ExportInput& input) {
  return {services_model(model, input), infrastructure_model(input),
          distribution_model(model, input)};
}

}  // namespace nixproc::disnix_export
