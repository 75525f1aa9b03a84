#!/usr/bin/env bash
# Builds (or reuses) the throwaway Debian root the boot test runs in, and prints its path.
# The root is cached under $BOOT_ROOT_CACHE (default /var/cache/dashboard-boot-root), keyed by a hash of
# this file (which holds the package list), so a rerun is fast and a changed list builds afresh.
# Debian's packages come from the mirror in the host's apt sources; the boot-time packages (nfs-common,
# stunnel4) are downloaded into a local file: repository inside the root, so the boot's apt-get update
# and install work offline. Runs as root on a Debian host with debootstrap.
set -euo pipefail

SUITE=bookworm
# Installed in the root: what the vendor image and cloud-init bring (bash, curl, gpg, python3, docker),
# systemd (Ubuntu has it; the test diverts systemctl to a stand-in), the AWS CLI, and what the stand-ins
# need (iproute2 for the metadata address, busybox for the container image).
PACKAGES=(ca-certificates curl gpg python3 awscli docker.io docker-compose iproute2 procps util-linux busybox-static systemd)
# Offered by the local repository only: the boot script installs them.
REPO_PACKAGES=(nfs-common stunnel4)

cache=${BOOT_ROOT_CACHE:-/var/cache/dashboard-boot-root}
key=$(sha256sum "$0" | cut -c1-16)
root=$cache/$key
if [[ -f $root/.complete ]]; then
    echo "$root"
    exit 0
fi

mirror=${DEBIAN_MIRROR:-}
if [[ -z $mirror ]]; then
    mirror=$(sed -nE 's/^URIs: *(http[^ ]*debian)\/?$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    [[ -n $mirror ]] || mirror=$(sed -nE 's/^deb +(\[[^]]*\] +)?(http[^ ]*debian)\/? .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -1)
    [[ -n $mirror ]] || mirror=http://deb.debian.org/debian
fi

rm -rf -- "$cache"/*.partial "$root"
mkdir -p "$cache"
work=$root.partial
echo "building the boot-test root in $work from $mirror" >&2
debootstrap --variant=minbase "$SUITE" "$work" "$mirror" >&2

# Package installs run in a private mount namespace with /proc, never touching the host's mounts.
unshare --mount --fork bash -euo pipefail -c '
    work=$1; shift
    mount -t proc proc "$work/proc"
    mount --rbind /dev "$work/dev"
    cp /etc/resolv.conf "$work/etc/resolv.conf"
    printf "#!/bin/sh\nexit 101\n" >"$work/usr/sbin/policy-rc.d"; chmod 0755 "$work/usr/sbin/policy-rc.d"
    chroot "$work" apt-get -q update
    DEBIAN_FRONTEND=noninteractive chroot "$work" apt-get -q install -y --no-install-recommends "$@"
' _ "$work" "${PACKAGES[@]}" >&2

unshare --mount --fork bash -euo pipefail -c '
    work=$1; shift
    mount -t proc proc "$work/proc"
    chroot "$work" apt-get -q clean
    DEBIAN_FRONTEND=noninteractive chroot "$work" apt-get -q install -y --no-install-recommends --download-only "$@"
    mkdir -p "$work/srv/repo"
    mv "$work"/var/cache/apt/archives/*.deb "$work/srv/repo/"
    # A flat repository index: each package'"'"'s control fields plus Filename, Size and SHA256.
    for deb in "$work"/srv/repo/*.deb; do
        dpkg-deb -f "$deb"
        printf "Filename: ./%s\nSize: %s\nSHA256: %s\n\n" "${deb##*/}" "$(stat -c %s "$deb")" "$(sha256sum <"$deb" | cut -d" " -f1)"
    done >"$work/srv/repo/Packages"
' _ "$work" "${REPO_PACKAGES[@]}" >&2

# From now on the root knows only the local repository, and nothing of the mirror's lists.
rm -f "$work"/etc/apt/sources.list.d/* "$work/usr/sbin/policy-rc.d"
echo "deb [trusted=yes] file:/srv/repo ./" >"$work/etc/apt/sources.list"
rm -rf "$work"/var/lib/apt/lists/*
mkdir -p "$work/var/lib/apt/lists/partial"
chroot "$work" useradd --system --user-group --no-create-home --shell /usr/sbin/nologin pi-user
touch "$work/.complete"
mv -T "$work" "$root"
echo "$root"
