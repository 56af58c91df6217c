# Sourced by deploy/test-image.sh: a container engine from Debian, and the base images deploy/Dockerfile names, made
# on this machine because no image registry may be reachable (CI has only the Debian mirror and NuGet).
#   docker.io/library/debian:12-slim     debootstrap --variant=minbase, slimmed like the official image, cached
#   mcr.microsoft.com/dotnet/aspnet:10.0 this machine's .NET runtimes on that base (the Dockerfile copies only them)
#   mcr.microsoft.com/dotnet/sdk:10.0    this machine's whole .NET SDK, ICU, and this machine's CA certificates
# Under the official names, so the Dockerfile is built exactly as users build it. An image already in the engine's
# store is kept: it is rebuilt only after `podman rmi` (or with VEXAA_CI_REBUILD_BASES=1).

cache=${VEXAA_CI_CACHE:-/var/cache/vexaa-ci}

engine_install() {
  local need=()
  command -v podman >/dev/null 2>&1 || need+=(podman)
  command -v runc >/dev/null 2>&1 || need+=(runc)
  command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v jq >/dev/null 2>&1 || need+=(jq)
  if [ ${#need[@]} -gt 0 ]; then
    echo "Installing: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  # Root here lacks CAP_SYS_RESOURCE and the hard nofile limit is low, so podman's default rlimits fail; crun refuses
  # the hybrid cgroup layout of these machines, runc works (docs/DEPLOY.md, ../shared notes).
  export CONTAINERS_CONF="$work/containers.conf"
  # Both within this machine's hard limits (nproc: podman's own default is far above what root may set here).
  local nofile nproc
  nofile=$(ulimit -Hn) nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] && nofile=65536
  { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
  cat > "$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
EOF
}

have_image() { [ "${VEXAA_CI_REBUILD_BASES:-0}" != 1 ] && podman image exists "$1"; }

debian_slim() {
  local name=docker.io/library/debian:12-slim tar="$cache/debian-12-slim.tar"
  have_image "$name" && return 0
  if [ ! -s "$tar" ]; then
    local root="$work/rootfs" mirror
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log"; return 1; }
    # debootstrap mounts /proc (and may leave it mounted on a busy machine): never archive or delete through a mount.
    unmount_under "$root"
    slim_rootfs "$root"
    mkdir -p "$cache"
    tar -C "$root" --one-file-system --numeric-owner -cf "$tar.part" . && mv "$tar.part" "$tar"
    rm -rf --one-file-system "$root"
  fi
  podman import --change 'CMD ["bash"]' "$tar" "$name" >/dev/null
}

unmount_under() {
  local m
  awk -v root="$1/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
}

# What the official slim image does to a debootstrap tree: no docs, man pages or translations (now, and for every
# package installed later), no apt caches.
slim_rootfs() {
  local root=$1
  cat > "$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  cat > "$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' > "$root/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' > "$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  # The same mirror and suites (with security updates) as this machine, so the image build installs what CI tested.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    rm -f "$root/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/debian.sources"
  fi
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/groff/* "$root"/usr/share/lintian/*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  rm -rf "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*.log
}

dotnet_standins() {
  local dotnet_root
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  local ctx="$work/empty-context"
  mkdir -p "$ctx"
  if ! have_image mcr.microsoft.com/dotnet/aspnet:10.0; then
    cat > "$work/Containerfile.aspnet" <<'EOF'
FROM docker.io/library/debian:12-slim
RUN mkdir -p /usr/share/dotnet && cp -a /dotnet/dotnet /dotnet/host /dotnet/shared /usr/share/dotnet/ \
 && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_RUNNING_IN_CONTAINER=true ASPNETCORE_HTTP_PORTS=8080
EOF
    podman build -q --format docker -v "$dotnet_root:/dotnet:ro" -f "$work/Containerfile.aspnet" -t mcr.microsoft.com/dotnet/aspnet:10.0 "$ctx" >/dev/null
  fi
  if ! have_image mcr.microsoft.com/dotnet/sdk:10.0; then
    # The proxy in front of NuGet presents certificates signed by this machine's own CAs: without them, restore fails.
    mkdir -p "$work/certs"
    cp /usr/local/share/ca-certificates/*.crt "$work/certs/" 2>/dev/null || true
    cat > "$work/Containerfile.sdk" <<'EOF'
FROM docker.io/library/debian:12-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libicu72 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && (cp /certs/*.crt /usr/local/share/ca-certificates/ 2>/dev/null || true) && update-ca-certificates >/dev/null \
 && cp -a /dotnet /usr/share/dotnet && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_RUNNING_IN_CONTAINER=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_USE_POLLING_FILE_WATCHER=true
EOF
    podman build -q --format docker -v "$dotnet_root:/dotnet:ro" -v "$work/certs:/certs:ro" -f "$work/Containerfile.sdk" \
      -t mcr.microsoft.com/dotnet/sdk:10.0 "$ctx" >/dev/null
  fi
}
