//go:build cgolint_extra

package corpus

// More real cgo modules for the corpus robustness test (internal/corpus).
// Behind a build tag: most need Debian -dev headers (libzmq3-dev,
// libpcap-dev, libseccomp-dev, librocksdb-dev; DataDog/zstd and gozstd
// bundle theirs), which the test looks for before analysing each.
import (
	_ "github.com/DataDog/zstd"
	_ "github.com/google/gopacket/pcap"
	_ "github.com/linxGnu/grocksdb"
	_ "github.com/pebbe/zmq4"
	_ "github.com/seccomp/libseccomp-golang"
	_ "github.com/valyala/gozstd"
)
