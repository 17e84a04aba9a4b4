#!/usr/bin/env bash
# Proves the README's two commands on a machine nobody prepared: builds a clean Debian root
# with mmdebstrap, clones this repository (its committed HEAD) into it and, inside it,
#   1. runs `make run` and checks that the demo serves (home page, a store, health);
#   2. runs `make test` in a network namespace of its own, where the only servers are the ones
#      `make test` starts itself (the host's MariaDB and Redis are invisible there).
# The namespace has no network, so step 2 first downloads what `make test` will install
# (`.ci/bootstrap.sh test` and `.ci/services.sh --install-only`, with the network); everything
# else (data directory, servers, test account, time zones) `make test` does from nothing.
#
# Usage (as root, on Debian/Ubuntu): .ci/fresh-machine.sh [SUITE]   (SUITE: bookworm by default)
# Prints the seconds each command took; exits non-zero when either fails. Leaves nothing behind.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "fresh-machine: run as root (it builds a chroot and a network namespace)" >&2; exit 1; }
suite=${1:-bookworm}
repo=$(cd "$(dirname "$0")/.." && pwd)
port=${FRESH_PORT:-18765}
for tool in mmdebstrap unshare git curl; do
  command -v "$tool" >/dev/null || { echo "fresh-machine: needs $tool (apt-get install mmdebstrap util-linux git curl)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/agm-fresh.XXXXXX)
root=$work/root
mounted=()
cleanup() {
  pkill -f "runserver 127.0.0.1:$port" 2>/dev/null || true
  # Servers started inside the root (MariaDB, Redis) hold its mounts.
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "$pid" 2>/dev/null || true
  done
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

say() { echo "fresh-machine: $*"; }
mount_into() { mkdir -p "$root$2"; mount "${@:3}" "$1" "$root$2"; mounted+=("$root$2"); }

say "building a clean Debian $suite root in $root"
start=$(date +%s)
# What a new Debian user has: the base system, git to clone, make to run the README's commands.
mmdebstrap --quiet --variant=apt --include=ca-certificates,git,make "$suite" "$root"
say "root built in $(($(date +%s) - start)) s"

mount_into proc /proc -t proc
mount_into /dev /dev --rbind
mount_into sysfs /sys -t sysfs
mount_into tmpfs /dev/shm -t tmpfs
cp /etc/resolv.conf "$root/etc/resolv.conf"
# An installed Debian has /etc/hosts (the installer writes it); a bare root does not.
[ -e "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
# A host behind a TLS-inspecting proxy trusts its CA; the root must too, or nothing downloads.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1
fi
git clone --quiet "$repo" "$root/home/project"
# A clean environment, as a new user's login has; SSL_CERT_FILE points uv at the system CAs.
clean_env="HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"
in_root() { chroot "$root" /usr/bin/env -i $clean_env "$@"; }

say "make run (PORT=$port)"
start=$(date +%s)
in_root bash -c "cd /home/project && PORT=$port make run" >"$work/run.log" 2>&1 &
served=""
for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1; then served=yes; break; fi
  sleep 1
done
run_seconds=$(($(date +%s) - start))
if [ -z "$served" ]; then
  tail -n 40 "$work/run.log" >&2
  say "FAIL: make run did not serve within 600 s"
  exit 1
fi
status_home=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
status_store=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/mama-put-kitchen")
pkill -f "runserver 127.0.0.1:$port" || true
say "make run served in $run_seconds s (/ → $status_home, /mama-put-kitchen → $status_store)"
# Go on to the tests after a failed check here: one run reports everything.
failures=()
grep -q "127.0.0.1:$port/" "$work/run.log" || failures+=("make run did not print the URLs with port $port")
[ "$status_home" = 200 ] && [ "$status_store" = 200 ] || failures+=("demo pages did not answer 200")

say "downloading what make test installs (the test namespace has no network)"
in_root bash -c "cd /home/project && .ci/bootstrap.sh test && .ci/services.sh --install-only" >"$work/prefetch.log" 2>&1 ||
  { tail -n 40 "$work/prefetch.log" >&2; say "FAIL: installing the test dependencies"; exit 1; }

say "make test in a network namespace of its own"
start=$(date +%s)
set +e
unshare --net bash -c "ip link set lo up 2>/dev/null || true; chroot '$root' /usr/bin/env -i $clean_env CI=true \
  bash -c 'cd /home/project && make test'" >"$work/test.log" 2>&1
rc=$?
set -e
test_seconds=$(($(date +%s) - start))
tail -n 5 "$work/test.log"
if [ $rc != 0 ]; then
  grep -E "^(FAILED|ERROR)" "$work/test.log" | head -n 30 >&2 || true
  failures+=("make test exited $rc after $test_seconds s")
fi
if [ ${#failures[@]} -gt 0 ]; then
  printf 'fresh-machine: FAIL: %s\n' "${failures[@]}" >&2
  exit 1
fi
say "PASS: make run served in $run_seconds s; make test passed in $test_seconds s ($suite)"
