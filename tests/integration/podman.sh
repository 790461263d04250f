# Sourced instead of lib.sh by the tests that run podman: podman keeps its
# storage, configuration and caches in the test dir, so nothing reaches the
# machine's, and the cleanup removes every container and image.
# podman keeps a blob info cache in /var/lib/containers/cache whatever its
# storage says: as root, the test runs in a private mount namespace and
# gives it a directory of its own there.
if [ "$(id -u)" = 0 ] && [ -z "${NIXPROC_DOCKER_TEST_NS:-}" ] && command -v podman >/dev/null &&
  unshare --mount --propagation private true 2>/dev/null; then
  NIXPROC_DOCKER_TEST_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
command -v podman >/dev/null || { echo "podman is not installed"; exit 77; }

PODMAN_DIR=$TEST_DIR/podman
mkdir -p "$PODMAN_DIR/tmp"
# runc: crun cannot create containers under some cgroup setups; no default
# ulimits: raising them fails in unprivileged or nested environments.
cat >"$PODMAN_DIR/containers.conf" <<CONF
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$PODMAN_DIR/tmp"
CONF
cat >"$PODMAN_DIR/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$PODMAN_DIR/storage"
runroot = "$PODMAN_DIR/run"
CONF
export CONTAINERS_CONF=$PODMAN_DIR/containers.conf
export CONTAINERS_STORAGE_CONF=$PODMAN_DIR/storage.conf
export TMPDIR=$PODMAN_DIR/tmp  # where skopeo and podman unpack archives
made_cache_dir=
if [ -n "${NIXPROC_DOCKER_TEST_NS:-}" ]; then
  [ -d /var/lib/containers ] || { mkdir /var/lib/containers && made_cache_dir=1; }
  mkdir -p "$PODMAN_DIR/cache"
  mount --bind "$PODMAN_DIR/cache" /var/lib/containers
else  # rootless podman keeps it below XDG_DATA_HOME
  export XDG_DATA_HOME=$PODMAN_DIR/data
fi

podman_cleanup() {
  podman stop --all --time 1 >/dev/null 2>&1
  podman rm --all --force >/dev/null 2>&1
  podman rmi --all --force >/dev/null 2>&1
  # Whatever podman left mounted below the test dir (container shm).
  grep -o " $PODMAN_DIR[^ ]*" /proc/self/mounts 2>/dev/null | sort -r |
    while read -r mount; do umount -l "$mount" 2>/dev/null; done
  if [ -n "${NIXPROC_DOCKER_TEST_NS:-}" ]; then
    umount /var/lib/containers 2>/dev/null
    [ -z "$made_cache_dir" ] || rmdir /var/lib/containers
  fi
}
trap 'podman_cleanup; cleanup' EXIT

if ! podman info >/dev/null 2>"$TEST_DIR/podman-info.err"; then
  cat "$TEST_DIR/podman-info.err" >&2
  fail "podman works here"
  finish
fi

