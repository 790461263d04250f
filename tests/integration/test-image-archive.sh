#!/bin/bash
# The docker-archive writer against the real readers: skopeo inspects what
# nixproc-test-write-image writes (the host's sh and stat, a script, /tmp and
# an owned file), podman loads it and runs a container from it that prints the
# expected text and shows /tmp's and the file's modes and owners; two writes
# are the same bytes. podman keeps everything in the test dir (podman.sh).
. "$(dirname "$0")/podman.sh"
command -v skopeo >/dev/null || { echo "skopeo is not installed"; exit 77; }

# json_field FILE EXPRESSION: a Python expression over the JSON document `d`.
json_field() {
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

ARCHIVE=$TEST_DIR/image.tar
TAG=nixproc-archive-test:1
check "write the test image" nixproc-test-write-image "$ARCHIVE" "$TAG"
check_equal "only the archive is left in its directory" \
  "$(find "$TEST_DIR" -maxdepth 1 -name 'image.tar*' -printf '%f ')" "image.tar "

# --- skopeo reads the archive and verifies nothing is missing
check "skopeo inspects it" sh -c "skopeo inspect docker-archive:'$ARCHIVE' >'$TEST_DIR/inspect.json'"
check_equal "three layers, the last two the same" \
  "$(json_field "$TEST_DIR/inspect.json" 'len(d["Layers"]), d["Layers"][1] == d["Layers"][2]')" \
  "(3, True)"
check_equal "the architecture is this machine's" \
  "$(json_field "$TEST_DIR/inspect.json" 'd["Architecture"]')" \
  "$(case $(uname -m) in x86_64) echo amd64 ;; aarch64) echo arm64 ;; *) uname -m ;; esac)"
check_equal "the labels" "$(json_field "$TEST_DIR/inspect.json" 'd["Labels"]')" \
  "{'org.nixproc.test': 'image-archive'}"
check_equal "created at the fixed instant" "$(json_field "$TEST_DIR/inspect.json" 'd["Created"]')" \
  "1970-01-01T00:00:01Z"
check "skopeo copies it to an OCI layout, checking every digest" \
  skopeo copy --quiet "docker-archive:$ARCHIVE" "oci:$TEST_DIR/oci:test"

# --- podman loads it and runs it
loaded=$(podman load -i "$ARCHIVE" 2>&1)
check_contains "podman loads it under its tag" "$loaded" "$TAG"
image=$(podman images --format '{{.Repository}}:{{.Tag}}' | grep "$TAG")
check_contains "the image is listed" "$image" "$TAG"
check_equal "the container runs the script in its working directory" \
  "$(podman run --rm --network host "$image" 2>&1)" "hello from the archive in /srv"
check_equal "/tmp is 1777 root:root" \
  "$(podman run --rm --network host "$image" stat -c '%a %u %g' /tmp 2>&1)" "1777 0 0"
check_equal "the owned file keeps its mode and owner" \
  "$(podman run --rm --network host "$image" stat -c '%a %u %g' /srv/owned 2>&1)" "640 1234 2345"
check_equal "added parent directories are 0755 root:root" \
  "$(podman run --rm --network host "$image" stat -c '%a %u %g' /test /srv 2>&1 | sort -u)" \
  "755 0 0"
check_equal "the symlink points where it was told" \
  "$(podman run --rm --network host "$image" /bin/hello 2>&1)" "hello from the archive in /srv"
check_equal "no container is left" "$(podman ps --all --format '{{.Names}}')" ""
check "podman removes the image" sh -c "podman rmi '$image' >/dev/null"
check_equal "no image is left" "$(podman images --format '{{.Repository}}')" ""

# --- reproducible: a second write is the same bytes
check "write it again" nixproc-test-write-image "$TEST_DIR/again.tar" "$TAG"
check_equal "both writes are the same bytes" "$(sha256sum <"$TEST_DIR/again.tar")" \
  "$(sha256sum <"$ARCHIVE")"
check_fails "a bad tag is refused" nixproc-test-write-image "$TEST_DIR/bad.tar" "Bad Tag"
check_equal "and leaves nothing" "$(find "$TEST_DIR" -maxdepth 1 -name 'bad.tar*')" ""
finish
