#!/usr/bin/env bash
# Installs what cgolint's tests need on a fresh machine: a C compiler for cgo,
# pkg-config, and the SQLite and libgit2 headers (passes/config's header test
# checks the shipped sqlite3 and libgit2 data against them and fails without
# them; the cfree fixtures include <sqlite3.h> and <git2.h>, found through
# pkg-config libgit2). Go itself (1.26) is assumed; modules come from the Go
# module proxy.
set -euo pipefail
need=()
command -v gcc >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
[ -e /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
{ command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libgit2; } || need+=(libgit2-dev)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
	else
		echo "setup: missing ${need[*]}; install them (cgolint's tests check cgo code and C headers)" >&2
		exit 1
	fi
fi
go mod download
