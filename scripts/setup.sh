#!/usr/bin/env bash
# Installs what cgolint's tests need on a fresh machine: a C compiler for cgo.
# Go itself (1.26) is assumed; modules come from the Go module proxy.
set -euo pipefail
if ! command -v gcc >/dev/null 2>&1 && ! command -v cc >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		apt-get update -qq && apt-get install -y -qq gcc libc6-dev >/dev/null
	else
		echo "setup: no C compiler found; install gcc (cgolint's tests check cgo code and need one)" >&2
		exit 1
	fi
fi
go mod download
