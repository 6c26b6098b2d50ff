module github.com/cgolint/cgolint/bench/corpus

go 1.26.0

require (
	github.com/DataDog/zstd v1.5.7
	github.com/google/gopacket v1.1.19
	github.com/libgit2/git2go/v34 v34.0.0
	github.com/linxGnu/grocksdb v1.7.10
	github.com/mattn/go-sqlite3 v1.14.53
	github.com/pebbe/zmq4 v1.4.0
	github.com/seccomp/libseccomp-golang v0.11.1
	github.com/valyala/gozstd v1.27.0
	golang.org/x/tools v0.52.0
)

require (
	golang.org/x/crypto v0.0.0-20201203163018-be400aefbc4c // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
