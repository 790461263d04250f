#pragma once
// Profiles and their generations, laid out as Nix does it:
// <profiles>/<name> -> <name>-<N>-link -> <store path of the profile tree>.
// Switching generations renames one symlink, so it is atomic.
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace nixproc {

struct Generation {
  int number = 0;
  std::string link;    // <profiles>/<name>-<N>-link
  std::string target;  // the store path it points at
  std::time_t time = 0;
};

class Profile {
 public:
  // Throws for names that are not plain file names.
  Profile(std::string profiles_dir, std::string name);

  const std::string& name() const { return name_; }
  std::string link() const { return dir_ + "/" + name_; }
  std::string lock_file() const { return dir_ + "/." + name_ + ".lock"; }
  std::string journal_file() const { return dir_ + "/." + name_ + ".switch"; }
  // The users and groups switches of this profile created (JSON).
  std::string accounts_file() const { return dir_ + "/." + name_ + ".accounts"; }

  std::vector<Generation> generations() const;  // oldest first
  std::optional<Generation> current() const;

  // Makes `store_path` the current generation: a new one, unless the current
  // generation points there already. Returns the generation number.
  int set(const std::string& store_path);
  void switch_to(int number);

  // `spec`: generation numbers, "old" (all but the current one), "<N>d" (older
  // than N days) or "+<N>" (keep the newest N). The current one is never
  // deleted. Returns the deleted numbers.
  std::vector<int> delete_generations(const std::vector<std::string>& spec);
  // Removes every generation and the profile link itself.
  void delete_all();

 private:
  std::string generation_link(int number) const;
  std::string dir_, name_;
};

}  // namespace nixproc
