#!/usr/bin/env bash
# Runs one boot scenario. Started by run.sh inside fresh mount, pid and network namespaces
# (unshare --mount --pid --net --fork --mount-proc), never in the host's: every mount below is private to
# this namespace and goes away with it; the EXIT trap also unmounts and stops everything explicitly.
#   inside.sh <cached root> <run dir>
# The run dir holds the input (user-data.sh, fixture/, scenario) and receives results/.
set -euo pipefail
cache=$1 run=$2
here=$(cd "$(dirname "$0")" && pwd)
scenario=$(cat "$run/scenario")
root=$run/root out=$run/results fix=$run/root/srv/fixture
mkdir -p "$root" "$run/upper" "$run/work" "$out"
mount --make-rprivate /

cleanup() {
    set +e
    [[ -S $root/run/docker.sock ]] && chroot "$root" sh -c 'docker ps -aq | xargs -r docker rm -f' >/dev/null 2>&1
    for p in $(jobs -p); do kill "$p" 2>/dev/null; done
    [[ -f $run/dockerd.pid ]] && kill "$(cat "$run/dockerd.pid")" 2>/dev/null && sleep 2
    grep -F " $root" /proc/mounts | cut -d' ' -f2 | sort -r | while read -r m; do umount -l "$m"; done
    rmdir /sys/fs/cgroup/*/docker 2>/dev/null # the daemon's (empty) parent cgroups, if no other run uses them
}
trap cleanup EXIT

# The root: the cached Debian root as the lower layer of an overlay, so the cache stays pristine.
mount -t overlay overlay -o "lowerdir=$cache,upperdir=$run/upper,workdir=$run/work" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /sys/fs/cgroup "$root/sys/fs/cgroup"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"
mount -t tmpfs tmpfs "$root/tmp"
ip link set lo up
ip addr add 169.254.169.254/32 dev lo

# Stand-ins for what AWS provides and a chroot lacks.
cp -a "$run/fixture" "$fix"
chroot "$root" dpkg-divert --quiet --local --rename --add /usr/bin/systemctl
install -m 0755 "$here/standins/systemctl" "$root/usr/bin/systemctl"
install -m 0644 "$fix/tls/ca.crt" "$root/usr/local/share/ca-certificates/boot-test-ca.crt"
chroot "$root" update-ca-certificates >/dev/null 2>&1
cat >>"$root/etc/hosts" <<HOSTS
127.0.0.1 secretsmanager.eu-west-1.amazonaws.com logs.eu-west-1.amazonaws.com amazoncloudwatch-agent-eu-west-1.s3.eu-west-1.amazonaws.com
HOSTS
cp "$here/standins/imds.py" "$here/standins/aws.py" "$root/srv/"
chroot "$root" python3 /srv/imds.py 2>>"$out/imds.log" &
chroot "$root" python3 /srv/aws.py /srv/fixture 2>>"$out/aws.log" &
for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/443) 2>/dev/null && (exec 3<>/dev/tcp/169.254.169.254/80) 2>/dev/null && break
    sleep 0.1
done

# Debian's Docker engine, with a local image made from busybox (no registry).
# Its awslogs driver asked the metadata service without a session token in our runs (401 from an
# IMDSv2-only endpoint), so the daemon gets the stand-in role's credentials from its environment instead.
chroot "$root" env AWS_ACCESS_KEY_ID=ASIATESTTESTTESTTEST AWS_SECRET_ACCESS_KEY=test-secret-key AWS_SESSION_TOKEN=test-session-token \
    dockerd --iptables=false --ip6tables=false --storage-driver=vfs >"$out/dockerd.log" 2>&1 &
echo $! >"$run/dockerd.pid"
for _ in $(seq 100); do chroot "$root" docker info >/dev/null 2>&1 && break; sleep 0.2; done
chroot "$root" sh -ec 'd=$(mktemp -d); mkdir "$d/bin"; cp /bin/busybox "$d/bin/"; for a in sh cat sleep env; do ln -s busybox "$d/bin/$a"; done
    tar -C "$d" -c . | docker import -c "CMD [\"/bin/sleep\", \"100000\"]" - dashboard-test:1 >/dev/null; rm -rf "$d"'

if [[ $scenario == ami ]]; then
    # The vendor image: its own Compose project reads the env files (here with the image's placeholders).
    mkdir -p "$root/opt/vendor" "$root/var/panintelligence"
    cp "$run/fixture/docker-compose.yml" "$root/opt/vendor/"
    printf 'PI_DB_PASSWORD=\n' >"$root/var/panintelligence/dashboard.env"
    printf 'PI_DB_PASSWORD=\n' >"$root/var/panintelligence/scheduler.env"
    chroot "$root" sh -c 'cd /opt/vendor && docker-compose -p vendor up -d' >"$out/compose-pre.log" 2>&1
fi
[[ $scenario == sm-down ]] && touch "$fix/secretsmanager-down"

# Process sampler: every argv and every environment in this pid namespace, but those of the app's own
# containers (which are meant to hold the password), checked for the secret values.
chroot "$root" python3 -c '
import os, sys, time
secrets = [l.strip().encode() for l in open("/srv/fixture/secret-values") if l.strip()]
hits, samples = set(), 0
while not os.path.exists("/srv/fixture/stop-sampler"):
    samples += 1
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cg = open(f"/proc/{pid}/cgroup").read()
            if "/docker/" in cg: continue
            for what in ("cmdline", "environ"):
                data = open(f"/proc/{pid}/{what}", "rb").read()
                if any(s in data for s in secrets):
                    hits.add(f"{what} of {pid}: " + open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")[:200])
        except OSError:
            pass
    time.sleep(0.1)
open("/srv/fixture/sampler.out", "w").write(f"samples {samples}\n" + "".join(h + "\n" for h in sorted(hits)))
' &
sampler=$!

# apt-daily stand-in: another process holds the lists lock (an fcntl lock, as apt takes it) for 20 s.
if [[ $scenario == ami ]]; then
    chroot "$root" python3 -c 'import fcntl, time; f = open("/var/lib/apt/lists/lock", "w"); fcntl.lockf(f, fcntl.LOCK_EX); open("/srv/fixture/lock-held", "w"); time.sleep(20)' &
    for _ in $(seq 50); do [[ -e $fix/lock-held ]] && break; sleep 0.1; done
    # The lock is really held the way apt-get update sees it (and flock(1) would not):
    if chroot "$root" apt-get -q -o DPkg::Lock::Timeout=0 update >"$out/apt-probe.log" 2>&1; then echo free >"$out/apt-probe"; else echo held >"$out/apt-probe"; fi
fi
# The State Manager association: installs mount.efs on its own schedule, here a few seconds after the
# boot installed the prerequisites, so the boot has to wait for it.
(until chroot "$root" dpkg -s stunnel4 >/dev/null 2>&1; do sleep 1; done; sleep 5; install -m 0755 "$here/standins/mount.efs" "$root/sbin/mount.efs") &

boot() { chroot "$root" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
snapshot() { # $1: label
    local d=$out/$1 f
    mkdir -p "$d"
    for f in /var/panintelligence/dashboard.env /var/panintelligence/scheduler.env; do
        [[ -f $root$f ]] && cp "$root$f" "$d/${f##*/}" && chroot "$root" stat -c '%a %U' "$f" >"$d/${f##*/}.stat"
    done
    cp "$root/var/log/systemctl-calls" "$d/systemctl-calls" 2>/dev/null || : >"$d/systemctl-calls"
    chroot "$root" docker ps --no-trunc --format '{{.ID}} {{.Names}}' | sort >"$d/containers"
    local id pid
    for id in $(cut -d' ' -f1 "$d/containers"); do
        # What the running process really holds: its /proc environ, read from outside the container.
        pid=$(chroot "$root" docker inspect --format '{{.State.Pid}}' "$id")
        tr '\0' '\n' <"/proc/$pid/environ" | grep '^PI_DB_PASSWORD=' >"$d/env-$id" || true
    done
}

set +e
boot /bin/bash /srv/fixture/user-data.sh >"$out/boot.out" 2>&1
echo $? >"$out/boot.rc"
sleep 3
snapshot boot
if [[ $scenario == sm-down ]]; then
    rm -f "$fix/secretsmanager-down"
    boot /usr/local/sbin/dashboard-refresh-secrets --if-changed >"$out/recover.out" 2>&1
    echo $? >"$out/recover.rc"
    sleep 3
    snapshot recover
else
    cp "$fix/secrets-rotated.json" "$fix/secrets.json"
    boot /usr/local/sbin/dashboard-refresh-secrets --if-changed >"$out/rotate.out" 2>&1
    echo $? >"$out/rotate.rc"
    sleep 3
    snapshot rotate
    boot /usr/local/sbin/dashboard-refresh-secrets --if-changed >"$out/unchanged.out" 2>&1
    echo $? >"$out/unchanged.rc"
    sleep 1
    snapshot unchanged
fi
set -e
touch "$fix/stop-sampler"
wait "$sampler" || true
cp "$fix/sampler.out" "$fix/requests.log" "$out/" 2>/dev/null || true
cp "$root/var/log/dashboard-boot.log" "$out/boot.log"
cp "$root/var/log/mount-efs-calls" "$out/" 2>/dev/null || true
cp "$root/var/log/agent-ctl-calls" "$out/" 2>/dev/null || true
cat "$root"/var/log/standin-*.log >"$out/units.log" 2>/dev/null || true
