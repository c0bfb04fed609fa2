#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install, idempotently, every Debian package gpuhelper's build and tests need.
# Used by `make deps` and .ci/run. Safe to run again: apt-get skips what is there.
set -eu

export DEBIAN_FRONTEND=noninteractive

pkgs="build-essential pkg-config git xz-utils zstd cpio kmod file bc
      linux-image-amd64 linux-headers-amd64 linux-source-6.12
      qemu-system-x86 qemu-utils xorriso ovmf seabios acpica-tools
      libvirt-clients libvirt-daemon-driver-qemu libvirt-daemon libvirt-dev
      dkms libpci-dev pciutils libnl-genl-3-dev libnl-3-dev libxml2-dev libxml2-utils
      busybox-static sparse clang libclang-rt-14-dev valgrind openssl efitools
      makepkg libarchive-tools fakeroot dracut-core
      debhelper dh-dkms lintian
      systemd"

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: run as root (apt-get needs it)" >&2
	exit 1
fi

apt-get update -q >/dev/null

# The 6.12 point release moves with security updates and a glob would pull
# every version served: take the newest unsigned image by exact name.
v612=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' |
	awk '{print $1}' | sed 's/^linux-image-//; s/-amd64-unsigned$//' | sort -V | tail -n 1)
if [ -z "$v612" ]; then
	echo "deps: no linux-image-6.12.*+deb12-amd64-unsigned in the archive" >&2
	exit 1
fi

apt-get install -y -q --no-install-recommends $pkgs \
	"linux-image-$v612-amd64-unsigned" "linux-headers-$v612-amd64" >/tmp/gpuhelper-deps.log 2>&1 || {
	tail -n 30 /tmp/gpuhelper-deps.log >&2
	exit 1
}
# libvirt's QEMU driver looks up its compiled-in user at start-up, also in
# the embedded mode (qemu:///embed) the tests start domains with; the
# libvirt-daemon-system package would create it, along with services the
# tests do not run.
getent group kvm >/dev/null || groupadd --system kvm
getent passwd libvirt-qemu >/dev/null ||
	useradd --system --user-group --no-create-home --shell /usr/sbin/nologin libvirt-qemu
echo "deps: installed (6.12 kernel $v612-amd64)"
