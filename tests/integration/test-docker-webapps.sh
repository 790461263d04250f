#!/bin/bash
# The example system deployed as containers with podman as the docker
# command: one container per process on the host network, the state dir
# shared, nginx routing to the webapp. Checks that an upgrade recreates only
# the changed container, rollback, activities, the undeploy removing every
# container and image, and (as root) users created inside the containers.
# podman keeps its storage in the test dir, so nothing reaches the machine's
# (podman.sh).
. "$(dirname "$0")/podman.sh"

PM=docker
switch() { nixproc switch -P docker --docker-command podman --state-dir "$STATE" "$@"; }
forced() { switch --force-disable-user-change "$@"; }
container_id() { podman container inspect --format '{{.Id}} {{.State.StartedAt}}' "nixproc-$1"; }
containers() { podman ps --all --format '{{.Names}}' | sort | tr '\n' ' '; }
images() { podman images --format '{{.Repository}}' | sort | tr '\n' ' '; }

W=$(free_port) N=$(free_port) N2=$(free_port)
ids() {  # ids NGINX_PORT [WEBAPP_MODE]
  echo "{${2:+\"webappMode\": \"$2\", }\"ids\": {\"webappPorts\": {\"webapp\": $W}, \"nginxPorts\": {\"nginx\": $1}}}"
}
MODEL=$EXAMPLES/webapps-agnostic/processes.nix

# --- deploy: a container per process, nginx routes to the webapp
check "deploy processes.nix in containers" forced --extra-params "$(ids "$N")" "$MODEL"
wait_for_port "$N" 30
check_contains "nginx in its container routes webapp.local to the webapp" \
  "$(http_get "$N" webapp.local)" "listening on port: $W"
check_equal "one container per process" "$(containers)" "nixproc-nginx nixproc-webapp "
check_equal "one image per process" "$(images)" "localhost/nginx localhost/webapp "
check "status reports everything running" nixproc status --docker-command podman
# Activities name the docker command too: the option, or the environment.
if ! command -v docker >/dev/null; then
  check_fails "without it, status tries docker" nixproc status
fi
export NIXPROC_DOCKER_COMMAND=podman
pid=$(status_pid webapp)
check "status gives the webapp's host PID" test -n "$pid" -a -d "/proc/$pid"
check_contains "the host PID is the webapp" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" webapp
check "the webapp runs as the container's root" \
  test "$(podman exec nixproc-webapp stat -c %U /proc/1)" = root
check "nginx wrote its logs into the shared state dir" test -f "$STATE/nginx/logs/error.log"
check_contains "the container shares the host network" \
  "$(podman container inspect --format '{{.HostConfig.NetworkMode}}' nixproc-webapp)" host

# --- an upgrade with one change recreates exactly that container
declare -A before
for name in webapp nginx; do before[$name]=$(container_id "$name"); done
check "switch with nginx on another port" forced --extra-params "$(ids "$N2")" "$MODEL"
wait_for_port "$N2" 30
check_contains "nginx answers on its new port" "$(http_get "$N2" webapp.local)" "listening on port: $W"
check "the old nginx port is closed" port_closed "$N"
check_equal "the webapp container was kept, running" "$(container_id webapp)" "${before[webapp]}"
check "the nginx container was recreated" test "$(container_id nginx)" != "${before[nginx]}"

# --- rollback
check "rollback" forced --rollback
wait_for_port "$N" 30
check_contains "nginx is back on its first port" "$(http_get "$N" webapp.local)" "listening on port: $W"
check_equal "the webapp container survived the rollback" "$(container_id webapp)" "${before[webapp]}"
check_equal "three generations" "$(switch --list-generations | wc -l)" 3

# --- activities: stop keeps the container, start runs it again
check "stop the webapp" nixproc stop webapp
check "the webapp is down" port_closed "$W"
check_contains "status names the stopped container" "$(nixproc status webapp)" "stopped"
check_equal "the stopped container is kept" "$(containers)" "nixproc-nginx nixproc-webapp "
check "start the webapp" nixproc start webapp
wait_for_port "$W" 30
check_contains "the webapp answers again" "$(http_get "$N" webapp.local)" "listening on port: $W"

# --- a container of another generation or made by hand is replaced on start
podman rm --force nixproc-webapp >/dev/null
podman create --name nixproc-webapp --network host webapp:latest >/dev/null
check "start replaces a foreign container" nixproc start webapp
wait_for_port "$W" 30
check "the container is this generation's" \
  test -n "$(podman container inspect --format '{{index .Config.Labels "nixproc.container"}}' nixproc-webapp)"
check_contains "the webapp answers from it" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "switch with nginx on another port again" forced --extra-params "$(ids "$N2")" "$MODEL"
wait_for_port "$N2" 30

# --- undeploy removes every container and image
check "undeploy" forced --undeploy
check_equal "no nixproc container is left" "$(containers)" ""
check_equal "no image is left" "$(images)" ""
check "the ports are closed" port_closed "$N2"

# --- as root: users and groups made inside the containers, never on the host
if [ "$(id -u)" = 0 ]; then
  host_users=$(getent passwd | wc -l)
  check "deploy with user switching" switch --extra-params "$(ids "$N")" "$MODEL"
  wait_for_port "$N" 30
  check_contains "nginx routes to the webapp" "$(http_get "$N" webapp.local)" "listening on port: $W"
  check "the webapp runs as its own user in its container" \
    test "$(podman exec nixproc-webapp stat -c %U /proc/1)" = webapp
  check "the container has the user" podman exec nixproc-webapp getent passwd webapp
  check_equal "no user was added on the host" "$(getent passwd | wc -l)" "$host_users"
  check "switch the webapp to daemon mode (the foreground proxy)" \
    switch --extra-params "$(ids "$N" daemon)" "$MODEL"
  wait_for_port "$W" 30
  check_contains "the daemon answers" "$(http_get "$N" webapp.local)" "listening on port: $W"
  check "the daemon runs as its user" \
    podman exec nixproc-webapp sh -c 'ps -o user= -C webapp | grep -qx webapp'
  check "undeploy" switch --undeploy
  check_equal "no nixproc container is left" "$(containers)" ""
fi
check_equal "no process is left" "$(test_processes | wc -l)" 0
finish
